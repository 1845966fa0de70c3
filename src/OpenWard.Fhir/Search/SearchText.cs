using System.Globalization;
using System.Text;

namespace OpenWard.Fhir.Search;

/// <summary>
/// The one normalisation shared by string index entries and string search values, so that
/// <c>name=Jose</c> finds "José" and "JOSE" (https://hl7.org/fhir/R4/search.html#string: matches are
/// case- and accent-insensitive and ignore differences in whitespace).
/// </summary>
public static class SearchText
{
    /// <summary>Lower case, accents removed, runs of whitespace collapsed to one space, trimmed.</summary>
    public static string Normalize(string value)
    {
        // FormD splits "é" into "e" + a combining accent (a non-spacing mark), which is then dropped.
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }

            result.Append(char.ToLowerInvariant(c));
        }

        // Recompose what FormD split without being an accent (Hangul syllables, for example).
        return result.ToString().Normalize(NormalizationForm.FormC);
    }
}

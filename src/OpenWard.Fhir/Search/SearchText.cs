using System.Buffers;
using System.Globalization;
using System.Text;

namespace OpenWard.Fhir.Search;

/// <summary>
/// The one normalisation for string search (https://hl7.org/fhir/R4/search.html#string): "the search
/// is case-insensitive and accent-insensitive". Index entries and query values both go through
/// <see cref="Normalize"/>, so they always compare alike.
/// </summary>
public static class SearchText
{
    private const int StackBufferLimit = 256;

    /// <summary>
    /// Lower case (invariant culture), accents and other diacritics removed (Unicode FormD, then the
    /// non-spacing marks dropped), runs of white space collapsed to one space and the ends trimmed.
    /// "  Zoë  O'Brien " becomes "zoe o'brien".
    /// </summary>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsAlreadyNormal(value))
        {
            return value; // the common case (short lower-case ASCII codes, names already indexed) allocates nothing
        }

        var ascii = Ascii.IsValid(value);
        var decomposed = ascii ? value : value.Normalize(NormalizationForm.FormD);
        char[]? rented = null;
        Span<char> buffer = decomposed.Length <= StackBufferLimit
            ? stackalloc char[StackBufferLimit]
            : (rented = ArrayPool<char>.Shared.Rent(decomposed.Length));
        try
        {
            var length = 0;
            var pendingSpace = false;
            foreach (var c in decomposed)
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = length > 0;
                    continue;
                }

                if (!ascii && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                {
                    continue;
                }

                if (pendingSpace)
                {
                    buffer[length++] = ' ';
                    pendingSpace = false;
                }

                buffer[length++] = char.ToLowerInvariant(c);
            }

            var result = new string(buffer[..length]);

            // Recompose what is left (e.g. Hangul syllables) so equal text has one form.
            return ascii ? result : result.Normalize(NormalizationForm.FormC);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static bool IsAlreadyNormal(string value)
    {
        if (value.Length == 0)
        {
            return true;
        }

        if (value[0] == ' ' || value[^1] == ' ')
        {
            return false;
        }

        var previousWasSpace = false;
        foreach (var c in value)
        {
            if (c > 0x7F || char.IsAsciiLetterUpper(c))
            {
                return false;
            }

            if (c == ' ')
            {
                if (previousWasSpace)
                {
                    return false;
                }

                previousWasSpace = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                return false;
            }
            else
            {
                previousWasSpace = false;
            }
        }

        return true;
    }
}

using System.Text;

namespace OpenWard.Fhir.Search.Query;

/// <summary>
/// Search value escaping (https://hl7.org/fhir/R4/search.html#escaping): <c>\,</c> <c>\|</c>
/// <c>\$</c> and <c>\\</c> stand for the character itself, so that a value can contain the
/// separators of OR values (<c>,</c>), token and quantity parts (<c>|</c>) and composites (<c>$</c>).
/// </summary>
public static class SearchEscapes
{
    private const string Escapable = ",|$\\";

    /// <summary>
    /// Splits <paramref name="value"/> on each <paramref name="separator"/> that is not escaped; the
    /// parts keep their escapes, for a further split or <see cref="Unescape"/>.
    /// </summary>
    /// <exception cref="SearchQueryException">A backslash that escapes nothing FHIR allows.</exception>
    public static List<string> Split(string value, char separator, string parameter)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                if (i + 1 == value.Length || !Escapable.Contains(value[i + 1], StringComparison.Ordinal))
                {
                    throw new SearchQueryException(
                        SearchErrorCodes.BadEscape,
                        parameter,
                        $"The value '{value}' of '{parameter}' has a backslash that escapes nothing: only '\\,', '\\|', '\\$' and '\\\\' are escapes.");
                }

                i++;
            }
            else if (value[i] == separator)
            {
                parts.Add(value[start..i]);
                start = i + 1;
            }
        }

        parts.Add(value[start..]);
        return parts;
    }

    /// <summary>A literal value escaped for a search parameter: <c>\</c>, <c>,</c>, <c>$</c> and <c>|</c> (https://hl7.org/fhir/R4/search.html#escaping).</summary>
    public static string Escape(string value)
    {
        var escaped = new System.Text.StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or ',' or '$' or '|')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>Replaces each escape with its character; the value must come from <see cref="Split"/>.</summary>
    public static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            result.Append(value[i]);
        }

        return result.ToString();
    }
}

namespace OpenWard.Fhir.Patch;

/// <summary>
/// A JSON Pointer (RFC 6901, https://www.rfc-editor.org/rfc/rfc6901): <c>""</c> is the whole
/// document, <c>/name/0/given</c> three reference tokens. <c>~1</c> stands for <c>/</c> and
/// <c>~0</c> for <c>~</c> inside a token.
/// </summary>
internal sealed class JsonPointer
{
    private JsonPointer(string text, string[] tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    public bool IsRoot => Tokens.Count == 0;

    /// <summary>The last reference token (of a pointer that is not the root).</summary>
    public string Last => Tokens[^1];

    /// <summary>Null when <paramref name="text"/> is not a pointer: it must be empty or start with '/', and '~' must be followed by 0 or 1.</summary>
    public static JsonPointer? TryParse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            return null;
        }

        var tokens = text[1..].Split('/');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            for (var c = token.IndexOf('~', StringComparison.Ordinal); c >= 0; c = token.IndexOf('~', c + 1))
            {
                if (c == token.Length - 1 || token[c + 1] is not ('0' or '1'))
                {
                    return null;
                }
            }

            // RFC 6901 section 4: '~1' becomes '/' first, then '~0' becomes '~', so "~01" decodes to "~1".
            tokens[i] = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }

        return new JsonPointer(text, tokens);
    }

    /// <summary>True when this pointer names a location strictly inside <paramref name="other"/>.</summary>
    public bool IsProperDescendantOf(JsonPointer other) =>
        Tokens.Count > other.Tokens.Count && other.Tokens.Select((t, i) => t == Tokens[i]).All(same => same);

    /// <summary>
    /// An array index token (RFC 6901 section 4): <c>0</c> or digits without a leading zero.
    /// <c>-</c> (the element after the last) is handled by the caller.
    /// </summary>
    public static bool TryParseIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || token.Length > 9 || !token.All(char.IsAsciiDigit) || (token.Length > 1 && token[0] == '0'))
        {
            return false;
        }

        index = int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    public override string ToString() => Text;
}

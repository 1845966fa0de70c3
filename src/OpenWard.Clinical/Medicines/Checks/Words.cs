namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>Whole-word comparison of names, ignoring case and a plural "s" ("Penicillins" contains "penicillin").</summary>
internal static class Words
{
    public static bool Contain(string text, string name)
    {
        var haystack = Split(text);
        var needle = Split(name);
        if (needle.Length == 0)
        {
            return false;
        }

        for (var i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (needle.Select((word, j) => word == haystack[i + j]).All(same => same))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] Split(string text) =>
        [.. text.ToLowerInvariant()
            .Split(c => !char.IsLetterOrDigit(c))
            .Where(w => w.Length > 0)
            .Select(w => w.Length > 4 && w.EndsWith('s') ? w[..^1] : w)];

    private static IEnumerable<string> Split(this string text, Func<char, bool> separator)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || separator(text[i]))
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
    }
}

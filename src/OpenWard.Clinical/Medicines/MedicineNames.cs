namespace OpenWard.Clinical.Medicines;

// Names as sequences of lower-case words, so "Co-amoxiclav 500mg/125mg tablets" and "co amoxiclav"
// meet on the words "co", "amoxiclav" and strengths or forms around a name do not stop a match.
internal static class MedicineNames
{
    public static string[] Words(string text) =>
        text.ToLowerInvariant()
            .SplitWhere(c => !char.IsLetterOrDigit(c))
            .Where(w => w.Length > 0)
            .ToArray();

    /// <summary>The medicine's name and synonyms, each as words.</summary>
    public static IEnumerable<string[]> Of(FormularyMedicine medicine) =>
        new[] { medicine.Name }.Concat(medicine.Synonyms).Select(Words).Where(w => w.Length > 0);

    private static IEnumerable<string> SplitWhere(this string text, Func<char, bool> isSeparator)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || isSeparator(text[i]))
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
    }
}

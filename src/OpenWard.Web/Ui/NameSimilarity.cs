using System.Text;

namespace OpenWard.Web.Ui;

/// <summary>
/// Whether two names are close enough that they may be the same person typed differently, for the
/// duplicate check before registering a patient. Pure and deliberately simple, so a receptionist can
/// be told why a record was shown:
/// <list type="bullet">
/// <item>names are normalised first: case ignored, accents folded ("Zoë" = "Zoe"), and anything that
/// is not a letter dropped ("O'Brien" = "OBrien", "Smith-Jones" = "SmithJones");</item>
/// <item>two normalised names are close when they are equal, when one starts with the other and the
/// shorter has at least 3 letters ("Chris" and "Christopher"), or when they differ by at most one
/// edit (a letter added, removed, changed, or two neighbours swapped: "Jonh" for "John") - two edits
/// for names of 8 letters or more ("Macdonald" and "Mcdonnald");</item>
/// <item>a person's name is close to another when the family names and the first given names are both
/// close, or when given and family name were entered the wrong way round.</item>
/// </list>
/// </summary>
public static class NameSimilarity
{
    /// <summary>Shortest name that may match a longer one by its start.</summary>
    public const int MinimumPrefix = 3;

    /// <summary>Names this long or longer may differ by two edits; shorter ones by one.</summary>
    public const int LongName = 8;

    /// <summary>Lower case, accents folded, letters only.</summary>
    public static string Normalise(string? name)
    {
        var decomposed = (name ?? "").Normalize(NormalizationForm.FormD);
        var letters = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsLetter(c))
            {
                letters.Append(char.ToLowerInvariant(c));
            }
        }

        return letters.ToString();
    }

    /// <summary>Whether two single names (a family name, or a given name) are close.</summary>
    public static bool AreClose(string? first, string? second)
    {
        var a = Normalise(first);
        var b = Normalise(second);
        if (a.Length == 0 || b.Length == 0)
        {
            return false;
        }

        if (a == b)
        {
            return true;
        }

        var shorter = a.Length <= b.Length ? a : b;
        var longer = ReferenceEquals(shorter, a) ? b : a;
        if (shorter.Length >= MinimumPrefix && longer.StartsWith(shorter, StringComparison.Ordinal))
        {
            return true;
        }

        var allowed = shorter.Length >= LongName ? 2 : 1;
        return longer.Length - shorter.Length <= allowed && EditDistance(a, b) <= allowed;
    }

    /// <summary>Whether two people's names are close: family and first given name, or the two swapped.</summary>
    public static bool PeopleAreClose(string? given, string? family, string? otherGiven, string? otherFamily) =>
        (AreClose(family, otherFamily) && AreClose(given, otherGiven))
        || (AreClose(family, otherGiven) && AreClose(given, otherFamily));

    /// <summary>
    /// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a substring):
    /// insertions, deletions, substitutions and swaps of two neighbouring letters each count one.
    /// </summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

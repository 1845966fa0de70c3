using System.Globalization;
using System.Text;

namespace OpenWard.Web.Terminology;

/// <summary>A SNOMED CT concept that can be recorded as a problem or diagnosis: its preferred term and its other terms.</summary>
public sealed record ProblemConcept(string Code, string Term, IReadOnlyList<string> OtherTerms);

/// <summary>A search result: the concept, and the term the words matched (its preferred term, or another of its terms).</summary>
public sealed record ProblemMatch(ProblemConcept Concept, string MatchedTerm);

/// <summary>
/// The SNOMED CT problems and diagnoses the problem pages search: the subset kept in the repository
/// (Terminology/snomed-problem-subset.tsv, illustrative), or the clinical findings and disorders of a
/// release imported with <c>openward terminology import</c> (<see cref="Rf2ProblemImport"/>), kept in
/// the data folder. Search is by word prefix, accent- and case-insensitive: "diab typ" finds
/// "Diabetes mellitus type 2". The index is in memory: sorted (word, concept) pairs, searched by
/// binary search, so a keystroke costs a few lookups, not a scan of every term.
/// </summary>
public sealed class ProblemTerminology
{
    /// <summary>Where an imported release is kept, under the data folder.</summary>
    public const string ImportedFile = "terminology/snomed-ct-problems.tsv";

    private const string SubsetResource = "snomed-problem-subset.tsv";

    private readonly List<ProblemConcept> _concepts;
    private readonly Dictionary<string, ProblemConcept> _byCode;
    private readonly (string Word, int Concept)[] _words;

    private ProblemTerminology(List<ProblemConcept> concepts, string source)
    {
        _concepts = concepts;
        _byCode = concepts.ToDictionary(c => c.Code, StringComparer.Ordinal);
        Source = source;
        _words = [.. concepts
            .SelectMany((concept, index) => new[] { concept.Term }.Concat(concept.OtherTerms).SelectMany(Words).Distinct().Select(word => (word, index)))
            .OrderBy(p => p.word, StringComparer.Ordinal)
            .ThenBy(p => p.index)];
    }

    /// <summary>What the concepts came from, as the pages and the command line say it.</summary>
    public string Source { get; }

    public int Count => _concepts.Count;

    /// <summary>The imported release when the data folder has one, otherwise the repository's subset.</summary>
    public static ProblemTerminology Load(string dataDirectory)
    {
        var imported = Path.Combine(dataDirectory, ImportedFile);
        if (File.Exists(imported))
        {
            using var reader = new StreamReader(imported, Encoding.UTF8);
            return Parse(reader, $"SNOMED CT imported into {imported}");
        }

        return Subset();
    }

    /// <summary>The subset kept in the repository.</summary>
    public static ProblemTerminology Subset()
    {
        using var stream = typeof(ProblemTerminology).Assembly.GetManifestResourceStream(SubsetResource)
            ?? throw new InvalidOperationException($"The embedded resource {SubsetResource} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader, "OpenWard's illustrative SNOMED CT subset");
    }

    /// <summary>Reads the file format both sources share: "#" comment lines, then conceptId, preferred term and other terms, tab-separated.</summary>
    public static ProblemTerminology Parse(TextReader reader, string source)
    {
        var concepts = new List<ProblemConcept>();
        var line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            var columns = text.Split('\t');
            if (columns.Length < 2 || !columns[0].All(char.IsAsciiDigit) || columns[1].Length == 0)
            {
                throw new FormatException($"{source}, line {line}: expected a SNOMED CT concept id and its term, tab-separated.");
            }

            concepts.Add(new ProblemConcept(columns[0], columns[1], columns[2..]));
        }

        return new ProblemTerminology(concepts, source);
    }

    /// <summary>Writes concepts in the format <see cref="Parse"/> reads, after a comment saying where they came from.</summary>
    public static void Write(IEnumerable<ProblemConcept> concepts, string comment, TextWriter writer)
    {
        writer.Write($"# {comment}\n");
        foreach (var concept in concepts)
        {
            writer.Write(string.Join('\t', new[] { concept.Code, concept.Term }.Concat(concept.OtherTerms)));
            writer.Write('\n');
        }
    }

    public ProblemConcept? Find(string? code) => code is not null && _byCode.TryGetValue(code, out var concept) ? concept : null;

    /// <summary>
    /// The concepts with a term in which every word of <paramref name="text"/> starts a word; those whose
    /// preferred term matches first, then shorter terms first. Empty for text without a letter or digit.
    /// </summary>
    public IReadOnlyList<ProblemMatch> Search(string? text, int limit)
    {
        var query = Words(text ?? "").Distinct().ToList();
        if (query.Count == 0)
        {
            return [];
        }

        HashSet<int>? candidates = null;
        foreach (var word in query)
        {
            var found = WithPrefix(word);
            if (candidates is null)
            {
                candidates = found;
            }
            else
            {
                candidates.IntersectWith(found);
            }

            if (candidates.Count == 0)
            {
                return [];
            }
        }

        return [.. candidates!
            .Select(index => _concepts[index])
            .Select(concept => new ProblemMatch(concept, new[] { concept.Term }.Concat(concept.OtherTerms).First(term => Matches(term, query))))
            .OrderBy(match => match.MatchedTerm == match.Concept.Term ? 0 : 1)
            .ThenBy(match => match.MatchedTerm.Length)
            .ThenBy(match => match.MatchedTerm, StringComparer.OrdinalIgnoreCase)
            .Take(limit)];
    }

    private HashSet<int> WithPrefix(string prefix)
    {
        var found = new HashSet<int>();
        var low = 0;
        var high = _words.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(_words[middle].Word, prefix) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var i = low; i < _words.Length && _words[i].Word.StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            found.Add(_words[i].Concept);
        }

        return found;
    }

    private static bool Matches(string term, List<string> query)
    {
        var words = Words(term).ToList();
        return query.All(q => words.Any(w => w.StartsWith(q, StringComparison.Ordinal)));
    }

    /// <summary>Lower-case words without accents ("Ménière's" gives "meniere", "s").</summary>
    private static IEnumerable<string> Words(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
            }
        }

        return folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}

using System.Globalization;
using System.Numerics;
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
/// the data folder. Search is by word prefix, accent- and case-insensitive, every word within one
/// term: "diab typ" finds "Diabetes mellitus type 2". The index is in memory: every term is numbered
/// in the order results are shown (preferred terms first, then shorter first), and each distinct word
/// lists the terms it is in; a word prefix is a binary search giving one contiguous run of those lists,
/// and the words of a query are intersected as bitsets over the terms. Results are the first terms in
/// that order, one per concept, so no sort is done per search.
/// </summary>
public sealed class ProblemTerminology
{
    /// <summary>Where an imported release is kept, under the data folder.</summary>
    public const string ImportedFile = "terminology/snomed-ct-problems.tsv";

    private const string SubsetResource = "snomed-problem-subset.tsv";

    private readonly List<ProblemConcept> _concepts;
    private readonly Dictionary<string, ProblemConcept> _byCode;

    // Every term, in result order: its text and its concept (an index into _concepts).
    private readonly string[] _terms;
    private readonly int[] _termConcept;

    // The distinct words, sorted; the terms word w is in are _postings[_postingStart[w].._postingStart[w + 1]], ascending.
    private readonly string[] _vocabulary;
    private readonly int[] _postingStart;
    private readonly int[] _postings;

    private ProblemTerminology(List<ProblemConcept> concepts, string source)
    {
        _concepts = concepts;
        _byCode = concepts.ToDictionary(c => c.Code, StringComparer.Ordinal);
        Source = source;

        var ordered = concepts
            .SelectMany((concept, index) => new[] { (Term: concept.Term, Concept: index, Preferred: true) }
                .Concat(concept.OtherTerms.Select(term => (Term: term, Concept: index, Preferred: false))))
            .OrderBy(t => t.Preferred ? 0 : 1)
            .ThenBy(t => t.Term.Length)
            .ThenBy(t => t.Term, StringComparer.OrdinalIgnoreCase)
            .ToList();
        _terms = [.. ordered.Select(t => t.Term)];
        _termConcept = [.. ordered.Select(t => t.Concept)];

        var termsOfWord = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var term = 0; term < _terms.Length; term++)
        {
            foreach (var word in Words(_terms[term]).Distinct())
            {
                if (!termsOfWord.TryGetValue(word, out var list))
                {
                    termsOfWord[word] = list = [];
                }

                list.Add(term);
            }
        }

        _vocabulary = [.. termsOfWord.Keys.Order(StringComparer.Ordinal)];
        _postingStart = new int[_vocabulary.Length + 1];
        _postings = new int[termsOfWord.Values.Sum(list => list.Count)];
        var at = 0;
        for (var w = 0; w < _vocabulary.Length; w++)
        {
            _postingStart[w] = at;
            var list = termsOfWord[_vocabulary[w]];
            list.CopyTo(_postings, at);
            at += list.Count;
        }

        _postingStart[^1] = at;
    }

    /// <summary>What the concepts came from, as the pages and the command line say it.</summary>
    public string Source { get; }

    public int Count => _concepts.Count;

    public IReadOnlyList<ProblemConcept> Concepts => _concepts;

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
    /// The concepts with a term in which every word of <paramref name="text"/> starts a word, each with
    /// its best such term: those whose preferred term matches first, then shorter terms first. Empty
    /// for text without a letter or digit.
    /// </summary>
    public IReadOnlyList<ProblemMatch> Search(string? text, int limit)
    {
        var query = Words(text ?? "").Distinct().ToList();
        if (query.Count == 0 || _terms.Length == 0)
        {
            return [];
        }

        ulong[]? matching = null;
        foreach (var word in query)
        {
            var terms = TermsWithWordStarting(word);
            if (matching is null)
            {
                matching = terms;
            }
            else
            {
                for (var i = 0; i < matching.Length; i++)
                {
                    matching[i] &= terms[i];
                }
            }
        }

        var results = new List<ProblemMatch>();
        var seen = new HashSet<int>();
        for (var block = 0; block < matching!.Length && results.Count < limit; block++)
        {
            for (var bits = matching[block]; bits != 0 && results.Count < limit; bits &= bits - 1)
            {
                var term = (block * 64) + BitOperations.TrailingZeroCount(bits);
                if (seen.Add(_termConcept[term]))
                {
                    results.Add(new ProblemMatch(_concepts[_termConcept[term]], _terms[term]));
                }
            }
        }

        return results;
    }

    /// <summary>A bitset over the terms: those with a word starting with <paramref name="prefix"/>.</summary>
    private ulong[] TermsWithWordStarting(string prefix)
    {
        var bits = new ulong[(_terms.Length + 63) / 64];
        var first = FirstWordNotBefore(prefix);
        var last = first;
        while (last < _vocabulary.Length && _vocabulary[last].StartsWith(prefix, StringComparison.Ordinal))
        {
            last++;
        }

        // The words sharing a prefix are adjacent in the vocabulary, so their postings are one run.
        foreach (var term in _postings.AsSpan(_postingStart[first], _postingStart[last] - _postingStart[first]))
        {
            bits[term >> 6] |= 1UL << (term & 63);
        }

        return bits;
    }

    private int FirstWordNotBefore(string prefix)
    {
        var low = 0;
        var high = _vocabulary.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(_vocabulary[middle], prefix) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
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

using BenchmarkDotNet.Attributes;
using OpenWard.Web.Terminology;

namespace OpenWard.Benchmarks;

/// <summary>
/// The problem page's SNOMED CT search (<see cref="ProblemTerminology"/>) at the size of an imported
/// release, and building its index at start. The terminology is synthetic (a real release is licensed
/// and not in the repository): 120,000 concepts, the order of a release's active clinical findings and
/// disorders, each with a preferred term and up to two synonyms of two to six words drawn, skewed
/// towards common words as clinical terms are, from 20,000 made-up words; the repository's subset is
/// added so real queries find real concepts.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7, id: "Short")]
public class ProblemSearchBenchmarks
{
    public const int Concepts = 120_000;

    private string _file = "";
    private ProblemTerminology _terminology = null!;

    /// <summary>A typical search as typed, a common word, and the worst case: one letter.</summary>
    [Params("diab typ", "chronic", "d")]
    public string Query { get; set; } = "diab typ";

    [GlobalSetup]
    public void Setup()
    {
        _file = SyntheticRelease();
        _terminology = ProblemTerminology.Parse(new StringReader(_file), "synthetic");
    }

    [Benchmark(Description = "problem search, 20 results")]
    public IReadOnlyList<ProblemMatch> Search() => _terminology.Search(Query, 20);

    [Benchmark(Description = "build the index (start-up)")]
    public int Build() => ProblemTerminology.Parse(new StringReader(_file), "synthetic").Count;

    private static string SyntheticRelease()
    {
        var random = new Random(20261207);
        var words = Enumerable.Range(0, 20_000).Select(_ => MadeUpWord(random)).ToArray();
        words[0] = "chronic";
        var file = new StringWriter();
        ProblemTerminology.Write(ProblemTerminology.Subset().Concepts, "synthetic release for benchmarks", file);
        for (var i = 0; i < Concepts; i++)
        {
            var terms = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Term(random, words));
            file.Write($"{100_000_000 + i}\t{string.Join('\t', terms)}\n");
        }

        return file.ToString();
    }

    // Cubing a uniform draw favours the first words, so some words are in many terms.
    private static string Term(Random random, string[] words) =>
        string.Join(' ', Enumerable.Range(0, 2 + random.Next(5)).Select(_ => words[(int)(Math.Pow(random.NextDouble(), 3) * words.Length)]));

    private static string MadeUpWord(Random random) =>
        new([.. Enumerable.Range(0, 4 + random.Next(9)).Select(_ => (char)('a' + random.Next(26)))]);
}

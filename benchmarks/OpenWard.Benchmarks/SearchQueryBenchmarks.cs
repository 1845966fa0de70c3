using BenchmarkDotNet.Attributes;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;

namespace OpenWard.Benchmarks;

/// <summary>
/// Parsing a search's query string into a <see cref="SearchQuery"/>, for the searches a ward makes
/// most often on each resource kind (the same shapes the load tool sends).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7, id: "Short")]
public class SearchQueryBenchmarks
{
    private KeyValuePair<string, string>[] _query = [];
    private SearchQueryParser _parser = null!;

    [Params(DemoSamples.Patient, DemoSamples.Observation, DemoSamples.Encounter, DemoSamples.MedicationRequest)]
    public string Kind { get; set; } = DemoSamples.Patient;

    [GlobalSetup]
    public void Setup()
    {
        _parser = new SearchQueryParser(SearchParameterRegistry.Default);
        _query = Kind switch
        {
            // 9990000018 is a synthetic NHS number from the 999 test range (valid Modulus 11), illustrative.
            DemoSamples.Patient => [new("identifier", "https://fhir.nhs.uk/Id/nhs-number|9990000018"), new("_count", "10")],
            DemoSamples.Observation => [new("subject", "Patient/pat-000010"), new("code", "http://loinc.org|8867-4"), new("date", "ge2024-01-01")],
            DemoSamples.Encounter => [new("subject", "Patient/pat-000010"), new("status", "in-progress"), new("date", "ge2025-01-01")],
            DemoSamples.MedicationRequest => [new("subject", "Patient/pat-000010"), new("status", "active"), new("_sort", "-authoredon")],
            _ => throw new InvalidOperationException($"No query for {Kind}."),
        };
    }

    [Benchmark(Description = "parse search query")]
    public SearchQuery Parse() => _parser.Parse(Kind, _query, lenient: false);
}

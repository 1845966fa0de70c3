using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Benchmarks;

/// <summary>
/// The CPU a write spends before the database sees it (FhirRestService.PersistAsync): parse the
/// body, extract the search indexes, serialise the stored JSON; and the three together.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7, id: "Short")]
public class WritePathBenchmarks
{
    private byte[] _json = [];
    private Resource _resource = new Patient();
    private SearchIndexer _indexer = null!;

    [Params(DemoSamples.Patient, DemoSamples.Observation, DemoSamples.Encounter, DemoSamples.MedicationRequest)]
    public string Kind { get; set; } = DemoSamples.Patient;

    [GlobalSetup]
    public void Setup()
    {
        _json = DemoSamples.JsonBytes(Kind);
        _resource = FhirSerialization.ParseJson(_json);
        _indexer = new SearchIndexer(SearchParameterRegistry.Default);
    }

    [Benchmark(Description = "parse JSON")]
    public Resource ParseJson() => FhirSerialization.ParseJson(_json);

    [Benchmark(Description = "extract indexes")]
    public ResourceIndexes ExtractIndexes() => _indexer.Extract(_resource);

    [Benchmark(Description = "serialise JSON")]
    public string SerializeJson() => FhirSerialization.ToJson(_resource);

    /// <summary>
    /// Extraction on a resource just parsed, as a write does it: minus <see cref="ParseJson"/>, this is
    /// what extraction costs on a resource that has not been walked before.
    /// </summary>
    [Benchmark(Description = "parse + extract")]
    public ResourceIndexes ParseAndExtract() => _indexer.Extract(FhirSerialization.ParseJson(_json));

    /// <summary>What a create costs in CPU before SQL: parse, index, serialise.</summary>
    [Benchmark(Description = "parse + extract + serialise")]
    public string WritePath()
    {
        var resource = FhirSerialization.ParseJson(_json);
        _indexer.Extract(resource);
        return FhirSerialization.ToJson(resource);
    }
}

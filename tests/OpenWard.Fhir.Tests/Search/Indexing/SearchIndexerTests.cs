using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search.Indexing;

public class SearchIndexerTests
{
    [Fact]
    public void A_resource_of_an_unsupported_type_has_no_entries()
    {
        var indexes = SharedIndexer.Instance.Extract(new Basic { Id = "b1", Code = new CodeableConcept("http://example.org", "x") });

        Assert.Empty(indexes.Tokens);
        Assert.Empty(indexes.Strings);
        Assert.Empty(indexes.References);
        Assert.Null(indexes.PatientCompartment);
    }

    [Fact]
    public void One_indexer_used_from_many_threads_gives_the_same_entries_as_one_thread()
    {
        var resources = Enumerable.Range(0, 200).Select(Sample).ToList();
        var sequential = resources.Select(r => Summary(SharedIndexer.Instance.Extract(r))).ToList();

        var parallel = new string[resources.Count];
        Parallel.For(0, resources.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = Summary(SharedIndexer.Instance.Extract(resources[i])));

        Assert.Equal(sequential, parallel);
    }

    private static Resource Sample(int i) => (i % 2) switch
    {
        0 => new Patient
        {
            Id = $"p{i}",
            Name = [new HumanName { Family = $"Family{i}", Given = ["Zoë"] }],
            BirthDate = $"19{i % 100:00}-01-02",
        },
        _ => new Observation
        {
            Id = $"o{i}",
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"),
            Subject = new ResourceReference($"Patient/p{i - 1}"),
            Value = new Quantity { Value = i, System = "http://unitsofmeasure.org", Code = "kg" },
        },
    };

    private static string Summary(ResourceIndexes indexes) =>
        string.Join("|", [indexes.PatientCompartment, .. indexes.Tokens.Select(t => t.ToString()), .. indexes.Strings.Select(s => s.ToString()),
            .. indexes.Dates.Select(d => d.ToString()), .. indexes.References.Select(r => r.ToString()), .. indexes.Quantities.Select(q => q.ToString())]);
}

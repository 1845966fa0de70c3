using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search.Indexing;

/// <summary>The UK Core 2.0.0 examples (https://simplifier.net/hl7fhirukcorer4, Apache-2.0) through the indexer.</summary>
public class UkCoreExampleIndexingTests
{
    private static readonly string ExamplesFolder = UkCoreExamples.Directory;

    private static Resource Read(string fileName)
    {
        var path = Path.Combine(ExamplesFolder, fileName);
        Assert.True(File.Exists(path), $"UK Core example {path} not found.");
        try
        {
            return FhirXmlDeserializer.DEFAULT.DeserializeResource(File.ReadAllText(path));
        }
        catch (DeserializationFailedException e) when (e.PartialResult is Resource partial)
        {
            // A few published examples break XML element order; their content is still valid FHIR.
            return partial;
        }
    }

    [Fact]
    public void The_Richard_Smith_example_gives_his_NHS_number_and_family_name()
    {
        var indexes = SharedIndexer.Instance.Extract(Read("UKCore-Patient-RichardSmith-Example.xml"));

        // https://fhir.nhs.uk/Id/nhs-number is the NHS number system (NHS England, UK Core Patient profile).
        Assert.Contains(new TokenIndex("identifier", "https://fhir.nhs.uk/Id/nhs-number", "9912003888", null), indexes.Tokens);
        Assert.Contains(new StringIndex("family", "smith", "SMITH"), indexes.Strings);
        Assert.Equal("UKCore-Patient-RichardSmith-Example", indexes.PatientCompartment);
    }

    [Fact]
    public void A_UK_Core_observation_is_in_its_patients_compartment_with_its_code_and_value()
    {
        var indexes = SharedIndexer.Instance.Extract(Read("UKCore-Observation-VitalSigns-BodyWeight-Example.xml"));

        Assert.Equal("UKCore-Patient-RichardSmith-Example", indexes.PatientCompartment);
        Assert.Contains(new ReferenceIndex("patient", "Patient", "UKCore-Patient-RichardSmith-Example", null), indexes.References);
        Assert.Contains(indexes.Tokens, t => t is { Param: "code", System: "http://snomed.info/sct", Code: "27113001" });
        Assert.Contains(indexes.Quantities, q => q is { Param: "value-quantity", System: "http://unitsofmeasure.org", Code: "kg" });
    }

    [Fact]
    public void Every_example_of_a_supported_type_is_indexed_without_error()
    {
        var indexed = 0;
        var unreadable = new List<string>();
        foreach (var file in Directory.GetFiles(ExamplesFolder, "*.xml").Order(StringComparer.Ordinal))
        {
            Resource resource;
            try
            {
                resource = Read(Path.GetFileName(file));
            }
            catch (ArgumentException)
            {
                unreadable.Add(Path.GetFileName(file));
                continue;
            }

            if (!SearchParameterRegistry.Default.IsSupportedType(resource.TypeName))
            {
                continue;
            }

            var indexes = SharedIndexer.Instance.Extract(resource);
            Assert.Contains(new TokenIndex("_id", null, resource.Id, null), indexes.Tokens);
            indexed++;
        }

        // That example gives its extension two values (valueCode and valueCodeableConcept), which is not
        // FHIR, and the Firely parser fails on it with an ArgumentException rather than a parse error.
        Assert.Equal(["Extension-UKCore-ConditionEpisode-Example.xml"], unreadable);
        Assert.True(indexed >= 100, $"only {indexed} examples of supported types were found");
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using SearchParamType = OpenWard.Fhir.Search.SearchParamType;

namespace OpenWard.Fhir.Tests.Search.Indexing;

public class QuantityNumberUriIndexingTests
{
    private const string Ucum = "http://unitsofmeasure.org";

    [Fact]
    public void A_Quantity_gives_value_system_code_and_unit()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://snomed.info/sct", "27113001"),
            Value = new Quantity { Value = 90.5m, System = Ucum, Code = "kg", Unit = "kilogram" },
        };

        var quantity = Assert.Single(SharedIndexer.Instance.Extract(observation).Quantities, q => q.Param == "value-quantity");

        Assert.Equal(new QuantityIndex("value-quantity", 90.5m, Ucum, "kg", "kilogram"), quantity);
    }

    [Fact]
    public void A_Duration_is_a_quantity()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
            Length = new Duration { Value = 3, System = Ucum, Code = "d", Unit = "days" },
        };

        var length = Assert.Single(SharedIndexer.Instance.Extract(encounter).Quantities, q => q.Param == "length");

        Assert.Equal(new QuantityIndex("length", 3m, Ucum, "d", "days"), length);
    }

    [Fact]
    public void SampledData_is_indexed_by_its_origin()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://snomed.info/sct", "27113001"),
            Value = new SampledData { Origin = new Quantity { Value = 0, System = Ucum, Code = "mV" }, Period = 10, Dimensions = 1, Data = "1 2 3" },
        };

        var quantity = Assert.Single(SharedIndexer.Instance.Extract(observation).Quantities, q => q.Param == "value-quantity");

        Assert.Equal(new QuantityIndex("value-quantity", 0m, Ucum, "mV", null), quantity);
    }

    [Fact]
    public void A_Range_gives_no_quantity_entry()
    {
        var condition = new Condition
        {
            Subject = new ResourceReference("Patient/p1"),
            Onset = new Hl7.Fhir.Model.Range { Low = new Quantity { Value = 40, System = Ucum, Code = "a" } },
        };

        Assert.DoesNotContain(SharedIndexer.Instance.Extract(condition).Quantities, q => q.Param == "onset-age");
    }

    // No number or Money parameter exists on the supported types, so these mappings are checked on the collector itself.
    [Fact]
    public void Money_is_a_quantity_in_ISO_4217_currency()
    {
        var indexes = new ResourceIndexes();
        var collector = new IndexCollector(indexes);
        collector.BeginParameter("cost", SearchParamType.Quantity);

        collector.Add(SearchParamType.Quantity, new Money { Value = 12.50m, Currency = Money.Currencies.GBP });

        Assert.Equal([new QuantityIndex("cost", 12.50m, "urn:iso:std:iso:4217", "GBP", null)], indexes.Quantities);
    }

    [Fact]
    public void Decimal_and_integer_values_are_numbers()
    {
        var indexes = new ResourceIndexes();
        var collector = new IndexCollector(indexes);
        collector.BeginParameter("probability", SearchParamType.Number);

        collector.Add(SearchParamType.Number, new FhirDecimal(0.25m));
        collector.Add(SearchParamType.Number, new Integer(3));
        collector.Add(SearchParamType.Number, new PositiveInt(3));
        collector.Add(SearchParamType.Number, new FhirString("3"));

        Assert.Equal([new NumberIndex("probability", 0.25m), new NumberIndex("probability", 3m)], indexes.Numbers);
    }

    [Fact]
    public void Uri_url_and_canonical_elements_are_uris()
    {
        var questionnaire = new Questionnaire
        {
            Status = PublicationStatus.Active,
            Url = "https://openward.example/Questionnaire/fitness-for-work",
            Meta = new Meta { Profile = ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-Questionnaire"] },
        };
        var request = new ServiceRequest
        {
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference("Patient/p1"),
            InstantiatesUri = ["https://openward.example/protocols/colonoscopy"],
        };

        var questionnaireUris = SharedIndexer.Instance.Extract(questionnaire).Uris;
        var requestUris = SharedIndexer.Instance.Extract(request).Uris;

        Assert.Contains(new UriIndex("url", "https://openward.example/Questionnaire/fitness-for-work"), questionnaireUris);
        Assert.Contains(new UriIndex("_profile", "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Questionnaire"), questionnaireUris);
        Assert.Contains(new UriIndex("instantiates-uri", "https://openward.example/protocols/colonoscopy"), requestUris);
    }
}

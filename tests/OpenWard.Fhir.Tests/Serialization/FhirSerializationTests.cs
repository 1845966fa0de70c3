using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Fhir.Tests.Serialization;

public sealed class FhirSerializationTests
{
    [Fact]
    public void Json_that_is_not_json_is_a_400_with_a_clear_code()
    {
        var error = Assert.Throws<FhirException>(() => FhirSerialization.ParseJson("{\"resourceType\":"));

        Assert.Equal(400, error.Status);
        Assert.Equal("PARSE_JSON", error.Outcome.Issue[0].Details!.Coding[0].Code);
    }

    [Fact]
    public void An_invalid_code_is_a_400_listing_the_parser_issue()
    {
        var error = Assert.Throws<FhirException>(() => FhirSerialization.ParseJson("{\"resourceType\":\"Patient\",\"gender\":\"sometimes\"}"));

        Assert.Equal(400, error.Status);
        Assert.NotEmpty(error.Outcome.Issue);
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"contained":{}}""")]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"contained":[{}]}""")]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"contained":[1]}""")]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"":{}}""")]
    public void A_malformed_contained_list_or_an_empty_member_name_is_a_400_not_a_crash(string json)
    {
        var error = Assert.Throws<FhirException>(() => FhirSerialization.ParseJson(json));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void An_extension_with_two_values_is_a_400_not_a_crash()
    {
        // The parser throws a plain ArgumentException here (seen on a UK Core example); it must still be the client's 400.
        const string xml = """
            <Condition xmlns="http://hl7.org/fhir">
              <extension url="https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-ConditionEpisode">
                <valueCode value="first"/>
                <valueCodeableConcept><text value="first"/></valueCodeableConcept>
              </extension>
              <subject><reference value="Patient/1"/></subject>
            </Condition>
            """;

        var error = Assert.Throws<FhirException>(() => FhirSerialization.ParseXml(xml));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public void Xml_round_trips_through_json()
    {
        var patient = new Patient { Id = "p1", Name = [new HumanName { Family = "Ó Briain" }] };

        var xml = System.Text.Encoding.UTF8.GetString(FhirSerialization.ToXmlBytes(patient));
        var back = (Patient)FhirSerialization.ParseXml(xml);

        Assert.Equal(FhirSerialization.ToJson(patient), FhirSerialization.ToJson(back));
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search.Indexing;

public class ReferenceIndexingTests
{
    private static Observation ObservationAbout(string subject) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://snomed.info/sct", "27113001"),
        Subject = new ResourceReference(subject),
    };

    [Fact]
    public void A_relative_reference_gives_target_type_and_id()
    {
        var references = SharedIndexer.Instance.Extract(ObservationAbout("Patient/p1")).References;

        Assert.Contains(new ReferenceIndex("subject", "Patient", "p1", null), references);
    }

    [Fact]
    public void Resolve_is_Patient_keeps_only_references_to_patients()
    {
        var aboutPatient = SharedIndexer.Instance.Extract(ObservationAbout("Patient/p1")).References;
        var aboutGroup = SharedIndexer.Instance.Extract(ObservationAbout("Group/g1")).References;

        Assert.Contains(new ReferenceIndex("patient", "Patient", "p1", null), aboutPatient);
        Assert.Contains(new ReferenceIndex("subject", "Group", "g1", null), aboutGroup);
        Assert.DoesNotContain(aboutGroup, r => r.Param == "patient");
    }

    [Fact]
    public void A_versioned_reference_points_at_the_resource()
    {
        var references = SharedIndexer.Instance.Extract(ObservationAbout("Patient/p1/_history/3")).References;

        Assert.Contains(new ReferenceIndex("subject", "Patient", "p1", null), references);
    }

    [Fact]
    public void An_absolute_reference_keeps_its_url_and_the_type_and_id_it_ends_with()
    {
        const string url = "https://other.example.org/fhir/Patient/p9";

        var references = SharedIndexer.Instance.Extract(ObservationAbout(url)).References;

        Assert.Contains(new ReferenceIndex("subject", "Patient", "p9", url), references);
        Assert.Contains(new ReferenceIndex("patient", "Patient", "p9", url), references);
    }

    [Fact]
    public void A_urn_reference_is_a_url_only()
    {
        const string urn = "urn:uuid:c8225cc8-8026-466f-80f8-fc2832a4b9d5";

        var subject = Assert.Single(SharedIndexer.Instance.Extract(ObservationAbout(urn)).References, r => r.Param == "subject");

        Assert.Equal(new ReferenceIndex("subject", null, null, urn), subject);
    }

    [Fact]
    public void Contained_identifier_only_and_unreadable_references_are_not_indexed()
    {
        var contained = ObservationAbout("#patient1");
        var byIdentifier = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://snomed.info/sct", "27113001"),
            Subject = new ResourceReference { Identifier = new Identifier("https://fhir.nhs.uk/Id/nhs-number", "9912003888") },
        };
        var conditional = ObservationAbout("Patient?identifier=9912003888");

        Assert.Empty(SharedIndexer.Instance.Extract(contained).References);
        Assert.Empty(SharedIndexer.Instance.Extract(byIdentifier).References);
        Assert.Empty(SharedIndexer.Instance.Extract(conditional).References);
    }

    [Fact]
    public void A_canonical_reference_is_a_url()
    {
        var response = new QuestionnaireResponse
        {
            Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Questionnaire = "https://openward.example/Questionnaire/fitness-for-work",
        };

        var questionnaire = Assert.Single(SharedIndexer.Instance.Extract(response).References, r => r.Param == "questionnaire");

        Assert.Equal(new ReferenceIndex("questionnaire", null, null, "https://openward.example/Questionnaire/fitness-for-work"), questionnaire);
    }
}

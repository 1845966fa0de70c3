using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search.Indexing;

public class TokenIndexingTests
{
    private const string Snomed = "http://snomed.info/sct";

    [Fact]
    public void A_Coding_gives_its_system_code_and_normalised_display()
    {
        // https://terminology.hl7.org/CodeSystem-v3-ActCode.html: IMP = inpatient encounter.
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.InProgress,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "Inpatient Encounter"),
        };

        var indexes = SharedIndexer.Instance.Extract(encounter);

        Assert.Contains(new TokenIndex("class", "http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"), indexes.Tokens);
    }

    [Fact]
    public void A_CodeableConcept_gives_one_entry_per_coding_and_one_for_its_own_text()
    {
        // SNOMED CT 27113001 |Body weight|, LOINC 29463-7 Body weight (as in the UK Core body weight example).
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept
            {
                Coding = [new Coding(Snomed, "27113001", "Body weight"), new Coding("http://loinc.org", "29463-7", "Body weight")],
                Text = "Weight on admission",
            },
        };

        var tokens = SharedIndexer.Instance.Extract(observation).Tokens.Where(t => t.Param == "code").ToList();

        Assert.Equal(
            [
                new TokenIndex("code", Snomed, "27113001", "body weight"),
                new TokenIndex("code", "http://loinc.org", "29463-7", "body weight"),
                new TokenIndex("code", null, null, "weight on admission"),
            ],
            tokens);
    }

    [Fact]
    public void A_CodeableConcept_text_equal_to_a_display_adds_no_extra_entry()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Snomed, "27113001", "Body weight", "Body Weight"),
        };

        var tokens = SharedIndexer.Instance.Extract(observation).Tokens.Where(t => t.Param == "code").ToList();

        Assert.Equal([new TokenIndex("code", Snomed, "27113001", "body weight")], tokens);
    }

    [Fact]
    public void An_identifier_gives_system_and_value_with_its_type_for_of_type()
    {
        // https://terminology.hl7.org/CodeSystem-v2-0203.html: MR = medical record number. Value illustrative.
        var patient = new Patient
        {
            Identifier =
            [
                new Identifier("https://trust.example.nhs.uk/Id/mrn", "RX12345")
                {
                    Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number", "Hospital number"),
                },
            ],
        };

        var tokens = SharedIndexer.Instance.Extract(patient).Tokens.Where(t => t.Param == "identifier").ToList();

        Assert.Equal(
            [new TokenIndex("identifier", "https://trust.example.nhs.uk/Id/mrn", "RX12345", "hospital number", "http://terminology.hl7.org/CodeSystem/v2-0203", "MR")],
            tokens);
    }

    [Fact]
    public void An_identifier_without_a_type_has_no_type_columns()
    {
        var patient = new Patient { Identifier = [new Identifier("https://fhir.nhs.uk/Id/nhs-number", "9912003888")] };

        var tokens = SharedIndexer.Instance.Extract(patient).Tokens.Where(t => t.Param == "identifier").ToList();

        Assert.Equal([new TokenIndex("identifier", "https://fhir.nhs.uk/Id/nhs-number", "9912003888", null)], tokens);
    }

    [Fact]
    public void A_ContactPoint_gives_its_value_without_a_system()
    {
        var patient = new Patient
        {
            Telecom =
            [
                new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Home, "01131231234"),
                new ContactPoint(ContactPoint.ContactPointSystem.Email, null, "someone@example.org"),
            ],
        };

        var tokens = SharedIndexer.Instance.Extract(patient).Tokens;

        Assert.Contains(new TokenIndex("telecom", null, "01131231234", null), tokens);
        Assert.Contains(new TokenIndex("telecom", null, "someone@example.org", null), tokens);
        Assert.Equal([new TokenIndex("phone", null, "01131231234", null)], tokens.Where(t => t.Param == "phone"));
        Assert.Equal([new TokenIndex("email", null, "someone@example.org", null)], tokens.Where(t => t.Param == "email"));
    }

    [Fact]
    public void Code_boolean_string_and_id_primitives_give_a_code_only()
    {
        var patient = new Patient { Id = "p1", Gender = AdministrativeGender.Female, Active = true };
        var medication = new Medication { Batch = new Medication.BatchComponent { LotNumber = "LOT-42A" } };

        var patientTokens = SharedIndexer.Instance.Extract(patient).Tokens;
        var medicationTokens = SharedIndexer.Instance.Extract(medication).Tokens;

        Assert.Contains(new TokenIndex("gender", null, "female", null), patientTokens);
        Assert.Contains(new TokenIndex("active", null, "true", null), patientTokens);
        Assert.Contains(new TokenIndex("_id", null, "p1", null), patientTokens);
        Assert.Contains(new TokenIndex("lot-number", null, "LOT-42A", null), medicationTokens);
    }

    [Fact]
    public void Identical_entries_of_a_parameter_are_kept_once()
    {
        var category = new Coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs");
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(Snomed, "27113001"),
            Category = [new CodeableConcept { Coding = [category] }, new CodeableConcept { Coding = [category] }],
        };

        var tokens = SharedIndexer.Instance.Extract(observation).Tokens.Where(t => t.Param == "category").ToList();

        Assert.Single(tokens);
    }

    [Fact]
    public void Meta_tags_and_security_labels_are_tokens()
    {
        // https://terminology.hl7.org/CodeSystem-v3-Confidentiality.html: R = restricted.
        var patient = new Patient
        {
            Meta = new Meta
            {
                Tag = [new Coding("https://openward.example/tags", "imported")],
                Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")],
            },
        };

        var tokens = SharedIndexer.Instance.Extract(patient).Tokens;

        Assert.Contains(new TokenIndex("_tag", "https://openward.example/tags", "imported", null), tokens);
        Assert.Contains(new TokenIndex("_security", "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R", null), tokens);
    }
}

using System.Text;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Serialization;
using OpenWard.Fhir.Validation;
using OpenWard.Security;

// Firely marks every element nullable; these tests read what they just built, and an unexpected null fails them anyway.
#nullable disable warnings

namespace OpenWard.Web.Tests.Audit;

public sealed class AuditEventFactoryTests
{
    private static readonly Lazy<SearchIndexer> Indexer = new(() => new SearchIndexer(SearchParameterRegistry.Default));
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
    private static readonly DateTimeOffset Recorded = new(2025, 3, 1, 9, 30, 15, TimeSpan.Zero);

    /// <summary>Illustrative staff member, not a real person.</summary>
    internal static readonly Principal Doctor = new(PrincipalKind.Staff, "a.khan", "Dr Aisha Khan")
    {
        Role = StaffRole.Doctor,
        PractitionerId = "prac-1",
        ClientId = "bedside-app",
    };

    private static AuditEvent RoundTrip(AuditEvent auditEvent) =>
        (AuditEvent)FhirSerialization.ParseJson(FhirSerialization.ToJson(auditEvent)); // the validating parser: codes, cardinality

    [Fact]
    public void A_read_by_a_doctor_through_an_app_names_the_doctor_the_app_the_patient_and_the_resource()
    {
        var record = new AuditRecord(Recorded, Doctor, AuditInteraction.VRead, AuditAction.Read, AuditOutcome.Success)
        {
            Address = "10.1.2.3",
            PatientIds = ["pat-1"],
            Entities = ["Observation/obs-1/_history/2"],
        };

        var auditEvent = RoundTrip(AuditEventFactory.Build(record, "ae-1"));

        Assert.Equal("ae-1", auditEvent.Id);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"), (auditEvent.Type.System, auditEvent.Type.Code));
        Assert.Equal(("http://hl7.org/fhir/restful-interaction", "vread"), (auditEvent.Subtype.Single().System, auditEvent.Subtype.Single().Code));
        Assert.Equal(AuditEvent.AuditEventAction.R, auditEvent.Action);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, auditEvent.Outcome);
        Assert.Equal(Recorded, auditEvent.Recorded);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/v3-ActReason", "TREAT"), (auditEvent.PurposeOfEvent.Single().Coding.Single().System, auditEvent.PurposeOfEvent.Single().Coding.Single().Code));

        var person = auditEvent.Agent[0];
        Assert.Equal("Practitioner/prac-1", person.Who.Reference);
        Assert.Equal("Dr Aisha Khan", person.Who.Display);
        Assert.Equal("Dr Aisha Khan", person.Name);
        Assert.Equal("a.khan", person.AltId);
        Assert.True(person.Requestor);
        Assert.Equal("doctor", person.Role.Single().Coding.Single().Code);
        Assert.Equal("humanuser", person.Type.Coding.Single().Code);
        Assert.Equal("10.1.2.3", person.Network.Address);
        Assert.Equal(AuditEvent.AuditEventAgentNetworkType.N2, person.Network.Type);

        var app = auditEvent.Agent[1];
        Assert.Equal((AuditEventFactory.ClientIdSystem, "bedside-app"), (app.Who.Identifier.System, app.Who.Identifier.Value));
        Assert.False(app.Requestor);

        Assert.Equal("OpenWard", auditEvent.Source.Observer.Display);
        Assert.Equal("4", auditEvent.Source.Type.Single().Code);

        Assert.Equal(2, auditEvent.Entity.Count);
        Assert.Equal(("Patient/pat-1", "1", "1"), (auditEvent.Entity[0].What.Reference, auditEvent.Entity[0].Type.Code, auditEvent.Entity[0].Role.Code));
        Assert.Equal(("Observation/obs-1/_history/2", "2"), (auditEvent.Entity[1].What.Reference, auditEvent.Entity[1].Type.Code));
    }

    [Fact]
    public void A_system_client_is_one_agent_named_by_its_client_id()
    {
        var record = new AuditRecord(Recorded, Principal.SystemClient("lab-feed"), AuditInteraction.Create, AuditAction.Create, AuditOutcome.Success)
        {
            PurposeOfUse = AuditPurpose.Operations,
        };

        var auditEvent = RoundTrip(AuditEventFactory.Build(record, "ae-2"));

        var agent = Assert.Single(auditEvent.Agent);
        Assert.Equal((AuditEventFactory.ClientIdSystem, "lab-feed"), (agent.Who.Identifier.System, agent.Who.Identifier.Value));
        Assert.Equal("110150", agent.Type.Coding.Single().Code);
        Assert.Equal("HOPERAT", auditEvent.PurposeOfEvent.Single().Coding.Single().Code);
    }

    [Fact]
    public void A_staff_member_without_a_practitioner_is_named_by_user_name()
    {
        var clerk = new Principal(PrincipalKind.Staff, "j.bloggs", "Joe Bloggs") { Role = StaffRole.WardClerk };

        var auditEvent = AuditEventFactory.Build(new AuditRecord(Recorded, clerk, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success), "ae-3");

        var agent = Assert.Single(auditEvent.Agent);
        Assert.Null(agent.Who.Reference);
        Assert.Equal((AuditEventFactory.UserNameSystem, "j.bloggs"), (agent.Who.Identifier.System, agent.Who.Identifier.Value));
        Assert.Equal("ward-clerk", agent.Role.Single().Coding.Single().Code);
    }

    [Fact]
    public void A_search_keeps_its_query_as_base64_in_a_query_entity()
    {
        const string query = "patient=Patient/pat-1&code=http://loinc.org|8867-4&_count=50";
        var record = new AuditRecord(Recorded, Doctor, AuditInteraction.SearchType, AuditAction.Execute, AuditOutcome.Success)
        {
            PatientIds = ["pat-1"],
            Query = query,
        };

        var auditEvent = RoundTrip(AuditEventFactory.Build(record, "ae-4"));
        var json = FhirSerialization.ToJson(auditEvent);

        var queryEntity = auditEvent.Entity.Single(e => e.Query is not null);
        Assert.Equal(query, Encoding.UTF8.GetString(queryEntity.Query));
        Assert.Null(queryEntity.Name); // sev-1
        Assert.Equal("24", queryEntity.Role.Code);
        Assert.Contains($"\"query\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(query))}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Break_glass_is_a_security_alert_with_its_purpose_and_reason()
    {
        var record = new AuditRecord(Recorded, Doctor, AuditInteraction.BreakGlass, AuditAction.Execute, AuditOutcome.Success)
        {
            PurposeOfUse = AuditPurpose.BreakTheGlass,
            PatientIds = ["pat-9"],
            Detail = "Collapsed in the emergency department; no care relationship yet.",
        };

        var auditEvent = RoundTrip(AuditEventFactory.Build(record, "ae-5"));

        Assert.Equal(("http://dicom.nema.org/resources/ontology/DCM", "110113"), (auditEvent.Type.System, auditEvent.Type.Code));
        Assert.Contains(auditEvent.Subtype, c => c.Code == "110127");
        Assert.Contains(auditEvent.Subtype, c => c.System == AuditEventFactory.OpenWardSubtypeSystem && c.Code == "break-glass");
        Assert.Equal("BTG", auditEvent.PurposeOfEvent.Single().Coding.Single().Code);
        Assert.Equal(record.Detail, ((FhirString)auditEvent.GetExtension(AuditEventFactory.DetailExtension).Value).Value);
    }

    [Theory]
    [InlineData(AuditInteraction.Login, "110114", "110122")]
    [InlineData(AuditInteraction.LoginFailed, "110114", "110122")]
    [InlineData(AuditInteraction.Logout, "110114", "110123")]
    [InlineData(AuditInteraction.Export, "110106", null)]
    [InlineData(AuditInteraction.Print, "110106", null)]
    public void Events_that_are_not_rest_interactions_have_a_dicom_type_and_an_openward_subtype(string interaction, string type, string? dicomSubtype)
    {
        var outcome = interaction == AuditInteraction.LoginFailed ? AuditOutcome.MinorFailure : AuditOutcome.Success;

        var auditEvent = RoundTrip(AuditEventFactory.Build(new AuditRecord(Recorded, Doctor, interaction, AuditAction.Execute, outcome), "ae-6"));

        Assert.Equal(type, auditEvent.Type.Code);
        Assert.Contains(auditEvent.Subtype, c => c.System == AuditEventFactory.OpenWardSubtypeSystem && c.Code == interaction);
        Assert.Equal(dicomSubtype, auditEvent.Subtype.SingleOrDefault(c => c.System == "http://dicom.nema.org/resources/ontology/DCM")?.Code);
        Assert.Equal(outcome == 0 ? AuditEvent.AuditEventOutcome.N0 : AuditEvent.AuditEventOutcome.N4, auditEvent.Outcome);
    }

    [Fact]
    public void An_operation_names_itself_in_a_further_subtype()
    {
        var record = new AuditRecord(Recorded, Doctor, AuditInteraction.Operation, AuditAction.Execute, AuditOutcome.Success) { OperationName = "$everything" };

        var auditEvent = AuditEventFactory.Build(record, "ae-7");

        Assert.Contains(auditEvent.Subtype, c => c.System == AuditEventFactory.OperationSystem && c.Code == "everything");
    }

    [Theory]
    [InlineData("look", 'R', 0)]
    [InlineData("read", 'X', 0)]
    [InlineData("read", 'R', 5)]
    public void Codes_outside_the_value_sets_are_refused(string interaction, char action, int outcome) =>
        Assert.Throws<ArgumentException>(() => AuditEventFactory.Build(new AuditRecord(Recorded, Doctor, interaction, action, outcome), "ae-8"));

    [Fact]
    public void The_events_are_valid_against_the_base_R4_AuditEvent_and_UK_Core_profiles()
    {
        var records = new[]
        {
            new AuditRecord(Recorded, Doctor, AuditInteraction.SearchType, AuditAction.Execute, AuditOutcome.Success) { Address = "10.0.0.1", PatientIds = ["p1"], Entities = ["Observation/o1"], Query = "subject=Patient/p1" },
            new AuditRecord(Recorded, Doctor, AuditInteraction.BreakGlass, AuditAction.Execute, AuditOutcome.Success) { PurposeOfUse = AuditPurpose.BreakTheGlass, PatientIds = ["p1"], Detail = "Emergency." },
            new AuditRecord(Recorded, Principal.SystemClient("lab"), AuditInteraction.Update, AuditAction.Update, AuditOutcome.MinorFailure) { OutcomeDescription = "Version conflict.", Entities = ["Observation/o1/_history/3"] },
        };

        foreach (var record in records)
        {
            var auditEvent = AuditEventFactory.Build(record, "ae-valid");
            foreach (var profile in new[] { "http://hl7.org/fhir/StructureDefinition/AuditEvent", "https://fhir.hl7.org.uk/StructureDefinition/UKCore-AuditEvent" })
            {
                var outcome = Validator.Value.Validate(auditEvent, profile);
                Assert.True(
                    ProfileValidator.IsValid(outcome),
                    $"{record.Interaction} against {profile}: " + string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
            }
        }
    }

    [Fact]
    public void The_validator_used_above_does_enforce_the_sev_1_invariant()
    {
        var record = new AuditRecord(Recorded, Doctor, AuditInteraction.SearchType, AuditAction.Execute, AuditOutcome.Success) { Query = "name=smith" };
        var auditEvent = AuditEventFactory.Build(record, "ae-invalid");
        auditEvent.Entity.Single().Name = "both a name and a query";

        var outcome = Validator.Value.Validate(auditEvent, "http://hl7.org/fhir/StructureDefinition/AuditEvent");

        Assert.False(ProfileValidator.IsValid(outcome));
        Assert.Contains(outcome.Issue, i => (i.Details?.Text ?? i.Diagnostics ?? "").Contains("sev-1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_R4_patient_search_parameter_indexes_every_patient_entity_and_a_patient_agent()
    {
        var patientUser = new Principal(PrincipalKind.Patient, "pat-self", "Sam Patient");
        var record = new AuditRecord(Recorded, patientUser, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success)
        {
            PatientIds = ["pat-1", "pat-2"],
            Entities = ["Observation/obs-1"],
            PurposeOfUse = AuditPurpose.PatientRequest,
        };

        var indexes = Indexer.Value.Extract(AuditEventFactory.Build(record, "ae-9"));

        var patients = indexes.References.Where(r => r.Param == "patient").Select(r => $"{r.TargetType}/{r.TargetId}").Order().ToList();
        Assert.Equal(["Patient/pat-1", "Patient/pat-2", "Patient/pat-self"], patients);
        Assert.Contains(indexes.References, r => r is { Param: "agent", TargetType: "Patient", TargetId: "pat-self" });
        Assert.Contains(indexes.References, r => r is { Param: "entity", TargetType: "Observation", TargetId: "obs-1" });
        Assert.Contains(indexes.Tokens, t => t is { Param: "subtype", System: "http://hl7.org/fhir/restful-interaction", Code: "read" });
        Assert.Contains(indexes.Tokens, t => t is { Param: "action", Code: "R" });
        Assert.Contains(indexes.Dates, d => d.Param == "date" && d.Low == Recorded);
        Assert.Equal("pat-self", indexes.PatientCompartment);
    }
}

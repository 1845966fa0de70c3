using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;

namespace OpenWard.Web.Tests.Audit;

/// <summary>
/// The store indexes projected AuditEvents with <see cref="AuditEventIndexer"/> (direct, a few µs)
/// instead of <see cref="SearchIndexer"/> (FHIRPath, 80-150 µs): its entries must be exactly
/// SearchIndexer's, for every parameter, on every kind of event the trail writes.
/// </summary>
public sealed class AuditEventIndexerTests
{
    private static readonly Lazy<SearchIndexer> Indexer = new(() => new SearchIndexer(SearchParameterRegistry.Default));
    private static readonly DateTimeOffset Recorded = new(2025, 3, 1, 9, 30, 15, TimeSpan.Zero);

    // Illustrative people and systems, not real ones.
    private static readonly Principal Nurse = new(PrincipalKind.Staff, "b.okafor", "Nurse Bola Okafor") { Role = StaffRole.Nurse };
    private static readonly Principal PasFeed = new(PrincipalKind.System, "pas-feed", "PAS feed") { ClientId = "pas-feed" };
    private static readonly Principal ThePatient = new(PrincipalKind.Patient, "pat-7", "Sam Patel") { ClientId = "patient-portal" };
    private static readonly Principal Unknown = new(PrincipalKind.Staff, "nobody", "nobody");

    public static TheoryData<string, AuditRecord> Events => new()
    {
        { "read", new AuditRecord(Recorded, AuditEventFactoryTests.Doctor, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success) { Address = "10.1.2.3", PatientIds = ["pat-1"], Entities = ["Patient/pat-1"] } },
        { "vread", new AuditRecord(Recorded, AuditEventFactoryTests.Doctor, AuditInteraction.VRead, AuditAction.Read, AuditOutcome.Success) { PatientIds = ["pat-1"], Entities = ["Observation/obs-1/_history/2"] } },
        { "search", new AuditRecord(Recorded, Nurse, AuditInteraction.SearchType, AuditAction.Execute, AuditOutcome.Success) { Address = "10.1.2.4", PatientIds = ["pat-1", "pat-2", "pat-1"], Entities = ["Observation/obs-1", "Observation/obs-2"], Query = "Observation?code=8867-4&patient=pat-1" } },
        { "refused search", new AuditRecord(Recorded, Nurse, AuditInteraction.SearchType, AuditAction.Execute, AuditOutcome.MinorFailure) { OutcomeDescription = "Not on your ward.", Query = "Patient?name=smith" } },
        { "write", new AuditRecord(Recorded, AuditEventFactoryTests.Doctor, AuditInteraction.Update, AuditAction.Update, AuditOutcome.Success) { PatientIds = ["pat-3"], Entities = ["Condition/c-1/_history/3"] } },
        { "system write", new AuditRecord(Recorded, PasFeed, AuditInteraction.Transaction, AuditAction.Execute, AuditOutcome.Success) { PurposeOfUse = AuditPurpose.Operations, PatientIds = ["pat-4"], Entities = ["Encounter/e-1", "Patient/pat-4"] } },
        { "operation", new AuditRecord(Recorded, AuditEventFactoryTests.Doctor, AuditInteraction.Operation, AuditAction.Execute, AuditOutcome.Success) { OperationName = "$everything", PatientIds = ["pat-5"] } },
        { "patient reads own record", new AuditRecord(Recorded, ThePatient, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success) { PurposeOfUse = AuditPurpose.PatientRequest, PatientIds = ["pat-7"], Entities = ["Patient/pat-7"] } },
        { "login", new AuditRecord(Recorded, Nurse, AuditInteraction.Login, AuditAction.Execute, AuditOutcome.Success) { Address = "10.1.2.5" } },
        { "failed login", new AuditRecord(Recorded, Unknown, AuditInteraction.LoginFailed, AuditAction.Execute, AuditOutcome.MinorFailure) { Address = "10.9.9.9", OutcomeDescription = "Wrong user name or password." } },
        { "logout", new AuditRecord(Recorded, Nurse, AuditInteraction.Logout, AuditAction.Execute, AuditOutcome.Success) },
        { "break-glass", new AuditRecord(Recorded, Nurse, AuditInteraction.BreakGlass, AuditAction.Execute, AuditOutcome.Success) { PurposeOfUse = AuditPurpose.BreakTheGlass, PatientIds = ["pat-6"], Detail = "Patient collapsed in the corridor" } },
        { "export", new AuditRecord(Recorded, PasFeed, AuditInteraction.Export, AuditAction.Read, AuditOutcome.Success) { PurposeOfUse = AuditPurpose.Operations, Entities = ["Group/g-1"] } },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Direct_entries_equal_the_search_indexers_for_each_kind_of_event(string kind, AuditRecord record)
    {
        var auditEvent = AsStored(record);

        var expected = Indexer.Value.Extract(auditEvent);
        var direct = AuditEventIndexer.Extract(auditEvent);

        Assert.True(expected.Tokens.Count + expected.References.Count > 5, $"{kind}: too few entries for a meaningful comparison");
        Assert.Equal(expected.PatientCompartment, direct.PatientCompartment);
        Assert.Equal(Sorted(expected.Tokens), Sorted(direct.Tokens));
        Assert.Equal(Sorted(expected.Strings), Sorted(direct.Strings));
        Assert.Equal(Sorted(expected.Dates), Sorted(direct.Dates));
        Assert.Equal(Sorted(expected.References), Sorted(direct.References));
        Assert.Equal(Sorted(expected.Uris), Sorted(direct.Uris));
        Assert.Empty(direct.Quantities);
        Assert.Empty(direct.Numbers);
    }

    [Fact]
    public void Direct_entries_equal_the_search_indexers_for_meta_tags_profiles_policies_and_names()
    {
        var auditEvent = AsStored(new AuditRecord(Recorded, AuditEventFactoryTests.Doctor, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success) { PatientIds = ["pat-1"] });
        var meta = auditEvent.Meta!;
        meta.Tag.Add(new Coding("https://example.org/tags", "illustrative"));
        meta.Security.Add(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R"));
        meta.ProfileElement.Add(new Canonical("https://example.org/StructureDefinition/illustrative-audit"));
        meta.Source = "https://example.org/source";
        auditEvent.Agent[0].PolicyElement.Add(new FhirUri("https://example.org/policy/1"));
        auditEvent.Entity[0].Name = "Illustrative entity";
        auditEvent.Source.Site = "Ward 1";

        var expected = Indexer.Value.Extract(auditEvent);
        var direct = AuditEventIndexer.Extract(auditEvent);

        Assert.Equal(Sorted(expected.Tokens), Sorted(direct.Tokens));
        Assert.Equal(Sorted(expected.Strings), Sorted(direct.Strings));
        Assert.Equal(Sorted(expected.Uris), Sorted(direct.Uris));
        Assert.Contains(direct.Uris, u => u.Param == "policy");
        Assert.Contains(direct.Strings, s => s.Param == "entity-name");
    }

    [Fact]
    public void The_direct_indexer_covers_every_audit_event_parameter_the_registry_indexes()
    {
        var indexed = SearchParameterRegistry.Default.ForType("AuditEvent")
            .Where(p => p.Type is not (OpenWard.Fhir.Search.SearchParamType.Composite or OpenWard.Fhir.Search.SearchParamType.Special))
            .Select(p => p.Code);

        Assert.Equal(indexed.Order(StringComparer.Ordinal), AuditEventIndexer.Parameters.Order(StringComparer.Ordinal));
    }

    // As the trail stores it: with meta, serialised and parsed back (the projector parses the logged JSON).
    private static AuditEvent AsStored(AuditRecord record)
    {
        var auditEvent = AuditEventFactory.Build(record, "ae-" + record.Interaction);
        auditEvent.Meta = new Meta { VersionId = "1", LastUpdated = Recorded.AddSeconds(1) };
        return (AuditEvent)FhirSerialization.ParseJson(FhirSerialization.ToJson(auditEvent));
    }

    private static List<T> Sorted<T>(List<T> entries) => [.. entries.OrderBy(e => e!.ToString(), StringComparer.Ordinal)];
}

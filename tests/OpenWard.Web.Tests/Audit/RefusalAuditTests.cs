using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Tests.Security;

namespace OpenWard.Web.Tests.Audit;

/// <summary>
/// "Who tried to open this record" over HTTP: a refused read, each entry of a batch and each entry
/// of a transaction leave their own AuditEvent, with their own outcome, naming the patient they
/// concerned, so <c>AuditEvent?patient=</c> and the patient's "who looked" list
/// (<see cref="AccessHistory"/>) show attempts as well as accesses.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RefusalAuditTests(ServerFixture server)
{
    private const string Ward = "refusal-audit-ward";

    /// <summary>A nurse on the ward, a patient in her care (an in-progress encounter there) and one not.</summary>
    private async Task<(string Nurse, string Cared, string Stranger)> ArrangeAsync()
    {
        var nurse = $"ra-nurse-{Guid.NewGuid():N}";
        var cared = $"ra-cared-{Guid.NewGuid():N}";
        var stranger = $"ra-stranger-{Guid.NewGuid():N}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(nurse, "Rhian Audit", StaffRole.Nurse) { Wards = [Ward] }, default);
        using var system = await server.ClientWithScopeAsync();
        foreach (var (patient, inCare) in new[] { (cared, true), (stranger, false) })
        {
            foreach (var resource in new Resource[]
            {
                new Patient { Id = patient, Name = [new HumanName { Family = "Audit", Given = [inCare ? "Cared" : "Stranger"] }] },
                new Encounter
                {
                    Id = $"{patient}-enc",
                    Status = inCare ? Encounter.EncounterStatus.InProgress : Encounter.EncounterStatus.Finished,
                    Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
                    Subject = new ResourceReference($"Patient/{patient}"),
                    Location = inCare ? [new Encounter.LocationComponent { Location = new ResourceReference($"Location/{Ward}") }] : [],
                },
                Weight($"{patient}-obs", patient),
            })
            {
                using var put = await system.PutAsync($"{resource.TypeName}/{resource.Id}", Json(resource));
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            }
        }

        return (nurse, cared, stranger);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_refused_read_is_audited_as_a_failure_that_names_the_patient_whose_record_was_asked_for()
    {
        var (nurse, _, stranger) = await ArrangeAsync();
        using var client = StaffTokens.Client(server, nurse);

        using var read = await client.GetAsync($"Observation/{stranger}-obs");

        Assert.False(read.IsSuccessStatusCode, await read.Content.ReadAsStringAsync());
        var attempt = Assert.Single(await EventsByAsync(nurse, stranger));
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, attempt.Outcome);
        Assert.Equal("read", attempt.Subtype.Single().Code);
        Assert.Contains(attempt.Entity, e => e.What?.Reference == $"Observation/{stranger}-obs");

        // What the patient is shown of who looked at their record includes the attempt.
        var shown = await server.Services.GetRequiredService<AccessHistory>().ForPatientAsync(OperatorAccess.Instance, stranger, 50, default);
        Assert.Contains(shown, e => e.Who == "Rhian Audit" && e.Refused && e.What == "Viewed part of the record");
    }

    [Fact]
    public async System.Threading.Tasks.Task Each_batch_entry_is_audited_on_its_own_with_its_outcome_and_its_patient()
    {
        var (nurse, cared, stranger) = await ArrangeAsync();
        using var client = StaffTokens.Client(server, nurse);
        var batch = new Bundle
        {
            Type = Bundle.BundleType.Batch,
            Entry =
            [
                new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Observation/{cared}-obs" } },
                new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Observation/{stranger}-obs" } },
            ],
        };

        using var response = await client.PostAsync("", Json(batch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (Bundle)FhirSerialization.ParseJson(await response.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("200", answer.Entry[0].Response!.Status, StringComparison.Ordinal);
        Assert.False(answer.Entry[1].Response!.Status!.StartsWith('2'), answer.Entry[1].Response!.Status);

        var allowed = Assert.Single(await EventsByAsync(nurse, cared));
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, allowed.Outcome);
        Assert.Equal("read", allowed.Subtype.Single().Code);
        Assert.DoesNotContain(allowed.Entity, e => e.What?.Reference == $"Patient/{stranger}");
        Assert.Equal("Entry 0 of a batch Bundle.", Detail(allowed));

        var refused = Assert.Single(await EventsByAsync(nurse, stranger));
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, refused.Outcome);
        Assert.Equal("read", refused.Subtype.Single().Code);
        Assert.DoesNotContain(refused.Entity, e => e.What?.Reference == $"Patient/{cared}");
        Assert.Equal("Entry 1 of a batch Bundle.", Detail(refused));
    }

    [Fact]
    public async System.Threading.Tasks.Task Each_transaction_entry_is_audited_on_its_own_in_the_transaction()
    {
        var (nurse, cared, _) = await ArrangeAsync();
        using var client = StaffTokens.Client(server, nurse);
        var transaction = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new Bundle.EntryComponent { Resource = Weight(null, cared), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } },
                new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Patient/{cared}" } },
            ],
        };

        using var response = await client.PostAsync("", Json(transaction));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = await EventsByAsync(nurse, cared);
        Assert.Equal(["create", "read"], events.Select(e => e.Subtype.Single().Code!).Order().ToArray());
        Assert.All(events, e => Assert.Equal(AuditEvent.AuditEventOutcome.N0, e.Outcome));
        Assert.Equal(["Entry 0 of a transaction Bundle.", "Entry 1 of a transaction Bundle."], events.Select(e => Detail(e)!).Order().ToArray());
    }

    [Fact]
    public async System.Threading.Tasks.Task A_refused_transaction_is_audited_as_a_failure_that_names_every_patient_its_entries_concerned()
    {
        var (nurse, cared, stranger) = await ArrangeAsync();
        using var client = StaffTokens.Client(server, nurse);
        var transaction = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new Bundle.EntryComponent { Resource = Weight(null, cared), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } },
                new Bundle.EntryComponent { Resource = Weight(null, stranger), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } },
            ],
        };

        using var response = await client.PostAsync("", Json(transaction));

        Assert.False(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var failure = Assert.Single(await EventsByAsync(nurse, stranger));
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, failure.Outcome);
        Assert.Equal(failure.Id, Assert.Single(await EventsByAsync(nurse, cared)).Id);
    }

    /// <summary>The AuditEvents naming <paramref name="patient"/> whose requesting agent is <paramref name="userName"/>.</summary>
    private async Task<List<AuditEvent>> EventsByAsync(string userName, string patient)
    {
        using var system = await server.ClientWithScopeAsync();
        var bundle = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"AuditEvent?patient=Patient/{patient}&_count=100"));
        return [.. bundle.Entry.Select(e => (AuditEvent)e.Resource!).Where(e => e.Agent.Any(a => a.Requestor == true && a.AltId == userName))];
    }

    private static string? Detail(AuditEvent auditEvent) =>
        (auditEvent.GetExtensionValue<FhirString>(OpenWard.Fhir.Rest.Audit.AuditEventFactory.DetailExtension))?.Value;

    private static Observation Weight(string? id, string patient) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"),
        Subject = new ResourceReference($"Patient/{patient}"),
        Value = new Quantity(70, "kg"),
    };

    private static StringContent Json(Resource resource) => new(FhirSerialization.ToJson(resource), Encoding.UTF8, "application/fhir+json");
}

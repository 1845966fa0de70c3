using System.Net;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage.Security;
using OpenWard.Tests.Shared;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Every row of the policy matrix, proven over HTTP: a member of staff in each role, with each
/// relationship to a patient whose record carries each sensitivity, reads, searches, creates,
/// updates and deletes each category of data through the FHIR API, and gets exactly what the
/// matrix says: the data, or a 403 with the policy's code (a search leaves out what it may not show;
/// a read or update of a resource the user may not read is a 404, as if it did not exist).
/// Staff relationships are real: an in-progress encounter on the user's ward, or a break-glass grant.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PolicyOverHttpTests(ServerFixture server)
{
    private const string Ward = "matrix-ward";
    private static readonly SemaphoreSlim Arranged = new(1, 1);
    private static string? _auditEventId;

    public static TheoryData<string> Rows()
    {
        var rows = new TheoryData<string>();
        foreach (var row in PolicyMatrix.Cases)
        {
            rows.Add(Describe(row));
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async System.Threading.Tasks.Task Each_matrix_row_holds_over_the_FHIR_API(string description)
    {
        var row = PolicyMatrix.Cases.Single(c => Describe(c) == description);
        await ArrangeAsync();
        using var client = StaffTokens.Client(server, UserName(row.Role));
        var (type, id) = Target(row);

        switch (row.Action)
        {
            case FhirAction.Read:
                await ExpectAsync(row, await client.GetAsync($"{type}/{id}"), HttpStatusCode.OK);
                break;
            case FhirAction.Search:
                {
                    using var response = await client.GetAsync($"{type}?_id={id}");
                    if (response.StatusCode == HttpStatusCode.Forbidden)
                    {
                        await ExpectAsync(row, response, HttpStatusCode.OK);
                        break;
                    }

                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var bundle = (Bundle)FhirSerialization.ParseJson(await response.Content.ReadAsByteArrayAsync());
                    var found = bundle.Entry.Any(e => e.Resource?.Id == id && e.Resource.TypeName == type);
                    Assert.True(found == (row.Decision == AccessDecision.Allow), $"{description}: the search {(found ? "showed" : "hid")} {type}/{id}.");
                    break;
                }

            case FhirAction.Create:
                await ExpectAsync(row, await client.PostAsync(type, Json(NewResource(row))), HttpStatusCode.Created);
                break;
            case FhirAction.Update:
                {
                    using var system = await server.ClientWithScopeAsync();
                    var current = await system.GetStringAsync($"{type}/{id}");
                    await ExpectAsync(row, await client.PutAsync($"{type}/{id}", new StringContent(current, Encoding.UTF8, "application/fhir+json")), HttpStatusCode.OK);
                    break;
                }

            case FhirAction.Delete:
                {
                    // Delete a fresh copy, so that rows do not disturb each other (audit events cannot be created, so the real one).
                    var victim = id;
                    if (row.Category != DataCategory.Audit)
                    {
                        using var system = await server.ClientWithScopeAsync();
                        using var created = await system.PostAsync(type, Json(NewResource(row)));
                        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                        victim = FhirSerialization.ParseJson(await created.Content.ReadAsByteArrayAsync()).Id;
                    }

                    await ExpectAsync(row, await client.DeleteAsync($"{type}/{victim}"), HttpStatusCode.NoContent);
                    break;
                }
        }
    }

    private static async System.Threading.Tasks.Task ExpectAsync(PolicyMatrix.Case row, HttpResponseMessage response, HttpStatusCode allowed)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (row.Decision == AccessDecision.Allow)
            {
                Assert.True(response.StatusCode == allowed, $"{Describe(row)}: expected {(int)allowed}, got {(int)response.StatusCode}: {body}");
                return;
            }

            using var outcome = JsonDocument.Parse(body);
            var code = outcome.RootElement.GetProperty("issue")[0].GetProperty("details").GetProperty("coding")[0].GetProperty("code").GetString();
            if (IsHidden(row))
            {
                // A resource the user may not read is answered as one that does not exist.
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{Describe(row)}: expected 404 (hidden), got {(int)response.StatusCode}: {body}");
                Assert.Equal("NOT_FOUND", code);
                return;
            }

            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{Describe(row)}: expected 403, got {(int)response.StatusCode}: {body}");
            Assert.Equal(row.Decision == AccessDecision.BreakGlassRequired ? "BREAK_GLASS_REQUIRED" : row.Code, code);
        }
    }

    /// <summary>
    /// A read or update refused for this one resource, not for its whole type (the role's permission):
    /// the target is then hidden from the user, who cannot tell it from one that does not exist.
    /// </summary>
    private static bool IsHidden(PolicyMatrix.Case row) =>
        row.Action is FhirAction.Read or FhirAction.Update
        && AccessPolicy.IsPermitted(row.Role, row.Category, row.Action)
        && AccessPolicy.Decide(row.Role, Effective(row.Relationship), row.Sensitivity, row.Category, FhirAction.Read).Decision != AccessDecision.Allow;

    private static string Describe(PolicyMatrix.Case c) => $"{c.Role} | {c.Relationship} | {c.Sensitivity} | {c.Category} | {c.Action}";

    private static string UserName(StaffRole role) => $"matrix-{role.ToString().ToLowerInvariant()}";

    /// <summary>Staff have no "Self" relationship: for them it is the same as none, and is tested so.</summary>
    private static Relationship Effective(Relationship relationship) => relationship == Relationship.Self ? Relationship.None : relationship;

    private static string PatientId(Relationship relationship, Sensitivity sensitivity) =>
        $"mx-{Effective(relationship)}-{(int)sensitivity}".ToLowerInvariant();

    private static (string Type, string Id) Target(PolicyMatrix.Case row)
    {
        var patient = PatientId(row.Relationship, row.Sensitivity);
        return row.Category switch
        {
            DataCategory.Demographics => ("Patient", patient),
            DataCategory.Administrative => ("Encounter", $"{patient}-enc"),
            DataCategory.Clinical => ("Observation", $"{patient}-obs"),
            DataCategory.Prescribing => ("MedicationRequest", $"{patient}-med"),
            DataCategory.Audit => ("AuditEvent", _auditEventId!),
            _ => ("Location", "matrix-directory"),
        };
    }

    private static Resource NewResource(PolicyMatrix.Case row)
    {
        var patient = PatientId(row.Relationship, row.Sensitivity);
        return row.Category switch
        {
            DataCategory.Demographics => PatientWith(null, row.Sensitivity),
            DataCategory.Administrative => new Encounter { Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"), Subject = new ResourceReference($"Patient/{patient}") },
            DataCategory.Clinical => ObservationFor(null, patient),
            DataCategory.Prescribing => MedicationFor(null, patient),
            DataCategory.Audit => new AuditEvent { Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"), Recorded = DateTimeOffset.UtcNow, Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "forger" } }, Agent = [new AuditEvent.AgentComponent { Requestor = true, Name = "forger" }] },
            _ => new Location { Name = "Matrix room" },
        };
    }

    private static StringContent Json(Resource resource) => new(FhirSerialization.ToJson(resource), Encoding.UTF8, "application/fhir+json");

    private static Patient PatientWith(string? id, Sensitivity sensitivity)
    {
        var patient = new Patient { Id = id, Name = [new HumanName { Family = "Matrix", Given = [sensitivity.ToString()] }] };
        if (sensitivity != Sensitivity.None)
        {
            patient.Meta = new Meta { Security = [.. SensitivityLabels.CodesFor(sensitivity).Select(code => new Coding(SensitivityLabels.ActCodeSystem, code))] };
        }

        return patient;
    }

    private static Observation ObservationFor(string? id, string patient) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"),
        Subject = new ResourceReference($"Patient/{patient}"),
        Value = new Quantity(70, "kg"),
    };

    private static MedicationRequest MedicationFor(string? id, string patient) => new()
    {
        Id = id,
        Status = MedicationRequest.MedicationrequestStatus.Active,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = new CodeableConcept("http://snomed.info/sct", "322236009", "Paracetamol 500mg tablets"),
        Subject = new ResourceReference($"Patient/{patient}"),
    };

    /// <summary>Once per test run: the ward, one account per role, one patient per (relationship, sensitivity) with their data, and break-glass grants.</summary>
    private async System.Threading.Tasks.Task ArrangeAsync()
    {
        await Arranged.WaitAsync();
        try
        {
            if (_auditEventId is not null)
            {
                return;
            }

            using var system = await server.ClientWithScopeAsync();
            await PutAsync(system, new Location { Id = Ward, Name = "Matrix ward" });
            await PutAsync(system, new Location { Id = "matrix-directory", Name = "Matrix directory entry" });

            var staff = server.Services.GetRequiredService<StaffDirectory>();
            var ledger = server.Services.GetRequiredService<BreakGlassLedger>();
            foreach (var role in Enum.GetValues<StaffRole>())
            {
                await staff.SaveAsync(new StaffAccount(UserName(role), $"Matrix {role}", role) { Wards = [Ward] }, default);
            }

            foreach (var (relationship, sensitivity) in PolicyMatrix.Cases.Select(c => (Effective(c.Relationship), c.Sensitivity)).Distinct())
            {
                var patient = PatientId(relationship, sensitivity);
                await PutAsync(system, PatientWith(patient, sensitivity));
                var current = relationship == Relationship.CareRelationship;
                await PutAsync(system, new Encounter
                {
                    Id = $"{patient}-enc",
                    Status = current ? Encounter.EncounterStatus.InProgress : Encounter.EncounterStatus.Finished,
                    Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
                    Subject = new ResourceReference($"Patient/{patient}"),
                    Location = current ? [new Encounter.LocationComponent { Location = new ResourceReference($"Location/{Ward}") }] : [],
                });
                await PutAsync(system, ObservationFor($"{patient}-obs", patient));
                await PutAsync(system, MedicationFor($"{patient}-med", patient));
                if (relationship == Relationship.BreakGlass)
                {
                    foreach (var role in Enum.GetValues<StaffRole>())
                    {
                        var now = DateTimeOffset.UtcNow;
                        await ledger.AddAsync(new BreakGlassGrant(Guid.NewGuid().ToString(), UserName(role), patient, "emergency-care", null, now.AddMinutes(-1), now.AddHours(4)), default);
                    }
                }
            }

            // Writing the data above was audited: any of those events serves the Audit rows.
            using var events = await system.GetAsync("AuditEvent?_count=1");
            var bundle = (Bundle)FhirSerialization.ParseJson(await events.Content.ReadAsByteArrayAsync());
            _auditEventId = bundle.Entry.Single().Resource!.Id;
        }
        finally
        {
            Arranged.Release();
        }
    }

    private static async System.Threading.Tasks.Task PutAsync(HttpClient client, Resource resource)
    {
        using var response = await client.PutAsync($"{resource.TypeName}/{resource.Id}", Json(resource));
        Assert.True(response.IsSuccessStatusCode, $"{resource.TypeName}/{resource.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Break-glass end to end through the API: refused without a reason, granted with one for a
/// limited time, audited with purpose BTG, the patient's responsible clinician told by a FHIR
/// Communication, and the grant queued for the privacy officer, whose review is itself audited.
/// The patient can be shown the access, marked as break-glass.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BreakGlassTests(ServerFixture server)
{
    private readonly BreakGlassService _breakGlass = server.Services.GetRequiredService<BreakGlassService>();

    private async Task<(string Nurse, string Patient)> ArrangeAsync()
    {
        var nurse = $"bg-nurse-{Guid.NewGuid():N}";
        var patient = $"bg-{Guid.NewGuid():N}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(nurse, "Nia Evans", StaffRole.Nurse) { Wards = ["bg-ward-a"] }, default);
        using var system = await server.ClientWithScopeAsync();
        foreach (var resource in new Resource[]
        {
            new Patient { Id = patient, Name = [new HumanName { Family = "Glass", Given = ["Bea"] }] },
            new Encounter
            {
                Id = $"{patient}-enc", Status = Encounter.EncounterStatus.InProgress,
                Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
                Subject = new ResourceReference($"Patient/{patient}"),
                Participant = [new Encounter.ParticipantComponent { Individual = new ResourceReference("Practitioner/bg-consultant") }],
                Location = [new Encounter.LocationComponent { Location = new ResourceReference("Location/bg-ward-b") }],
            },
            new Observation
            {
                Id = $"{patient}-obs", Status = ObservationStatus.Final,
                Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"),
                Subject = new ResourceReference($"Patient/{patient}"),
            },
        })
        {
            using var put = await system.PutAsync($"{resource.TypeName}/{resource.Id}", new StringContent(FhirSerialization.ToJson(resource), Encoding.UTF8, "application/fhir+json"));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        return (nurse, patient);
    }

    private async Task<Principal> PrincipalAsync(string userName) =>
        (await server.Services.GetRequiredService<StaffDirectory>().FindAsync(userName, default))!.ToPrincipal();

    [Fact]
    public async System.Threading.Tasks.Task A_nurse_off_the_ward_is_asked_for_a_reason_then_sees_the_record_once_she_gives_one()
    {
        var (nurse, patient) = await ArrangeAsync();
        using var client = StaffTokens.Client(server, nurse);

        // Over the API, a record she may not open is as if it did not exist; the page offers break-glass.
        using (var refused = await client.GetAsync($"Observation/{patient}-obs"))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains("NOT_FOUND", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var result = await _breakGlass.GrantAsync(await PrincipalAsync(nurse), patient, "emergency-care", null, TimeSpan.FromHours(1), "127.0.0.1", default);

        Assert.Equal(TimeSpan.FromHours(1), result.Grant.ExpiresAt - result.Grant.GrantedAt);
        using var allowed = await client.GetAsync($"Observation/{patient}-obs");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("made-up", null)]
    [InlineData("other", "")]
    [InlineData("other", "because")]
    public async System.Threading.Tasks.Task Break_glass_without_a_valid_reason_is_refused_and_grants_nothing(string? code, string? text)
    {
        var (nurse, patient) = await ArrangeAsync();

        var error = await Assert.ThrowsAsync<BreakGlassRefusedException>(() => _breakGlass.GrantAsync(PrincipalAsync(nurse).Result, patient, code, text, null, null, default));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Null(await server.Services.GetRequiredService<BreakGlassLedger>().ActiveAsync(nurse, patient, DateTimeOffset.UtcNow, default));
    }

    [Fact]
    public async System.Threading.Tasks.Task Break_glass_longer_than_the_maximum_is_refused()
    {
        var (nurse, patient) = await ArrangeAsync();

        await Assert.ThrowsAsync<BreakGlassRefusedException>(() =>
            _breakGlass.GrantAsync(PrincipalAsync(nurse).Result, patient, "emergency-care", null, OpenWard.Security.Policy.BreakGlassReasons.MaxDuration + TimeSpan.FromMinutes(1), null, default));
    }

    [Fact]
    public async System.Threading.Tasks.Task Break_glass_tells_the_responsible_clinician_and_is_audited_with_purpose_BTG()
    {
        var (nurse, patient) = await ArrangeAsync();

        var result = await _breakGlass.GrantAsync(await PrincipalAsync(nurse), patient, "other", "Patient collapsed in the corridor outside my ward", null, "127.0.0.1", default);

        // The grant committed with its notification job; the server's job runner sends it.
        var job = await JobWaits.UntilDoneAsync(server.Services.GetRequiredService<IJobQueue>(), result.NotificationJobId);
        Assert.Equal(BreakGlassNotifications.JobKind, job.Kind);
        Assert.Equal(1, job.Attempts);
        using var system = await server.ClientWithScopeAsync();
        var communications = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"Communication?subject=Patient/{patient}"));
        var communication = (Communication)communications.Entry.Single().Resource!;
        Assert.Equal("Practitioner/bg-consultant", communication.Recipient.Single().Reference);
        Assert.Contains("Patient collapsed in the corridor", ((FhirString)communication.Payload.Single().Content).Value, StringComparison.Ordinal);

        var audits = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"AuditEvent?patient=Patient/{patient}&subtype=break-glass"));
        var audit = (AuditEvent)audits.Entry.Single().Resource!;
        Assert.Contains(audit.PurposeOfEvent.SelectMany(p => p.Coding), c => c.Code == "BTG");
        Assert.Contains(audit.Agent, a => a.Name == "Nia Evans");
    }

    [Fact]
    public async System.Threading.Tasks.Task Reads_under_break_glass_are_marked_in_what_the_patient_is_shown()
    {
        var (nurse, patient) = await ArrangeAsync();
        await _breakGlass.GrantAsync(await PrincipalAsync(nurse), patient, "unplanned-attendance", null, null, null, default);
        using (var client = StaffTokens.Client(server, nurse))
        {
            (await client.GetAsync($"Observation/{patient}-obs")).Dispose();
        }

        var privacy = $"bg-privacy-{Guid.NewGuid():N}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(privacy, "Alex Morgan", StaffRole.PrivacyOfficer), default);
        using var privacyClient = StaffTokens.Client(server, privacy);
        var access = await server.Services.GetRequiredService<AccessFactory>().ForApiAsync(
            ContextFor(StaffTokens.Mint(server, privacy)), new RequestDescription("search-type", 'E', null));
        var history = await server.Services.GetRequiredService<AccessHistory>().ForPatientAsync(access, patient, 50, default);

        Assert.Contains(history, e => e.Who == "Nia Evans" && e.Role == "Nurse" && e.BreakGlass && e.What == "Viewed part of the record");
        Assert.Contains(history, e => e.Who == "Nia Evans" && e.What == "Used break-glass to open the record");
        Assert.True(history.SequenceEqual(history.OrderByDescending(e => e.When)), "newest first");

        // The same through FHIR, as the patient portal will ask it.
        using var search = await privacyClient.GetAsync($"AuditEvent?patient=Patient/{patient}&_sort=-date");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        using var json = JsonDocument.Parse(await search.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("entry").GetArrayLength() >= 2);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_nurse_cannot_see_who_accessed_a_record_but_a_privacy_officer_can()
    {
        var (nurse, patient) = await ArrangeAsync();
        using var client = StaffTokens.Client(server, nurse);

        using var response = await client.GetAsync($"AuditEvent?patient=Patient/{patient}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_privacy_officer_reviews_each_grant_once_and_only_a_privacy_officer_may()
    {
        var (nurse, patient) = await ArrangeAsync();
        var grant = (await _breakGlass.GrantAsync(await PrincipalAsync(nurse), patient, "covering-colleague", null, null, null, default)).Grant;
        var privacy = new Principal(PrincipalKind.Staff, "bg-reviewer", "Alex Morgan") { Role = StaffRole.PrivacyOfficer };

        Assert.Contains(await _breakGlass.QueueAsync(privacy, default), g => g.GrantId == grant.GrantId);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => _breakGlass.QueueAsync(PrincipalAsync(nurse).Result, default));
        Assert.True(await _breakGlass.ReviewAsync(privacy, grant.GrantId, "appropriate", "On-call rota confirms", null, default));
        Assert.False(await _breakGlass.ReviewAsync(privacy, grant.GrantId, "refer", null, null, default));
        Assert.DoesNotContain(await _breakGlass.QueueAsync(privacy, default), g => g.GrantId == grant.GrantId);

        using var system = await server.ClientWithScopeAsync();
        var audits = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"AuditEvent?patient=Patient/{patient}&subtype=break-glass&action=U"));
        var review = (AuditEvent)audits.Entry.Single().Resource!;
        Assert.Contains("appropriate: On-call rota confirms", FhirSerialization.ToJson(review), StringComparison.Ordinal);
        Assert.Contains(review.Agent, a => a.Name == "Alex Morgan");
    }

    private static Microsoft.AspNetCore.Http.DefaultHttpContext ContextFor(string token)
    {
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var jwt = handler.ReadJsonWebToken(token);
        var identity = new System.Security.Claims.ClaimsIdentity(jwt.Claims, "Bearer");
        return new Microsoft.AspNetCore.Http.DefaultHttpContext { User = new System.Security.Claims.ClaimsPrincipal(identity) };
    }
}

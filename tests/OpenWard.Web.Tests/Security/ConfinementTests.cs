using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;
using Claim = System.Security.Claims.Claim;
using ClaimsIdentity = System.Security.Claims.ClaimsIdentity;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Tasks and Devices are part of their patient's record, judged like the rest of it; Bundles and
/// MessageHeaders, which can carry any patient's data, are for systems only; and a token confined
/// to one patient reaches nothing of another patient's, whatever the category.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ConfinementTests(ServerFixture server)
{
    private const string Ward = "confine-ward";

    /// <summary>A nurse on the ward, a patient admitted there and one elsewhere, each with a Task and a Device.</summary>
    private async Task<(string Nurse, string Own, string Other)> ArrangeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var (nurse, own, other) = ($"confine-nurse-{suffix}", $"confine-own-{suffix}", $"confine-other-{suffix}");
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(nurse, "Nia Evans", StaffRole.Nurse) { Wards = [Ward] }, default);
        using var system = await server.ClientWithScopeAsync();
        foreach (var patient in new[] { own, other })
        {
            await PutAsync(system, new Patient { Id = patient });
            await PutAsync(system, new Hl7.Fhir.Model.Task
            {
                Id = $"{patient}-task",
                Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
                Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
                Description = "Take bloods before the ward round",
                For = new ResourceReference($"Patient/{patient}"),
            });
            await PutAsync(system, new Device
            {
                Id = $"{patient}-device",
                DeviceName = [new Device.DeviceNameComponent { Name = "Insulin pump", Type = DeviceNameType.UserFriendlyName }],
                Patient = new ResourceReference($"Patient/{patient}"),
            });
        }

        await PutAsync(system, WardStays.InProgress($"{own}-enc", own, Ward));
        return (nurse, own, other);
    }

    [Theory]
    [InlineData("Task", "patient")]
    [InlineData("Device", "patient")]
    public async System.Threading.Tasks.Task A_task_or_device_of_a_patient_not_in_the_nurse_s_care_is_hidden_and_her_own_patient_s_is_not(string type, string parameter)
    {
        var (nurse, own, other) = await ArrangeAsync();
        using var api = StaffTokens.Client(server, nurse);

        using var theirs = await api.GetAsync($"{type}/{other}-{type.ToLowerInvariant()}");
        using var theirSearch = await api.GetAsync($"{type}?{parameter}={other}");
        using var allSearch = await api.GetAsync($"{type}?_count=100");
        using var mine = await api.GetAsync($"{type}/{own}-{type.ToLowerInvariant()}");

        Assert.NotEqual(HttpStatusCode.OK, theirs.StatusCode);
        Assert.DoesNotContain($"{other}-", await FoundAsync(theirSearch), StringComparison.Ordinal);
        Assert.DoesNotContain($"{other}-", await FoundAsync(allSearch), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task Bundles_and_message_headers_are_not_readable_by_staff_even_for_a_patient_in_their_care()
    {
        var (nurse, own, _) = await ArrangeAsync();
        using var system = await server.ClientWithScopeAsync();
        var bundle = new Bundle
        {
            Id = $"{own}-bundle",
            Type = Bundle.BundleType.Collection,
            Entry = [new Bundle.EntryComponent { Resource = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"), Subject = new ResourceReference($"Patient/{own}") } }],
        };
        await PutAsync(system, bundle);
        await PutAsync(system, new MessageHeader
        {
            Id = $"{own}-message",
            Event = new Coding("http://example.org/events", "admit-notification"),
            Source = new MessageHeader.MessageSourceComponent { Endpoint = "https://pas.example.org" },
            Focus = [new ResourceReference($"Patient/{own}")],
        });
        using var api = StaffTokens.Client(server, nurse);

        foreach (var path in new[] { $"Bundle/{own}-bundle", $"MessageHeader/{own}-message" })
        {
            using var read = await api.GetAsync(path);
            using var search = await api.GetAsync(path[..path.IndexOf('/', StringComparison.Ordinal)] + "?_count=100");
            using var bySystem = await system.GetAsync(path);

            Assert.NotEqual(HttpStatusCode.OK, read.StatusCode);
            Assert.DoesNotContain(own, await FoundAsync(search), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, bySystem.StatusCode);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_token_confined_to_one_patient_reaches_no_task_or_device_of_another_even_one_in_the_nurse_s_care()
    {
        var (nurse, own, _) = await ArrangeAsync();
        var (_, second, _) = await ArrangeAsync(); // also admitted to her ward
        using var confined = StaffTokens.Client(server, nurse, "patient/*.rs user/*.rs", own);

        using var ownTask = await confined.GetAsync($"Task/{own}-task");
        using var secondTask = await confined.GetAsync($"Task/{second}-task");
        using var secondDevice = await confined.GetAsync($"Device/{second}-device");
        using var devices = await confined.GetAsync("Device?_count=100");

        Assert.Equal(HttpStatusCode.OK, ownTask.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, secondTask.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, secondDevice.StatusCode);
        Assert.DoesNotContain(second, await FoundAsync(devices), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_privacy_officer_s_token_confined_to_one_patient_reaches_no_audit_event_about_another()
    {
        var (_, own, other) = await ArrangeAsync();
        var officer = $"confine-privacy-{Guid.NewGuid():N}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(officer, "Pat Rivers", StaffRole.PrivacyOfficer), default);
        using var system = await server.ClientWithScopeAsync();
        var (ownEvent, otherEvent) = (await AnAuditEventAboutAsync(system, own), await AnAuditEventAboutAsync(system, other));
        using var confined = StaffTokens.Client(server, officer, "patient/*.rs user/*.rs", own);

        using var aboutOwn = await confined.GetAsync($"AuditEvent/{ownEvent}");
        using var aboutOther = await confined.GetAsync($"AuditEvent/{otherEvent}");
        using var search = await confined.GetAsync($"AuditEvent?patient={other}");

        Assert.Equal(HttpStatusCode.OK, aboutOwn.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, aboutOther.StatusCode);
        Assert.DoesNotContain(otherEvent, await FoundAsync(search), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_token_with_a_patient_scope_that_was_not_issued_confined_is_refused()
    {
        var (nurse, own, _) = await ArrangeAsync();
        var now = DateTime.UtcNow;
        var unconfined = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenService.Issuer,
            Audience = TokenService.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(15),
            Subject = new ClaimsIdentity([new Claim(TokenClaims.Subject, nurse), new Claim(TokenClaims.Kind, TokenClaims.StaffKind), new Claim(TokenClaims.Scope, "patient/*.rs user/*.rs"), new Claim(TokenClaims.Patient, own)]),
            SigningCredentials = new SigningCredentials(server.Services.GetRequiredService<SigningKey>().Key, SecurityAlgorithms.HmacSha256),
        });
        using var api = new HttpClient { BaseAddress = new Uri(server.FhirUrl + "/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", unconfined);

        using var read = await api.GetAsync($"Task/{own}-task");

        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Contains("PATIENT_CONTEXT", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> AnAuditEventAboutAsync(HttpClient system, string patient)
    {
        var bundle = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"AuditEvent?patient={patient}&_count=1"));
        return bundle.Entry.Single().Resource!.Id!;
    }

    /// <summary>The entries of a search answer, as one string of their JSON (empty when the search was refused).</summary>
    private static async Task<string> FoundAsync(HttpResponseMessage search)
    {
        if (search.StatusCode != HttpStatusCode.OK)
        {
            return "";
        }

        var bundle = (Bundle)FhirSerialization.ParseJson(await search.Content.ReadAsByteArrayAsync());
        return string.Join("\n", bundle.Entry.Select(e => FhirSerialization.ToJson(e.Resource!)));
    }

    private static StringContent Json(Resource resource) => new(FhirSerialization.ToJson(resource), Encoding.UTF8, "application/fhir+json");

    private static async System.Threading.Tasks.Task PutAsync(HttpClient client, Resource resource)
    {
        using var response = await client.PutAsync($"{resource.TypeName}/{resource.Id}", Json(resource));
        Assert.True(response.IsSuccessStatusCode, $"{resource.TypeName}/{resource.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

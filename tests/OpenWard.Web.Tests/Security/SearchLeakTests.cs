using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Searches that looked at data the caller may not see (issue 16, findings 3, 5 and 12): _has and
/// chains over hidden resources, paging links and offsets counted over hidden matches, and includes
/// and query strings without limits. A nurse has a care relationship with one patient (an
/// in-progress encounter on her ward) and none with the other, whose clinical data she may not see.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SearchLeakTests(ServerFixture server)
{
    private const string Ward = "sl-ward";
    private const string Nurse = "sl-nurse";
    private const string Clerk = "sl-clerk";
    private const string Own = "sl-own";
    private const string Hidden = "sl-hidden";
    private const string Many = "sl-many";
    private const string Codes = "http://example.org/search-leak";
    private const int ManyObservations = 1100;
    private static readonly SemaphoreSlim Arranged = new(1, 1);
    private static bool _arranged;

    [Fact]
    public async System.Threading.Tasks.Task A_clerk_cannot_list_patients_by_diagnosis_through_has()
    {
        await ArrangeAsync();
        using var clerk = StaffTokens.Client(server, Clerk);

        using var response = await clerk.GetAsync($"Patient?_has:Condition:patient:code={Codes}|hidden-dx");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(Hidden, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Has_finds_a_patient_through_a_visible_condition_and_not_through_a_hidden_one()
    {
        await ArrangeAsync();
        using var nurse = StaffTokens.Client(server, Nurse);

        Assert.Empty(await MatchIdsAsync(nurse, $"Patient?_has:Condition:patient:code={Codes}|hidden-dx"));
        Assert.Equal([Own], await MatchIdsAsync(nurse, $"Patient?_has:Condition:patient:code={Codes}|own-dx"));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_chain_through_a_hidden_resource_finds_nothing()
    {
        await ArrangeAsync();
        using var nurse = StaffTokens.Client(server, Nurse);

        // Both observations are of her own patient; one names an encounter of the hidden patient.
        Assert.Empty(await MatchIdsAsync(nurse, "Observation?encounter.identifier=sl-hidden-visit"));
        Assert.Equal(["sl-own-obs"], await MatchIdsAsync(nurse, "Observation?encounter.identifier=sl-own-visit"));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_page_of_one_with_hidden_matches_answers_as_a_search_that_matches_nothing()
    {
        await ArrangeAsync();
        using var nurse = StaffTokens.Client(server, Nurse);

        var hiddenOnly = await BundleAsync(nurse, $"Condition?code={Codes}|hidden-dx&_count=1");
        var nothing = await BundleAsync(nurse, $"Condition?code={Codes}|no-such-dx&_count=1");

        Assert.Null(Link(hiddenOnly, "next"));
        Assert.Equal(Normalised(nothing, "no-such-dx"), Normalised(hiddenOnly, "hidden-dx"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Offset_steps_count_only_visible_matches()
    {
        await ArrangeAsync();
        using var nurse = StaffTokens.Client(server, Nurse);

        // Three hidden conditions were stored before the one visible one: pages count only the visible.
        var first = await BundleAsync(nurse, $"Condition?code={Codes}|mixed-dx&_count=1");
        Assert.Equal(["sl-own-mixed"], Matches(first));
        Assert.Null(Link(first, "next"));
        for (var offset = 1; offset <= 4; offset++)
        {
            var page = await BundleAsync(nurse, $"Condition?code={Codes}|mixed-dx&_count=1&_offset={offset}");
            Assert.Empty(Matches(page));
            Assert.Null(Link(page, "next"));
            Assert.Null(page["total"]);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_compartment_search_of_a_patient_out_of_her_care_answers_as_one_of_no_patient()
    {
        await ArrangeAsync();
        using var nurse = StaffTokens.Client(server, Nurse);

        var hidden = await BundleAsync(nurse, $"Patient/{Hidden}/Condition?_count=1");
        var nobody = await BundleAsync(nurse, "Patient/sl-nobody/Condition?_count=1");

        Assert.Equal(Normalised(nobody, "sl-nobody"), Normalised(hidden, Hidden));
    }

    [Fact]
    public async System.Threading.Tasks.Task Includes_that_would_load_thousands_of_resources_are_capped_with_a_warning()
    {
        await ArrangeAsync();
        using var system = await server.ClientWithScopeAsync();

        var page = await BundleAsync(system, $"Patient?_id={Many}&_revinclude=Observation:patient&_revinclude:iterate=Observation:has-member");

        var entries = page["entry"]!.AsArray();
        Assert.Equal(1000, entries.Count(e => (string?)e!["search"]?["mode"] == "include"));
        Assert.Contains(entries, e => (string?)e!["resource"]?["issue"]?[0]?["details"]?["coding"]?[0]?["code"] == "SEARCH_INCLUDES_TRUNCATED");
    }

    [Fact]
    public async System.Threading.Tasks.Task Including_from_a_full_page_of_matches_answers_without_error()
    {
        await ArrangeAsync();
        using var system = await server.ClientWithScopeAsync();
        using var nurse = StaffTokens.Client(server, Nurse);

        foreach (var client in new[] { system, nurse })
        {
            var page = await BundleAsync(client, $"Observation?patient={Many}&_count=1000&_include=Observation:patient&_revinclude:iterate=Observation:has-member");
            Assert.Equal(1000, Matches(page).Count);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_search_through_thousands_of_hidden_matches_stops_at_the_work_limit_with_a_warning()
    {
        await ArrangeAsync();
        using var system = await server.ClientWithScopeAsync();
        await PutAsync(system, new Patient { Id = "sl-crowd", Name = [new HumanName { Family = "Crowd" }] });
        var entries = string.Join(",", Enumerable.Range(0, 5100).Select(i =>
            $$$"""{"resource":{"resourceType":"Observation","id":"sl-crowd-{{{i}}}","status":"final","code":{"coding":[{"system":"{{{Codes}}}","code":"crowd"}]},"subject":{"reference":"Patient/sl-crowd"}},"request":{"method":"PUT","url":"Observation/sl-crowd-{{{i}}}"}}"""));
        using (var created = await system.PostAsync("", new StringContent($$"""{"resourceType":"Bundle","type":"transaction","entry":[{{entries}}]}""", Encoding.UTF8, "application/fhir+json")))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using var nurse = StaffTokens.Client(server, Nurse);
        var page = await BundleAsync(nurse, $"Observation?code={Codes}|crowd&_count=10");

        Assert.Empty(Matches(page));
        Assert.Null(Link(page, "next"));
        Assert.Contains(page["entry"]!.AsArray(), e => (string?)e!["resource"]?["issue"]?[0]?["details"]?["coding"]?[0]?["code"] == "SEARCH_TRUNCATED");
    }

    [Fact]
    public async System.Threading.Tasks.Task Too_many_query_parameters_are_refused_with_400()
    {
        await ArrangeAsync();
        using var system = await server.ClientWithScopeAsync();

        var query = string.Join('&', Enumerable.Range(0, 65).Select(i => $"name=n{i}"));
        using var tooMany = await system.GetAsync($"Patient?{query}");
        using var tooManyValues = await system.GetAsync($"Patient?_id={string.Join(',', Enumerable.Range(0, 201).Select(i => $"p{i}"))}");

        foreach (var response in new[] { tooMany, tooManyValues })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("SEARCH_TOO_COMPLEX", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task<List<string>> MatchIdsAsync(HttpClient client, string url) => Matches(await BundleAsync(client, url));

    private static async Task<JsonObject> BundleAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static List<string> Matches(JsonObject bundle) =>
        [.. (bundle["entry"]?.AsArray() ?? []).Where(e => (string?)e!["search"]?["mode"] == "match").Select(e => (string)e!["resource"]!["id"]!)];

    private static string? Link(JsonObject bundle, string relation) =>
        (string?)bundle["link"]?.AsArray().FirstOrDefault(l => (string?)l!["relation"] == relation)?["url"];

    /// <summary>The bundle without what differs between any two responses (id, time) and with the searched value replaced.</summary>
    private static string Normalised(JsonObject bundle, string searched)
    {
        var copy = bundle.DeepClone().AsObject();
        copy.Remove("id");
        copy.Remove("meta");
        return copy.ToJsonString().Replace(searched, "X", StringComparison.Ordinal);
    }

    /// <summary>Once per test run: the ward, a nurse and a clerk on it, her patient, a patient out of her care, and their data.</summary>
    private async System.Threading.Tasks.Task ArrangeAsync()
    {
        await Arranged.WaitAsync();
        try
        {
            if (_arranged)
            {
                return;
            }

            using var system = await server.ClientWithScopeAsync();
            await PutAsync(system, new Location { Id = Ward, Name = "Search leak ward" });
            var staff = server.Services.GetRequiredService<StaffDirectory>();
            await staff.SaveAsync(new StaffAccount(Nurse, "Search Nurse", StaffRole.Nurse) { Wards = [Ward] }, default);
            await staff.SaveAsync(new StaffAccount(Clerk, "Search Clerk", StaffRole.WardClerk) { Wards = [Ward] }, default);

            await PutAsync(system, new Patient { Id = Own, Name = [new HumanName { Family = "Own" }] });
            await PutAsync(system, new Patient { Id = Hidden, Name = [new HumanName { Family = "Hidden" }] });
            await PutAsync(system, new Encounter
            {
                Id = "sl-own-enc",
                Identifier = [new Identifier(null, "sl-own-visit")],
                Status = Encounter.EncounterStatus.InProgress,
                Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
                Subject = new ResourceReference($"Patient/{Own}"),
                Location = [new Encounter.LocationComponent { Location = new ResourceReference($"Location/{Ward}") }],
            });
            await PutAsync(system, new Encounter
            {
                Id = "sl-hidden-enc",
                Identifier = [new Identifier(null, "sl-hidden-visit")],
                Status = Encounter.EncounterStatus.Finished,
                Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
                Subject = new ResourceReference($"Patient/{Hidden}"),
            });

            // Hidden conditions first, so that they come first in storage order.
            await PutAsync(system, ConditionFor("sl-hidden-con-1", Hidden, "hidden-dx"));
            await PutAsync(system, ConditionFor("sl-hidden-con-2", Hidden, "hidden-dx"));
            for (var i = 1; i <= 3; i++)
            {
                await PutAsync(system, ConditionFor($"sl-hidden-mixed-{i}", Hidden, "mixed-dx"));
            }

            await PutAsync(system, ConditionFor("sl-own-mixed", Own, "mixed-dx"));
            await PutAsync(system, ConditionFor("sl-own-con", Own, "own-dx"));
            await PutAsync(system, ObservationFor("sl-own-obs", Own, "sl-own-enc"));
            await PutAsync(system, ObservationFor("sl-own-obs-odd", Own, "sl-hidden-enc"));

            // A patient with more observations than a page may include, each a member of the first.
            await PutAsync(system, new Patient { Id = Many, Name = [new HumanName { Family = "Many" }] });
            await PutAsync(system, WardStays.InProgress("sl-many-enc", Many, Ward));
            var entries = string.Join(",", Enumerable.Range(0, ManyObservations).Select(i =>
                $$$"""{"resource":{"resourceType":"Observation","id":"sl-many-{{{i}}}","status":"final","code":{"text":"Pulse"},"subject":{"reference":"Patient/{{{Many}}}"},"hasMember":[{"reference":"Observation/sl-many-0"}]},"request":{"method":"PUT","url":"Observation/sl-many-{{{i}}}"}}"""));
            using var created = await system.PostAsync("", new StringContent(
                $$"""{"resourceType":"Bundle","type":"transaction","entry":[{{entries}}]}""", Encoding.UTF8, "application/fhir+json"));
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            _arranged = true;
        }
        finally
        {
            Arranged.Release();
        }
    }

    private static Condition ConditionFor(string id, string patient, string code) => new()
    {
        Id = id,
        Code = new CodeableConcept(Codes, code),
        Subject = new ResourceReference($"Patient/{patient}"),
    };

    private static Observation ObservationFor(string id, string patient, string encounter) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"),
        Subject = new ResourceReference($"Patient/{patient}"),
        Encounter = new ResourceReference($"Encounter/{encounter}"),
        Value = new Quantity(70, "kg"),
    };

    private static async System.Threading.Tasks.Task PutAsync(HttpClient client, Resource resource)
    {
        using var response = await client.PutAsync($"{resource.TypeName}/{resource.Id}", new StringContent(FhirSerialization.ToJson(resource), Encoding.UTF8, "application/fhir+json"));
        Assert.True(response.IsSuccessStatusCode, $"{resource.TypeName}/{resource.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

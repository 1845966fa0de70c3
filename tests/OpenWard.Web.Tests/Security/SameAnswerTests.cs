using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Decide before you look, proven generically: a nurse with no relationship to a patient sends every
/// kind of interaction twice, once naming or matching that patient's hidden data and once naming
/// or matching nothing (a value of the same role and length), and gets the same status, headers
/// and body once the one differing value (and server-made ids and times) are blanked out.
/// Runs on both engines (<see cref="SameAnswerOnSqliteTests"/>, <see cref="SameAnswerOnPostgresTests"/>).
/// </summary>
public abstract partial class SameAnswerTests(ServerFixture server)
{
    private static readonly SemaphoreSlim Arranged = new(1, 1);
    private static readonly HashSet<string> ArrangedServers = new(StringComparer.Ordinal);
    private static readonly string Run = Guid.NewGuid().ToString("N")[..8];
    private static readonly string Hidden = Run + "h";
    private static readonly string Absent = Run + "a";
    private static readonly string Nurse = $"same-nurse-{Run}";
    private static readonly string Ward = $"same-ward-{Run}";
    private static readonly string CaredFor = $"same-cared-{Run}";

    /// <summary>The differing values: hidden data carries the first; nothing carries the second.</summary>
    private static readonly Dictionary<string, (string Hidden, string Absent)> Values = new()
    {
        ["key"] = (Hidden, Absent),
        ["date"] = ("1901-02-03", "1901-02-05"),
        ["quantity"] = ("7777.0", "7778.0"),
    };

    /// <summary>One request per interaction kind, as a function of the differing value.</summary>
    private static readonly Dictionary<string, (string Value, Func<string, HttpRequestMessage> Request)> Cases = new()
    {
        ["read"] = ("key", v => Get($"Condition/sac-{v}")),
        ["read of a restricted patient"] = ("key", v => Get($"Patient/sav-{v}")),
        ["vread"] = ("key", v => Get($"Condition/sac-{v}/_history/1")),
        ["vread of a now restricted patient's older version"] = ("key", v => Get($"Patient/sav-{v}/_history/1")),
        ["instance history"] = ("key", v => Get($"Condition/sac-{v}/_history")),
        ["type history paging"] = ("since", v => Get($"Observation/_history?_since={v}&_count=1")),
        ["search token"] = ("key", v => Get($"Condition?code=urn:same|{v}&_count=1")),
        ["search :exact"] = ("key", v => Get($"Patient?family:exact=Same{v}")),
        ["search :contains"] = ("key", v => Get($"Patient?family:contains={v}")),
        ["search :missing"] = ("key", v => Get($"Condition?code=urn:same|{v}&onset-date:missing=false")),
        ["search :not"] = ("key", v => Get($"Condition?subject=Patient/sap-{v}&code:not=urn:same|other")),
        ["search :text"] = ("key", v => Get($"Condition?code:text=same{v}")),
        ["search :below on a token"] = ("key", v => Get($"Condition?code:below=urn:same|{v}")),
        ["search date prefix"] = ("date", v => Get($"Condition?onset-date=ge{v}&onset-date=le{v}")),
        ["search quantity prefix"] = ("quantity", v => Get($"Observation?value-quantity=ge{v}&value-quantity=le{v}9")),
        ["search _has"] = ("key", v => Get($"Patient?_has:Condition:patient:code=urn:same|{v}")),
        ["search chain"] = ("key", v => Get($"Condition?subject:Patient.identifier=urn:same-id|{v}")),
        ["search _include"] = ("key", v => Get($"Condition?code=urn:same|{v}&_include=Condition:subject")),
        ["search _revinclude"] = ("key", v => Get($"Patient?_id=sap-{v}&_revinclude=Condition:subject")),
        ["search _include:iterate through a hidden resource"] = ("key", v => Get($"Observation?_id=sfo-{v}&_include=Observation:focus&_include:iterate=Condition:subject")),
        ["search _revinclude then _include:iterate through a hidden resource"] = ("key", v => Get($"Location?_id=sal-{v}&_revinclude=Encounter:location&_include:iterate=Encounter:subject")),
        ["search _count=1 paging"] = ("key", v => Get($"Condition?subject=Patient/sap-{v}&_count=1")),
        ["$everything"] = ("key", v => Get($"Patient/sap-{v}/$everything")),
        ["compartment search"] = ("key", v => Get($"Patient/sap-{v}/Condition")),
        ["PATCH"] = ("key", v => Send(HttpMethod.Patch, $"Condition/sac-{v}", """[{"op":"test","path":"/code","value":0}]""", "application/json-patch+json")),
        ["PATCH with If-Match"] = ("key", v => IfMatch(Send(HttpMethod.Patch, $"Condition/sac-{v}", """[{"op":"test","path":"/code","value":0}]""", "application/json-patch+json"), "W/\"1\"")),
        ["PUT"] = ("key", v => Send(HttpMethod.Put, $"Condition/sac-{v}", Json(NewCondition($"sac-{v}")))),
        ["PUT with If-Match"] = ("key", v => IfMatch(Send(HttpMethod.Put, $"Condition/sac-{v}", Json(NewCondition($"sac-{v}"))), "W/\"1\"")),
        ["conditional create"] = ("key", v => IfNoneExist(Send(HttpMethod.Post, "Condition", Json(NewCondition(null))), $"code=urn:same|{v}")),
        ["conditional update"] = ("key", v => Send(HttpMethod.Put, $"Condition?code=urn:same|{v}", Json(NewCondition(null)))),
        ["conditional update with another id"] = ("key", v => Send(HttpMethod.Put, $"Condition?code=urn:same|{v}", Json(NewCondition($"same-other-{Run}")))),
        ["conditional patch"] = ("key", v => Send(HttpMethod.Patch, $"Condition?code=urn:same|{v}", """[{"op":"test","path":"/code","value":0}]""", "application/json-patch+json")),
        ["conditional delete"] = ("key", v => Send(HttpMethod.Delete, $"Condition?code=urn:same|{v}", null)),
        ["batch entries"] = ("key", v => Send(HttpMethod.Post, "", BundleOf(Bundle.BundleType.Batch, v))),
        ["transaction entries"] = ("key", v => Send(HttpMethod.Post, "", BundleOf(Bundle.BundleType.Transaction, v))),
        ["transaction conditional reference"] = ("key", v => Send(HttpMethod.Post, "", ConditionalReference(v))),
    };

    public static TheoryData<string> Kinds() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async System.Threading.Tasks.Task A_hidden_resource_gets_the_same_answer_as_none(string kind)
    {
        await ArrangeAsync();
        var (value, request) = Cases[kind];
        var (hidden, absent) = value == "since" ? await HiddenObservationWrittenSinceAsync() : Values[value];
        using var client = StaffTokens.Client(server, Nurse);

        var whenHidden = await AnswerAsync(client, request(hidden), hidden);
        var whenAbsent = await AnswerAsync(client, request(absent), absent);

        Assert.Equal(whenAbsent, whenHidden);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_patch_test_on_a_hidden_condition_is_answered_as_unknown_and_audited_with_its_patient()
    {
        await ArrangeAsync();
        using var client = StaffTokens.Client(server, Nurse);

        using var response = await client.SendAsync(Send(HttpMethod.Patch, $"Condition/sac-{Hidden}", $$"""[{"op":"test","path":"/code/coding/0/code","value":"{{Hidden}}"}]""", "application/json-patch+json"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("NOT_FOUND", body, StringComparison.Ordinal);
        Assert.DoesNotContain($"sap-{Hidden}", body, StringComparison.Ordinal);
        using var system = await server.ClientWithScopeAsync();
        var audits = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"AuditEvent?patient=Patient/sap-{Hidden}&_count=100"));
        Assert.Contains(audits.Entry.Select(e => (AuditEvent)e.Resource!), a => a.Agent.Any(agent => agent.Name == "Sam Same") && a.Outcome != AuditEvent.AuditEventOutcome.N0);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_older_version_of_a_patient_restricted_since_is_not_shown_to_staff_without_access()
    {
        await ArrangeAsync();
        using var client = StaffTokens.Client(server, Nurse);

        using var response = await client.GetAsync($"Patient/sav-{Hidden}/_history/1");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain($"Same{Hidden}", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task The_chart_of_a_restricted_patient_still_offers_break_glass_though_the_api_answers_it_as_unknown()
    {
        await ArrangeAsync();
        var userName = $"same-page-nurse-{Guid.NewGuid():N}";
        var password = "same-answer-password-1";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(
            new StaffAccount(userName, "Pat Page", StaffRole.Nurse) { Wards = [Ward], PasswordHash = server.Services.GetRequiredService<OpenWard.Web.Security.Passwords.PasswordHasher>().Hash(password) }, default);
        using var browser = new TestBrowser();
        await browser.SignInAsync($"{server.BaseUrl}/signin", userName, password);

        using var chart = await browser.GetAsync($"{server.BaseUrl}/patients/sav-{Hidden}");

        var html = await chart.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
        Assert.Contains("You need a reason to open this record", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret Lane", html, StringComparison.Ordinal);
    }

    /// <summary>The status, headers and body, with the differing value, server ids and times blanked out.</summary>
    private static async Task<string> AnswerAsync(HttpClient client, HttpRequestMessage request, string value)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            var headers = response.Headers.Concat(response.Content.Headers)
                .Where(h => h.Key is not ("Date" or "Last-Modified") && !h.Key.Contains("request", StringComparison.OrdinalIgnoreCase) && !h.Key.Contains("trace", StringComparison.OrdinalIgnoreCase))
                .OrderBy(h => h.Key, StringComparer.Ordinal)
                .Select(h => $"{h.Key}: {string.Join(",", h.Value)}");
            var answer = $"{(int)response.StatusCode}\n{string.Join("\n", headers)}\n{await response.Content.ReadAsStringAsync()}";
            // The value as sent, and as echoed in paging links.
            answer = answer.Replace(value, "§", StringComparison.Ordinal).Replace(Uri.EscapeDataString(value), "§", StringComparison.Ordinal);
            answer = Guids().Replace(answer, "«id»");
            return Instants().Replace(answer, "«time»");
        }
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guids();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})|\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT")]
    private static partial Regex Instants();

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Send(HttpMethod method, string url, string? body, string contentType = "application/fhir+json") =>
        new(method, url) { Content = body is null ? null : new StringContent(body, Encoding.UTF8, contentType) };

    private static HttpRequestMessage IfMatch(HttpRequestMessage request, string etag)
    {
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    private static HttpRequestMessage IfNoneExist(HttpRequestMessage request, string condition)
    {
        request.Headers.TryAddWithoutValidation("If-None-Exist", condition);
        return request;
    }

    private static string Json(Resource resource) => FhirSerialization.ToJson(resource);

    /// <summary>A Condition of the nurse's own patient, which she may write.</summary>
    private static Condition NewCondition(string? id) => new()
    {
        Id = id,
        Code = new CodeableConcept("urn:same", "new"),
        Subject = new ResourceReference($"Patient/{CaredFor}"),
    };

    private static string BundleOf(Bundle.BundleType type, string v) => Json(new Bundle
    {
        Type = type,
        Entry =
        [
            new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Condition/sac-{v}" } },
            new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"Patient/sav-{v}" } },
        ],
    });

    private static string ConditionalReference(string v)
    {
        var condition = NewCondition(null);
        condition.Subject = new ResourceReference($"Patient?identifier=urn:same-id|{v}");
        return Json(new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry = [new Bundle.EntryComponent { Resource = condition, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Condition" } }],
        });
    }

    /// <summary>
    /// Once: the nurse on her ward with one patient in her care; a patient not in her care (whose
    /// details she may find) with two hidden Conditions and an Observation; and a patient restricted
    /// (VIP) since their second version, which has their address.
    /// </summary>
    private async System.Threading.Tasks.Task ArrangeAsync()
    {
        await Arranged.WaitAsync();
        try
        {
            if (ArrangedServers.Contains(server.BaseUrl))
            {
                return;
            }

            await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(Nurse, "Sam Same", StaffRole.Nurse) { Wards = [Ward] }, default);
            using var system = await server.ClientWithScopeAsync();
            var patient = $"sap-{Hidden}";
            var restricted = $"sav-{Hidden}";
            foreach (var resource in new Resource[]
            {
                new Location { Id = Ward, Name = "Same ward" },
                new Patient { Id = CaredFor, Name = [new HumanName { Family = "Cared" }] },
                WardStays.InProgress($"{CaredFor}-enc", CaredFor, Ward),
                new Patient { Id = patient, Name = [new HumanName { Family = "Other" }], Identifier = [new Identifier("urn:same-id", $"p{Hidden}")] },
                new Patient { Id = $"sap-{Absent}", Name = [new HumanName { Family = "Other" }], Identifier = [new Identifier("urn:same-id", $"p{Absent}")] },
                HiddenCondition($"sac-{Hidden}", patient),
                HiddenCondition($"sac2-{Hidden}", patient),
                HiddenCondition($"sac-{Hidden}", patient),
                HiddenObservation(patient),
                HiddenObservation(patient),
                // Visible starting points whose includes lead through hidden data (or through nothing).
                FocusedObservation(Hidden),
                FocusedObservation(Absent),
                new Location { Id = $"sal-{Hidden}", Name = "Same other ward" },
                new Location { Id = $"sal-{Absent}", Name = "Same other ward" },
                new Encounter
                {
                    Id = $"sae-{Hidden}", Status = Encounter.EncounterStatus.InProgress,
                    Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
                    Subject = new ResourceReference($"Patient/{patient}"),
                    Location = [new Encounter.LocationComponent { Location = new ResourceReference($"Location/sal-{Hidden}") }],
                },
                new Patient { Id = restricted, Name = [new HumanName { Family = $"Same{Hidden}" }], Identifier = [new Identifier("urn:same-id", Hidden)] },
                new Patient
                {
                    Id = restricted, Name = [new HumanName { Family = $"Same{Hidden}" }], Identifier = [new Identifier("urn:same-id", Hidden)],
                    Address = [new Address { Line = ["1 Secret Lane"] }],
                    Meta = new Meta { Security = [new Coding(SensitivityLabels.ActCodeSystem, "EMP")] },
                },
            })
            {
                using var put = await system.PutAsync($"{resource.TypeName}/{resource.Id}", new StringContent(Json(resource), Encoding.UTF8, "application/fhir+json"));
                Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
            }

            ArrangedServers.Add(server.BaseUrl);
        }
        finally
        {
            Arranged.Release();
        }
    }

    /// <summary>
    /// The "since" pair for type history: an instant just before a hidden Observation written now, and
    /// one in the future. Taken afresh, because from an early date the walk would pass every hidden
    /// Observation that other tests wrote on this server, and could stop at the history work limit
    /// with a warning that the other variant lacks.
    /// </summary>
    private async Task<(string Hidden, string Absent)> HiddenObservationWrittenSinceAsync()
    {
        // To the millisecond, as lastUpdated is kept: visible data written just before must not count.
        var since = DateTimeOffset.UtcNow;
        using var system = await server.ClientWithScopeAsync();
        using var put = await system.PutAsync($"Observation/sao-{Hidden}", new StringContent(Json(HiddenObservation($"sap-{Hidden}")), Encoding.UTF8, "application/fhir+json"));
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        return (since.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), "2999-01-01T00:00:00.000Z");
    }

    /// <summary>An Observation of the nurse's own patient whose focus is Condition/sac-{value}: hidden for one value, absent for the other.</summary>
    private static Observation FocusedObservation(string value) => new()
    {
        Id = $"sfo-{value}",
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"),
        Subject = new ResourceReference($"Patient/{CaredFor}"),
        Focus = [new ResourceReference($"Condition/sac-{value}")],
        Value = new Quantity(70m, "kg"),
    };

    private static Observation HiddenObservation(string patient) => new()
    {
        Id = $"sao-{Hidden}",
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://snomed.info/sct", "27113001", "Body weight"),
        Subject = new ResourceReference($"Patient/{patient}"),
        Value = new Quantity(7777.1m, "kg"),
    };

    private static Condition HiddenCondition(string id, string patient) => new()
    {
        Id = id,
        Code = new CodeableConcept("urn:same", Hidden, $"same{Hidden}"),
        Subject = new ResourceReference($"Patient/{patient}"),
        Onset = new FhirDateTime("1901-02-03"),
    };
}

[Collection(ServerCollection.Name)]
public sealed class SameAnswerOnSqliteTests(ServerFixture server) : SameAnswerTests(server);

[Collection(PostgresServerCollection.Name)]
public sealed class SameAnswerOnPostgresTests(PostgresServerFixture server) : SameAnswerTests(server);

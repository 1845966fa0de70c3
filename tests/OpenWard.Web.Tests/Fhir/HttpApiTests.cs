using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Web.Tests.Fhir;

/// <summary>The FHIR REST API through the real HTTP pipeline: statuses, headers, formats, errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class HttpApiTests(ServerFixture server)
{

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    private static string PatientJson(string? nhs = null, string family = "Http") =>
        $$"""{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"{{nhs ?? TestNhsNumbers.Next()}}"}],"name":[{"family":"{{family}}","given":["Hana"]}],"birthDate":"1990-02-03"}""";

    private static async Task<OperationOutcome> OutcomeOf(HttpResponseMessage response)
    {
        Assert.StartsWith("application/fhir+json", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        return Assert.IsType<OperationOutcome>(FhirSerialization.ParseJson(await response.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("application/fhir+json")]
    [InlineData("application/fhir+xml")]
    public async System.Threading.Tasks.Task A_search_entry_of_a_batch_answers_with_its_searchset(string accept)
    {
        using var client = await server.ClientWithScopeAsync();
        var family = "Batchsearch" + Guid.NewGuid().ToString("N")[..6];
        using (var created = await client.PostAsync("Patient", Json(PatientJson(family: family))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var batch = $$$"""{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"GET","url":"Patient?family={{{family}}}"}}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = Json(batch) };
        request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var answer = (Bundle)(accept.EndsWith("xml", StringComparison.Ordinal) ? FhirSerialization.ParseXml(body) : FhirSerialization.ParseJson(body));
        var entry = Assert.Single(answer.Entry);
        Assert.StartsWith("200", entry.Response!.Status, StringComparison.Ordinal);
        var searchset = Assert.IsType<Bundle>(entry.Resource);
        Assert.Equal(Bundle.BundleType.Searchset, searchset.Type);
        Assert.Equal(family, Assert.IsType<Patient>(Assert.Single(searchset.Entry).Resource).Name[0].Family);
    }

    [Fact]
    public async System.Threading.Tasks.Task Metadata_is_public_and_states_what_is_supported()
    {
        using var response = await server.Anonymous.GetAsync(server.FhirUrl + "/metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var capabilities = Assert.IsType<CapabilityStatement>(FhirSerialization.ParseJson(await response.Content.ReadAsStringAsync()));
        var patient = capabilities.Rest[0].Resource.Single(r => r.Type == "Patient");
        Assert.Contains(patient.SearchParam, p => p.Name == "identifier");
        Assert.Contains(patient.Interaction, i => i.Code == CapabilityStatement.TypeRestfulInteraction.Patch);
        Assert.Contains("application/json-patch+json", capabilities.PatchFormat);
    }

    [Fact]
    public async System.Threading.Tasks.Task Smart_configuration_is_public_and_names_the_token_endpoint()
    {
        using var response = await server.Anonymous.GetAsync(server.FhirUrl + "/.well-known/smart-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(server.BaseUrl + "/auth/token", json.RootElement.GetProperty("token_endpoint").GetString());
    }

    [Fact]
    public async System.Threading.Tasks.Task Patient_data_is_never_served_without_a_token()
    {
        using var response = await server.Anonymous.GetAsync(server.FhirUrl + "/Patient");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(OperationOutcome.IssueType.Login, (await OutcomeOf(response)).Issue[0].Code);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_wrong_client_secret_gets_no_token()
    {
        using var response = await server.Anonymous.PostAsync(server.BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ServerFixture.ClientId,
            ["client_secret"] = "wrong",
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_read_only_scope_may_search_but_not_create()
    {
        using var client = await server.ClientWithScopeAsync("system/Patient.rs");

        using var search = await client.GetAsync("Patient?family=Nobody");
        using var create = await client.PostAsync("Patient", Json(PatientJson()));

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
        Assert.Contains("system/Patient.c", (await OutcomeOf(create)).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Create_answers_201_with_location_and_etag_and_read_returns_it_in_xml()
    {
        using var client = await server.ClientWithScopeAsync();

        using var created = await client.PostAsync("Patient", Json(PatientJson()));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("W/\"1\"", created.Headers.ETag!.ToString());
        var location = created.Headers.Location!.ToString();
        Assert.Matches($"^{server.FhirUrl}/Patient/[0-9a-f-]+/_history/1$", location);

        var id = location.Split('/')[^3];
        using var xml = await client.GetAsync($"Patient/{id}?_format=xml");
        Assert.Equal("application/fhir+xml", xml.Content.Headers.ContentType!.MediaType);
        var patient = Assert.IsType<Patient>(FhirSerialization.ParseXml(await xml.Content.ReadAsStringAsync()));
        Assert.Equal("Http", patient.Name[0].Family);
    }

    [Fact]
    public async System.Threading.Tasks.Task Malformed_json_is_a_400_OperationOutcome_not_a_server_error()
    {
        using var client = await server.ClientWithScopeAsync();

        using var broken = await client.PostAsync("Patient", Json("{\"resourceType\":\"Patient\",\"gender\":"));
        using var badCode = await client.PostAsync("Patient", Json("{\"resourceType\":\"Patient\",\"gender\":\"sometimes\"}"));

        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        Assert.NotEmpty((await OutcomeOf(badCode)).Issue);
    }

    [Fact]
    public async System.Threading.Tasks.Task Unknown_types_routes_and_methods_get_404_and_405_outcomes()
    {
        using var client = await server.ClientWithScopeAsync();

        using var unknownType = await client.GetAsync("Spaceship/1");
        using var unknownRoute = await client.GetAsync("Patient/1/_history/1/extra");
        using var wrongMethod = await client.DeleteAsync("Patient/1/_history");

        Assert.Equal(HttpStatusCode.NotFound, unknownType.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        await OutcomeOf(unknownRoute);
        await OutcomeOf(wrongMethod);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_unsupported_content_type_is_415()
    {
        using var client = await server.ClientWithScopeAsync();

        using var response = await client.PostAsync("Patient", new StringContent("family=x", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_stale_If_Match_is_412_and_a_deleted_resource_reads_as_410()
    {
        using var client = await server.ClientWithScopeAsync();
        using var created = await client.PostAsync("Patient", Json(PatientJson(family: "Stale")));
        var id = created.Headers.Location!.ToString().Split('/')[^3];
        var body = PatientJson(family: "Stale").Replace("{\"resourceType\":\"Patient\"", $"{{\"resourceType\":\"Patient\",\"id\":\"{id}\"", StringComparison.Ordinal);

        using var first = new HttpRequestMessage(HttpMethod.Put, $"Patient/{id}") { Content = Json(body) };
        first.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        using var firstResponse = await client.SendAsync(first);
        using var stale = new HttpRequestMessage(HttpMethod.Put, $"Patient/{id}") { Content = Json(body) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        using var staleResponse = await client.SendAsync(stale);
        using var deleted = await client.DeleteAsync($"Patient/{id}");
        using var gone = await client.GetAsync($"Patient/{id}");

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, staleResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_invalid_NHS_number_is_422_with_a_clear_message()
    {
        using var client = await server.ClientWithScopeAsync();

        using var response = await client.PostAsync("Patient", Json(PatientJson(nhs: "9434765918")));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("not a valid NHS number", (await OutcomeOf(response)).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Search_pages_carry_next_links_and_summary_count_gives_only_the_total()
    {
        using var client = await server.ClientWithScopeAsync();
        var family = "Paging" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++)
        {
            (await client.PostAsync("Patient", Json(PatientJson(family: family)))).Dispose();
        }

        using var page = await client.GetAsync($"Patient?family={family}&_count=2");
        var bundle = Assert.IsType<Bundle>(FhirSerialization.ParseJson(await page.Content.ReadAsStringAsync()));
        using var count = await client.GetAsync($"Patient?family={family}&_summary=count");
        var counted = Assert.IsType<Bundle>(FhirSerialization.ParseJson(await count.Content.ReadAsStringAsync()));

        Assert.Equal(3, bundle.Total);
        Assert.Equal(2, bundle.Entry.Count);
        var next = bundle.Link.Single(l => l.Relation == "next").Url;
        using var nextPage = await client.GetAsync(next);
        Assert.Single(Assert.IsType<Bundle>(FhirSerialization.ParseJson(await nextPage.Content.ReadAsStringAsync())).Entry);
        Assert.Equal(3, counted.Total);
        Assert.Empty(counted.Entry);
        Assert.Equal(["self"], counted.Link.Select(l => l.Relation));
    }

    [Fact]
    public async System.Threading.Tasks.Task An_unknown_search_parameter_is_400_unless_handling_is_lenient()
    {
        using var client = await server.ClientWithScopeAsync();

        using var strict = await client.GetAsync("Patient?favourite-colour=blue");
        using var lenientRequest = new HttpRequestMessage(HttpMethod.Get, "Patient?favourite-colour=blue");
        lenientRequest.Headers.Add("Prefer", "handling=lenient");
        using var lenient = await client.SendAsync(lenientRequest);

        Assert.Equal(HttpStatusCode.BadRequest, strict.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
    }
}

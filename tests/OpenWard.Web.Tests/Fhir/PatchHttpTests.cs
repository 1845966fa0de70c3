using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Web.Tests.Fhir;

/// <summary>PATCH over HTTP (https://hl7.org/fhir/R4/http.html#patch): content types, statuses, ETag and If-Match.</summary>
[Collection(ServerCollection.Name)]
public sealed class PatchHttpTests(ServerFixture server)
{
    // 943 476 5919: the NHS Data Dictionary's worked example of a valid NHS number.

    private static StringContent Fhir(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    private static StringContent JsonPatch(string json) => new(json, Encoding.UTF8, "application/json-patch+json");

    private static string PatientJson(string family) =>
        $$"""{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"{{TestNhsNumbers.Next()}}"}],"name":[{"family":"{{family}}","given":["Hana"]}],"birthDate":"1990-02-03"}""";

    private const string ReplaceBirthDate = """
        {"resourceType":"Parameters","parameter":[{"name":"operation","part":[
          {"name":"type","valueCode":"replace"},{"name":"path","valueString":"Patient.birthDate"},{"name":"value","valueDate":"1991-03-04"}]}]}
        """;

    private async Task<(HttpClient Client, string Id)> CreatePatientAsync(string family = "Patch", string scope = "system/*.cruds")
    {
        var client = await server.ClientWithScopeAsync(scope);
        using var admin = await server.ClientWithScopeAsync();
        using var created = await admin.PostAsync("Patient", Fhir(PatientJson(family)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (client, created.Headers.Location!.ToString().Split('/')[^3]);
    }

    private static HttpRequestMessage Patch(string url, HttpContent content, string? ifMatchVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = content };
        if (ifMatchVersion is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{ifMatchVersion}\"", isWeak: true));
        }

        return request;
    }

    private static async Task<T> BodyAs<T>(HttpResponseMessage response)
        where T : Resource =>
        Assert.IsType<T>(FhirSerialization.ParseJson(await response.Content.ReadAsStringAsync()));

    private static async Task<string> IssueCode(HttpResponseMessage response) =>
        (await BodyAs<OperationOutcome>(response)).Issue[0].Details!.Coding[0].Code!;

    [Fact]
    public async System.Threading.Tasks.Task A_JSON_Patch_answers_200_with_the_new_version_and_its_ETag()
    {
        var (client, id) = await CreatePatientAsync();
        using (client)
        {
            using var request = Patch($"Patient/{id}", JsonPatch("""[{"op":"replace","path":"/name/0/given/0","value":"Hannah"}]"""), ifMatchVersion: "1");
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("W/\"2\"", response.Headers.ETag!.ToString());
            Assert.NotNull(response.Content.Headers.LastModified);
            var patient = await BodyAs<Patient>(response);
            Assert.Equal("Hannah", patient.Name[0].Given.Single());
            Assert.Equal("2", patient.Meta!.VersionId);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_FHIRPath_Patch_is_accepted_in_JSON_and_in_XML()
    {
        var (client, id) = await CreatePatientAsync();
        using (client)
        {
            var xml = Encoding.UTF8.GetString(FhirSerialization.ToXmlBytes(FhirSerialization.ParseJson(ReplaceBirthDate.Replace("1991-03-04", "1992-05-06", StringComparison.Ordinal))));

            using var json = await client.SendAsync(Patch($"Patient/{id}", Fhir(ReplaceBirthDate)));
            using var viaXml = await client.SendAsync(Patch($"Patient/{id}", new StringContent(xml, Encoding.UTF8, "application/fhir+xml")));

            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            Assert.Equal("1991-03-04", (await BodyAs<Patient>(json)).BirthDate);
            Assert.Equal(HttpStatusCode.OK, viaXml.StatusCode);
            Assert.Equal("W/\"3\"", viaXml.Headers.ETag!.ToString());
            Assert.Equal("1992-05-06", (await BodyAs<Patient>(viaXml)).BirthDate);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_stale_If_Match_is_412()
    {
        var (client, id) = await CreatePatientAsync();
        using (client)
        {
            using var first = await client.SendAsync(Patch($"Patient/{id}", JsonPatch("""[{"op":"add","path":"/active","value":true}]"""), ifMatchVersion: "1"));
            using var stale = await client.SendAsync(Patch($"Patient/{id}", JsonPatch("""[{"op":"add","path":"/active","value":false}]"""), ifMatchVersion: "1"));

            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
            Assert.Equal("VERSION_MISMATCH", await IssueCode(stale));
        }
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/birthDate","value":"2000-01-01"}]""", HttpStatusCode.UnprocessableEntity, "PATCH_TEST_FAILED")]
    [InlineData("""[{"op":"remove","path":"/telecom/0"}]""", HttpStatusCode.UnprocessableEntity, "PATCH_FAILED")]
    [InlineData("""[{"op":"replace","path":"/birthDate","value":"03/02/1990"}]""", HttpStatusCode.UnprocessableEntity, "PATCH_RESULT_INVALID")]
    [InlineData("""[{"op":"replace","path":"/id","value":"another"}]""", HttpStatusCode.BadRequest, "PATCH_CHANGES_IDENTITY")]
    [InlineData("""[{"op":"rename","path":"/birthDate"}]""", HttpStatusCode.BadRequest, "PATCH_INVALID")]
    [InlineData("""{"op":"remove","path":"/birthDate"}""", HttpStatusCode.BadRequest, "PATCH_INVALID")]
    [InlineData("""[{"op":"remove","path":"/birthDate"}""", HttpStatusCode.BadRequest, "PATCH_INVALID")]
    public async System.Threading.Tasks.Task A_patch_that_fails_is_an_OperationOutcome_and_the_resource_stays_at_version_1(string patch, HttpStatusCode status, string code)
    {
        var (client, id) = await CreatePatientAsync();
        using (client)
        {
            using var response = await client.SendAsync(Patch($"Patient/{id}", JsonPatch(patch)));
            using var read = await client.GetAsync($"Patient/{id}");

            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, await IssueCode(response));
            Assert.Equal("W/\"1\"", read.Headers.ETag!.ToString());
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task JSON_Patch_is_accepted_only_by_PATCH_and_other_patch_formats_are_415()
    {
        var (client, id) = await CreatePatientAsync();
        using (client)
        {
            var patch = """[{"op":"add","path":"/active","value":true}]""";

            using var post = await client.PostAsync("Patient", JsonPatch(patch));
            using var put = await client.PutAsync($"Patient/{id}", JsonPatch(patch));
            using var xmlPatch = await client.SendAsync(Patch($"Patient/{id}", new StringContent("<diff/>", Encoding.UTF8, "application/xml-patch+xml")));
            using var text = await client.SendAsync(Patch($"Patient/{id}", new StringContent(patch, Encoding.UTF8, "text/plain")));
            using var plainJson = await client.SendAsync(Patch($"Patient/{id}", new StringContent(patch, Encoding.UTF8, "application/json")));

            Assert.All([post, put, xmlPatch, text, plainJson], r => Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode));
            Assert.Contains("application/json-patch+json", (await BodyAs<OperationOutcome>(plainJson)).Issue[0].Diagnostics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_whole_resource_as_a_patch_body_is_400()
    {
        var (client, id) = await CreatePatientAsync();
        using (client)
        {
            using var response = await client.SendAsync(Patch($"Patient/{id}", Fhir(PatientJson("Whole"))));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("use PUT", (await BodyAs<OperationOutcome>(response)).Issue[0].Diagnostics, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Conditional_patch_needs_criteria_like_conditional_update_and_delete()
    {
        var family = "CondPatch" + Guid.NewGuid().ToString("N")[..6];
        var (client, id) = await CreatePatientAsync(family);
        using (client)
        {
            using var noCriteria = await client.SendAsync(Patch("Patient", JsonPatch("""[{"op":"add","path":"/active","value":true}]""")));
            using var putNoCriteria = await client.PutAsync("Patient", Fhir(PatientJson(family)));
            using var conditional = await client.SendAsync(Patch($"Patient?family:exact={family}", JsonPatch("""[{"op":"add","path":"/active","value":true}]""")));
            using var noMatch = await client.SendAsync(Patch("Patient?family:exact=Nobody-at-all", JsonPatch("""[{"op":"add","path":"/active","value":true}]""")));

            Assert.Equal(HttpStatusCode.MethodNotAllowed, noCriteria.StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, putNoCriteria.StatusCode);
            Assert.Equal("METHOD_NOT_ALLOWED", await IssueCode(noCriteria));
            Assert.Equal(HttpStatusCode.OK, conditional.StatusCode);
            Assert.Equal(id, (await BodyAs<Patient>(conditional)).Id);
            Assert.Equal(HttpStatusCode.NotFound, noMatch.StatusCode);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task Patch_needs_the_update_scope_and_an_existing_resource()
    {
        var (readOnly, id) = await CreatePatientAsync(scope: "system/Patient.rs");
        using var writer = await server.ClientWithScopeAsync("system/Patient.u");
        using (readOnly)
        {
            using var refused = await readOnly.SendAsync(Patch($"Patient/{id}", JsonPatch("""[{"op":"add","path":"/active","value":true}]""")));
            using var allowed = await writer.SendAsync(Patch($"Patient/{id}", JsonPatch("""[{"op":"add","path":"/active","value":true}]""")));
            using var unknown = await writer.SendAsync(Patch("Patient/no-such-patient", JsonPatch("""[{"op":"add","path":"/active","value":true}]""")));

            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_carries_a_JSON_Patch_in_a_Binary()
    {
        var (client, id) = await CreatePatientAsync();
        using (client)
        {
            var data = Convert.ToBase64String(Encoding.UTF8.GetBytes("""[{"op":"add","path":"/active","value":false}]"""));
            var bundle = $$$"""
                {"resourceType":"Bundle","type":"transaction","entry":[
                  {"resource":{"resourceType":"Binary","contentType":"application/json-patch+json","data":"{{{data}}}"},
                   "request":{"method":"PATCH","url":"Patient/{{{id}}}"}}]}
                """;

            using var response = await client.PostAsync("", Fhir(bundle));
            using var read = await client.GetAsync($"Patient/{id}");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("200 OK", (await BodyAs<Bundle>(response)).Entry.Single().Response!.Status);
            Assert.False((await BodyAs<Patient>(read)).Active);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_FHIR_client_can_patch_by_id_and_by_condition()
    {
        var family = "ClientPatch" + Guid.NewGuid().ToString("N")[..6];
        var (http, id) = await CreatePatientAsync(family);
        http.Dispose();
        using var bearer = new HttpClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("system/*.cruds"));
        var client = new Hl7.Fhir.Rest.FhirClient(server.FhirUrl, bearer, new Hl7.Fhir.Rest.FhirClientSettings { PreferredFormat = Hl7.Fhir.Rest.ResourceFormat.Json });
        var activate = new Parameters();
        activate.Parameter.Add(new Parameters.ParameterComponent
        {
            Name = "operation",
            Part =
            [
                new() { Name = "type", Value = new Code("add") },
                new() { Name = "path", Value = new FhirString("Patient") },
                new() { Name = "name", Value = new FhirString("active") },
                new() { Name = "value", Value = new FhirBoolean(true) },
            ],
        });

        var byId = (Patient?)await client.PatchAsync(new Uri($"Patient/{id}", UriKind.Relative), (Parameters)FhirSerialization.ParseJson(ReplaceBirthDate));
        var byCondition = await client.ConditionalPatchAsync<Patient>(new Hl7.Fhir.Rest.SearchParams().Add("family:exact", family), activate);

        Assert.Equal("1991-03-04", byId!.BirthDate);
        Assert.Equal("2", byId.Meta!.VersionId);
        Assert.True(byCondition!.Active);
        Assert.Equal("3", byCondition.Meta!.VersionId);
    }
}

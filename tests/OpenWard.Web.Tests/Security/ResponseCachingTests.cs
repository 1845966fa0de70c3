using System.Net;
using System.Text;
using System.Text.Json;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Patient data and credentials are never stored by a browser or proxy cache: every FHIR response
/// (read, search, error) and the token endpoint's say <c>Cache-Control: no-store</c>.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ResponseCachingTests(ServerFixture server)
{
    private static void AssertNoStore(HttpResponseMessage response) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{response.RequestMessage?.RequestUri} answered Cache-Control: {response.Headers.CacheControl}");

    [Fact]
    public async Task Fhir_reads_searches_and_errors_are_never_stored_by_caches()
    {
        using var client = await server.ClientWithScopeAsync();
        using var created = await client.PostAsync("Patient", new StringContent("""{"resourceType":"Patient","name":[{"family":"Cache","given":["Carla"]}]}""", Encoding.UTF8, "application/fhir+json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = body.RootElement.GetProperty("id").GetString();

        using var read = await client.GetAsync($"Patient/{id}");
        using var search = await client.GetAsync("Patient?family=Cache");
        using var missing = await client.GetAsync("Patient/no-such-patient");
        using var anonymous = await server.Anonymous.GetAsync(server.FhirUrl + $"/Patient/{id}");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        AssertNoStore(created);
        AssertNoStore(read);
        AssertNoStore(search);
        AssertNoStore(missing);
        AssertNoStore(anonymous);
    }

    [Fact]
    public async Task Token_responses_and_refusals_are_never_stored_by_caches()
    {
        using var issued = await server.Anonymous.PostAsync(server.BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ServerFixture.ClientId,
            ["client_secret"] = ServerFixture.ClientSecret,
            ["scope"] = "system/Patient.rs",
        }));
        using var refused = await server.Anonymous.PostAsync(server.BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ServerFixture.ClientId,
            ["client_secret"] = "not-the-secret",
        }));

        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        AssertNoStore(issued);
        AssertNoStore(refused);
    }
}

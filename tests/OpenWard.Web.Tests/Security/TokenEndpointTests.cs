using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Web.Tests.Security;

/// <summary>The token endpoint and SMART discovery on the shared server, whose client has a secret and no JWK Set.</summary>
[Collection(ServerCollection.Name)]
public sealed class TokenEndpointTests(ServerFixture server)
{
    private string TokenEndpoint => server.BaseUrl + "/auth/token";

    [Fact]
    public async Task A_secret_client_gets_a_token_with_client_secret_basic()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "system/Patient.rs" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ServerFixture.ClientId}:{ServerFixture.ClientSecret}")));

        using var response = await server.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("system/Patient.rs", json.RootElement.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_secret_client_gets_a_token_with_client_secret_post_that_reads_patients()
    {
        using var client = await server.ClientWithScopeAsync("system/Patient.rs");

        using var search = await client.GetAsync("Patient");

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
    }

    [Fact]
    public async Task An_assertion_for_a_client_without_a_jwks_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var claims = new Dictionary<string, object>
        {
            ["iss"] = ServerFixture.ClientId,
            ["sub"] = ServerFixture.ClientId,
            ["aud"] = TokenEndpoint,
            ["exp"] = DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
        };
        var assertion = new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(new RsaSecurityKey(rsa), SecurityAlgorithms.RsaSha384));

        using var response = await server.Anonymous.PostAsync(TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_client", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_unknown_client_assertion_type_is_an_invalid_request()
    {
        using var response = await server.Anonymous.PostAsync(TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
            ["client_assertion"] = "PHNhbWw+",
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Smart_configuration_advertises_private_key_jwt_with_RS384_and_ES384()
    {
        using var response = await server.Anonymous.GetAsync(server.FhirUrl + "/.well-known/smart-configuration");

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string[] Strings(string name) => [.. json.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(["client_secret_basic", "client_secret_post", "private_key_jwt"], Strings("token_endpoint_auth_methods_supported"));
        Assert.Equal(["RS384", "ES384"], Strings("token_endpoint_auth_signing_alg_values_supported"));
        Assert.Contains("client-confidential-asymmetric", Strings("capabilities"));
        Assert.Contains("client-confidential-symmetric", Strings("capabilities"));
    }
}

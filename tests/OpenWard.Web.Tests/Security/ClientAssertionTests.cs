using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// SMART Backend Services asymmetric client authentication through the real token endpoint
/// (https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html): the client signs
/// a JWT with its private key and the server checks it against the registered public JWK Set.
/// </summary>
[Collection(BackendServicesCollection.Name)]
public sealed class ClientAssertionTests(BackendServicesFixture server)
{
    private const string ClientId = BackendServicesFixture.ClientId;

    /// <summary>The claims SMART requires, valid for four minutes, with a fresh jti.</summary>
    private Dictionary<string, object> ValidClaims() => new()
    {
        ["iss"] = ClientId,
        ["sub"] = ClientId,
        ["aud"] = server.TokenEndpoint,
        ["exp"] = DateTimeOffset.UtcNow.AddMinutes(4).ToUnixTimeSeconds(),
        ["jti"] = Guid.NewGuid().ToString(),
    };

    private static string Sign(Dictionary<string, object> claims, SecurityKey key, string algorithm) =>
        new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(key, algorithm));

    private string Assertion(Action<Dictionary<string, object>>? change = null)
    {
        var claims = ValidClaims();
        change?.Invoke(claims);
        return Sign(claims, server.RsaKey, SecurityAlgorithms.RsaSha384);
    }

    private Task<HttpResponseMessage> RequestTokenAsync(string assertion, Dictionary<string, string>? extra = null)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
            ["scope"] = "system/Patient.rs",
        };
        foreach (var (name, value) in extra ?? [])
        {
            form[name] = value;
        }

        return server.Anonymous.PostAsync(server.TokenEndpoint, new FormUrlEncodedContent(form));
    }

    /// <summary>401 invalid_client (RFC 6749 §5.2) for the stated reason, without echoing the assertion.</summary>
    private static async Task AssertRefusedAsync(HttpResponseMessage response, string assertion, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_client", json.RootElement.GetProperty("error").GetString());
        var description = json.RootElement.GetProperty("error_description").GetString()!;
        Assert.Contains(reason, description, StringComparison.Ordinal);
        Assert.All(assertion.Split('.').Where(part => part.Length > 8), part => Assert.DoesNotContain(part, description, StringComparison.Ordinal));
        Assert.False(json.RootElement.TryGetProperty("access_token", out _));
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("ES384")]
    public async Task A_valid_assertion_gets_a_token_that_reads_patients(string algorithm)
    {
        SecurityKey key = algorithm == "RS384" ? server.RsaKey : server.EcKey;

        using var response = await RequestTokenAsync(Sign(ValidClaims(), key, algorithm));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", json.RootElement.GetProperty("token_type").GetString());
        Assert.Equal("system/Patient.rs", json.RootElement.GetProperty("scope").GetString());
        using var fhir = new HttpClient();
        fhir.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
        using var search = await fhir.GetAsync(server.FhirUrl + "/Patient");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Contains("\"searchset\"", await search.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_assertion_without_kid_is_checked_against_every_registered_key()
    {
        var unnamed = new ECDsaSecurityKey(server.EcKey.ECDsa);

        using var response = await RequestTokenAsync(Sign(ValidClaims(), unnamed, SecurityAlgorithms.EcdsaSha384));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_assertion_signed_with_an_unregistered_key_is_refused()
    {
        using var stranger = RSA.Create(2048);
        var assertion = Sign(ValidClaims(), new RsaSecurityKey(stranger) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha384);

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "signature does not verify");
    }

    [Fact]
    public async Task An_assertion_naming_an_unregistered_kid_is_refused()
    {
        var assertion = Sign(ValidClaims(), new RsaSecurityKey(server.RsaKey.Rsa) { KeyId = "rsa-2" }, SecurityAlgorithms.RsaSha384);

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "no RS384 key with kid 'rsa-2'");
    }

    [Fact]
    public async Task An_assertion_for_another_audience_is_refused()
    {
        var assertion = Assertion(c => c["aud"] = server.FhirUrl);

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "aud must be this token endpoint's URL, " + server.TokenEndpoint);
    }

    [Theory]
    [InlineData("other-client", ClientId, "iss is not a client registered with a JWK Set")]
    [InlineData(ClientId, "other-client", "sub must equal its iss")]
    public async Task An_assertion_whose_iss_or_sub_is_not_the_client_is_refused(string issuer, string subject, string reason)
    {
        var assertion = Assertion(c =>
        {
            c["iss"] = issuer;
            c["sub"] = subject;
        });

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, reason);
    }

    [Fact]
    public async Task An_expired_assertion_is_refused()
    {
        var assertion = Assertion(c => c["exp"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds());

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "expired");
    }

    [Fact]
    public async Task An_assertion_expiring_more_than_five_minutes_ahead_is_refused()
    {
        var assertion = Assertion(c => c["exp"] = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds());

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "more than five minutes in the future");
    }

    [Fact]
    public async Task An_assertion_without_exp_is_refused()
    {
        var assertion = Assertion(c => c.Remove("exp"));

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "no exp");
    }

    [Fact]
    public async Task An_assertion_without_jti_is_refused()
    {
        var assertion = Assertion(c => c.Remove("jti"));

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "no jti");
    }

    [Fact]
    public async Task A_replayed_assertion_is_refused()
    {
        var assertion = Assertion();

        using var first = await RequestTokenAsync(assertion);
        using var second = await RequestTokenAsync(assertion);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(second, assertion, "jti has been used before");
    }

    [Fact]
    public async Task A_new_assertion_reusing_a_jti_is_refused()
    {
        var jti = Guid.NewGuid().ToString();
        var original = Assertion(c => c["jti"] = jti);
        var copy = Assertion(c =>
        {
            c["jti"] = jti;
            c["exp"] = DateTimeOffset.UtcNow.AddMinutes(3).ToUnixTimeSeconds();
        });

        using var first = await RequestTokenAsync(original);
        using var second = await RequestTokenAsync(copy);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(second, copy, "jti has been used before");
    }

    [Fact]
    public async Task An_unsigned_assertion_with_alg_none_is_refused()
    {
        var assertion = new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(ValidClaims()));
        Assert.Contains("\"alg\":\"none\"", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(assertion.Split('.')[0])), StringComparison.Ordinal);

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "alg is 'none'");
    }

    [Fact]
    public async Task An_assertion_signed_with_HS256_keyed_by_the_public_key_is_refused()
    {
        // The algorithm-confusion attack: an HMAC keyed with the client's public key, which anyone can read.
        var publicKeyAsSecret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(server.RsaPublicKeyPem)) { KeyId = "rsa-1" };
        var assertion = Sign(ValidClaims(), publicKeyAsSecret, SecurityAlgorithms.HmacSha256);

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "alg is 'HS256'");
    }

    [Fact]
    public async Task An_assertion_signed_with_RS256_is_refused()
    {
        var assertion = Sign(ValidClaims(), server.RsaKey, SecurityAlgorithms.RsaSha256);

        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "alg is 'RS256'");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzM4NCJ9.eyJpc3MiOjQyfQ.c2ln")]
    [InlineData("eyJhbGciOiJSUzM4NCJ9.eyJpc3MiOiJiYWNrZW5kLWNsaWVudCIsImV4cCI6Im5vdy1pc2gifQ.c2ln")]
    public async Task A_malformed_assertion_is_refused_as_invalid_client(string assertion)
    {
        using var response = await RequestTokenAsync(assertion);

        await AssertRefusedAsync(response, assertion, "not a well-formed JWT");
    }

    [Fact]
    public async Task A_client_id_that_is_not_the_assertions_client_is_refused()
    {
        var assertion = Assertion();

        using var response = await RequestTokenAsync(assertion, new() { ["client_id"] = "other-client" });

        await AssertRefusedAsync(response, assertion, "client_id is not the assertion's iss");
    }

    [Fact]
    public async Task An_assertion_together_with_a_client_secret_is_an_invalid_request()
    {
        using var response = await RequestTokenAsync(Assertion(), new() { ["client_id"] = ClientId, ["client_secret"] = "anything" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_client_with_only_a_jwks_cannot_authenticate_with_a_secret()
    {
        using var response = await server.Anonymous.PostAsync(server.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = "",
        }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_client", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>Which JWK Sets a client may register, and how the bootstrap client gets one from configuration.</summary>
public sealed class ClientJwksTests
{
    [Fact]
    public void A_jwks_of_public_rsa_and_ec_p384_keys_is_accepted()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var set = ClientJwks.Parse(TestJwks.Set(TestJwks.Rsa(rsa, "rsa-1"), TestJwks.Ec(ec, "ec-1")), "test");

        Assert.Equal(["rsa-1", "ec-1"], set.Keys.Select(k => k.Kid));
    }

    [Fact]
    public void A_private_key_is_refused_without_repeating_it()
    {
        using var rsa = RSA.Create(2048);
        var jwk = TestJwks.Rsa(rsa, "rsa-1");
        jwk["d"] = Base64UrlEncoder.Encode(rsa.ExportParameters(includePrivateParameters: true).D);

        var error = Assert.Throws<InvalidOperationException>(() => ClientJwks.Parse(TestJwks.Set(jwk), "test"));

        Assert.Contains("'rsa-1' is a private key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(jwk["d"], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kty":"oct","kid":"k","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}""", "has kty 'oct'")]
    [InlineData("""{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB"}""", "at least 2048 bits")]
    [InlineData("""{"kty":"RSA","kid":"k","e":"AQAB"}""", "lacks 'n' or 'e'")]
    public void A_key_that_cannot_verify_RS384_or_ES384_is_refused(string jwk, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClientJwks.Parse($$"""{"keys":[{{jwk}}]}""", "test"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ec_key_on_P256_is_refused()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<InvalidOperationException>(() => ClientJwks.Parse(TestJwks.Set(TestJwks.Ec(ec, "ec-1", "P-256")), "test"));

        Assert.Contains("ES384 needs P-384", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_restricted_to_another_algorithm_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var jwk = TestJwks.Rsa(rsa, "rsa-1");
        jwk["alg"] = "RS256";

        var error = Assert.Throws<InvalidOperationException>(() => ClientJwks.Parse(TestJwks.Set(jwk), "test"));

        Assert.Contains("has alg 'RS256'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"keys":[]}""")]
    public void Text_that_is_not_a_jwks_with_keys_is_refused(string json)
    {
        Assert.Throws<InvalidOperationException>(() => ClientJwks.Parse(json, "test"));
    }

    [Fact]
    public void The_bootstrap_client_takes_an_inline_jwks_without_a_secret()
    {
        using var rsa = RSA.Create(2048);
        var options = new OpenWardOptions { Bootstrap = { ClientId = "backend", Jwks = TestJwks.Set(TestJwks.Rsa(rsa, "rsa-1")) } };

        var client = Assert.Single(OpenWardHost.BootstrapClients(options));

        Assert.Equal("backend", client.ClientId);
        Assert.Null(client.ClientSecret);
        Assert.Equal("rsa-1", Assert.Single(client.Jwks!.Keys).Kid);
    }

    [Fact]
    public void The_bootstrap_client_may_have_a_secret_and_a_jwks_file()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, TestJwks.Set(TestJwks.Ec(ec, "ec-1")));
            var options = new OpenWardOptions { Bootstrap = { ClientId = "backend", ClientSecret = "s3cret-s3cret", JwksFile = file } };

            var client = Assert.Single(OpenWardHost.BootstrapClients(options));

            Assert.Equal("s3cret-s3cret", client.ClientSecret);
            Assert.Equal("ec-1", Assert.Single(client.Jwks!.Keys).Kid);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Jwks_and_jwks_file_together_are_refused()
    {
        var options = new OpenWardOptions { Bootstrap = { ClientId = "backend", Jwks = """{"keys":[]}""", JwksFile = "client.jwks.json" } };

        var error = Assert.Throws<InvalidOperationException>(() => OpenWardHost.BootstrapClients(options));

        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jwks_without_a_client_id_is_refused()
    {
        using var rsa = RSA.Create(2048);
        var options = new OpenWardOptions { Bootstrap = { Jwks = TestJwks.Set(TestJwks.Rsa(rsa, "rsa-1")) } };

        var error = Assert.Throws<InvalidOperationException>(() => OpenWardHost.BootstrapClients(options));

        Assert.Contains("without OpenWard:Bootstrap:ClientId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_jwks_file_is_refused_with_its_path()
    {
        var options = new OpenWardOptions { Bootstrap = { ClientId = "backend", JwksFile = "/nonexistent/client.jwks.json" } };

        var error = Assert.Throws<InvalidOperationException>(() => OpenWardHost.BootstrapClients(options));

        Assert.Contains("/nonexistent/client.jwks.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jwks_written_as_a_json_object_in_configuration_is_refused_rather_than_ignored()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenWard:Bootstrap:ClientId"] = "backend",
            ["OpenWard:Bootstrap:Jwks:keys:0:kty"] = "RSA",
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => OpenWardHost.ReadOptions(configuration));

        Assert.Contains("JwksFile", error.Message, StringComparison.Ordinal);
    }
}

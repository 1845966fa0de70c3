using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Smart;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// SMART App Launch with the authorization code grant and PKCE, end to end against a running
/// server: a browser-less client is sent to sign in, signs in as the demo nurse, approves the app,
/// redeems the code with its verifier, and the token reads exactly what the nurse may read.
/// </summary>
[Collection(SmartServerCollection.Name)]
public sealed class SmartAppLaunchTests(SmartServerFixture server)
{
    private const string Nurse = "nurse";

    private string AuthorizeUrl(string challenge, string scope = "openid fhirUser profile user/*.rs", string? aud = null, string state = "state-1", string nonce = "nonce-1",
        string clientId = SmartApps.DemoClientId, string redirectUri = SmartApps.DemoRedirectUri, string? method = "S256")
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["aud"] = aud ?? server.FhirUrl,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = method,
            ["nonce"] = nonce,
        };
        return server.BaseUrl + "/auth/authorize?" + string.Join('&', query.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> RedeemAsync(string code, string verifier, string clientId = SmartApps.DemoClientId, string redirectUri = SmartApps.DemoRedirectUri, string? secret = null)
    {
        using var http = new HttpClient();
        var fields = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        };
        if (secret is null)
        {
            fields["client_id"] = clientId;
        }
        else
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        }

        using var response = await http.PostAsync(server.BaseUrl + "/auth/token", new FormUrlEncodedContent(fields));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Runs the whole dance as the demo nurse and returns the code.</summary>
    private async Task<(string Code, string Verifier)> ApprovedCodeAsync(string scope = "openid fhirUser profile user/*.rs", string clientId = SmartApps.DemoClientId, string redirectUri = SmartApps.DemoRedirectUri)
    {
        var (verifier, challenge) = TestBrowser.Pkce();
        using var browser = new TestBrowser();
        var back = await browser.AuthorizeAsync(AuthorizeUrl(challenge, scope, clientId: clientId, redirectUri: redirectUri), Nurse, DemoStaff.Password);
        Assert.StartsWith(redirectUri + "?", back.ToString(), StringComparison.Ordinal);
        Assert.Equal("state-1", TestBrowser.Query(back, "state"));
        return (TestBrowser.Query(back, "code"), verifier);
    }

    [Fact]
    public async Task The_nurse_approves_an_app_whose_token_reads_her_ward_patient_and_needs_break_glass_for_another_patients_record()
    {
        var (code, verifier) = await ApprovedCodeAsync();

        var (status, json) = await RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        Assert.Equal("openid fhirUser profile user/*.rs", json.GetProperty("scope").GetString());
        Assert.False(json.TryGetProperty("patient", out _));
        using var api = new HttpClient { BaseAddress = new Uri(server.FhirUrl + "/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.GetProperty("access_token").GetString());

        using var own = await api.GetAsync($"Patient/{server.WardPatients[0]}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        using var ownObservation = await api.GetAsync($"Observation/{await server.AnObservationOfAsync(server.WardPatients[0])}");
        Assert.Equal(HttpStatusCode.OK, ownObservation.StatusCode);
        // The patient index (Patient/{id}) is open to staff; the record behind it is not: over the
        // API it reads as unknown (the pages offer break-glass).
        using var other = await api.GetAsync($"Observation/{await server.AnObservationOfAsync(server.OtherPatient)}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Contains("NOT_FOUND", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_id_token_is_signed_with_a_published_key_and_names_the_nurse_the_app_and_the_nonce()
    {
        var (code, verifier) = await ApprovedCodeAsync();
        var (_, json) = await RedeemAsync(code, verifier);
        using var http = new HttpClient();
        var jwks = new JsonWebKeySet(await http.GetStringAsync(server.BaseUrl + "/auth/jwks"));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(json.GetProperty("id_token").GetString(), new TokenValidationParameters
        {
            ValidIssuer = server.BaseUrl,
            ValidAudience = SmartApps.DemoClientId,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("nonce-1", result.Claims["nonce"]);
        Assert.Equal(Nurse, result.Claims["sub"]);
        Assert.Equal(Nurse, result.Claims["preferred_username"]);
        Assert.Equal("Nia Evans (demo nurse)", result.Claims["name"]);
        Assert.Equal(SmartApps.DemoClientId, ((JsonWebToken)result.SecurityToken).Audiences.Single());
    }

    [Fact]
    public async Task A_wrong_code_verifier_is_refused_and_the_code_cannot_then_be_used()
    {
        var (code, verifier) = await ApprovedCodeAsync();

        var (wrongStatus, wrong) = await RedeemAsync(code, TestBrowser.Pkce().Verifier);
        var (laterStatus, later) = await RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid_grant", wrong.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, laterStatus);
        Assert.Equal("invalid_grant", later.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_code_is_redeemed_only_once()
    {
        var (code, verifier) = await ApprovedCodeAsync();

        var (firstStatus, _) = await RedeemAsync(code, verifier);
        var (againStatus, again) = await RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(HttpStatusCode.BadRequest, againStatus);
        Assert.Equal("invalid_grant", again.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_confidential_app_must_present_its_secret_to_redeem_its_code()
    {
        var (code, verifier) = await ApprovedCodeAsync("user/Patient.rs", SmartServerFixture.ConfidentialApp, SmartServerFixture.ConfidentialRedirect);

        var (withoutStatus, without) = await RedeemAsync(code, verifier, SmartServerFixture.ConfidentialApp, SmartServerFixture.ConfidentialRedirect);
        var (wrongStatus, _) = await RedeemAsync(code, verifier, SmartServerFixture.ConfidentialApp, SmartServerFixture.ConfidentialRedirect, secret: "not-the-secret");
        var (withStatus, with) = await RedeemAsync(code, verifier, SmartServerFixture.ConfidentialApp, SmartServerFixture.ConfidentialRedirect, secret: SmartServerFixture.ConfidentialSecret);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutStatus);
        Assert.Equal("invalid_client", without.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Equal(HttpStatusCode.OK, withStatus);
        Assert.Equal("user/Patient.rs", with.GetProperty("scope").GetString());
        Assert.False(with.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task A_code_must_be_redeemed_with_the_redirect_uri_it_was_sent_to()
    {
        var (code, verifier) = await ApprovedCodeAsync();

        var (status, json) = await RedeemAsync(code, verifier, redirectUri: "http://localhost:8400/other");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Denying_the_app_sends_access_denied_to_it()
    {
        using var browser = new TestBrowser();

        var back = await browser.AuthorizeAsync(AuthorizeUrl(TestBrowser.Pkce().Challenge), Nurse, DemoStaff.Password, approve: false);

        Assert.Equal("access_denied", TestBrowser.Query(back, "error"));
        Assert.Equal("state-1", TestBrowser.Query(back, "state"));
        Assert.Null(System.Web.HttpUtility.ParseQueryString(back.Query)["code"]);
    }

    [Theory]
    [InlineData("https://evil.example/callback", SmartApps.DemoClientId)]
    [InlineData(SmartApps.DemoRedirectUri + "/more", SmartApps.DemoClientId)]
    [InlineData(SmartApps.DemoRedirectUri, "unregistered-app")]
    public async Task An_unregistered_redirect_uri_or_app_gets_an_error_page_and_no_redirect(string redirectUri, string clientId)
    {
        using var browser = new TestBrowser();

        using var response = await browser.GetAsync(AuthorizeUrl(TestBrowser.Pkce().Challenge, clientId: clientId, redirectUri: redirectUri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("This app cannot sign in with OpenWard", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("plain")]
    public async Task Authorization_without_an_S256_code_challenge_is_refused_back_to_the_app(string? method)
    {
        using var browser = new TestBrowser();
        var (verifier, challenge) = TestBrowser.Pkce();
        // Plain sends the verifier itself as the challenge; without a method the challenge is missing too.
        var url = method is null ? AuthorizeUrl(challenge, method: null).Replace($"code_challenge={challenge}&", "", StringComparison.Ordinal) : AuthorizeUrl(verifier, method: method);

        using var response = await browser.GetAsync(url);
        var back = TestBrowser.Location(response, url);

        Assert.StartsWith(SmartApps.DemoRedirectUri + "?", back.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid_request", TestBrowser.Query(back, "error"));
        Assert.Equal("state-1", TestBrowser.Query(back, "state"));
    }

    [Fact]
    public async Task Resource_scopes_for_another_servers_aud_are_refused_back_to_the_app()
    {
        using var browser = new TestBrowser();
        var url = AuthorizeUrl(TestBrowser.Pkce().Challenge, aud: "https://other-ehr.example/fhir");

        using var response = await browser.GetAsync(url);
        var back = TestBrowser.Location(response, url);

        Assert.Equal("invalid_request", TestBrowser.Query(back, "error"));
        Assert.Contains("aud", TestBrowser.Query(back, "error_description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_out_user_is_sent_to_the_sign_in_page_and_back_to_the_same_request()
    {
        using var browser = new TestBrowser();
        var url = AuthorizeUrl(TestBrowser.Pkce().Challenge);

        using var response = await browser.GetAsync(url);
        var signIn = TestBrowser.Location(response, url);

        Assert.Equal("/signin", signIn.AbsolutePath);
        Assert.Equal(new Uri(url).PathAndQuery, TestBrowser.Query(signIn, "ReturnUrl"));
    }

    [Fact]
    public async Task The_consent_form_may_lead_only_to_this_server_and_the_apps_redirect_origin()
    {
        using var browser = new TestBrowser();
        var url = AuthorizeUrl(TestBrowser.Pkce().Challenge, "user/Patient.rs", clientId: SmartServerFixture.ConfidentialApp, redirectUri: SmartServerFixture.ConfidentialRedirect);
        using var first = await browser.GetAsync(url);
        await browser.SignInAsync(TestBrowser.Location(first, url).ToString(), Nurse, DemoStaff.Password);

        using var consent = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        var policy = string.Join(' ', consent.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("form-action 'self' https://ward-app.example;", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("Allow Ward Round App to use OpenWard as you?", await consent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_advertises_the_authorization_code_flow_and_openid_connect()
    {
        using var http = new HttpClient();
        using var smart = JsonDocument.Parse(await http.GetStringAsync(server.FhirUrl + "/.well-known/smart-configuration"));
        using var openid = JsonDocument.Parse(await http.GetStringAsync(server.BaseUrl + "/.well-known/openid-configuration"));
        string[] Strings(JsonDocument document, string name) => [.. document.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

        Assert.Equal(server.BaseUrl + "/auth/authorize", smart.RootElement.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(["S256"], Strings(smart, "code_challenge_methods_supported"));
        Assert.Contains("authorization_code", Strings(smart, "grant_types_supported"));
        foreach (var capability in new[] { "launch-standalone", "client-public", "client-confidential-symmetric", "context-standalone-patient", "sso-openid-connect", "permission-v2", "permission-patient", "permission-user" })
        {
            Assert.Contains(capability, Strings(smart, "capabilities"));
        }

        Assert.Equal(server.BaseUrl, openid.RootElement.GetProperty("issuer").GetString());
        Assert.Equal(server.BaseUrl + "/auth/jwks", openid.RootElement.GetProperty("jwks_uri").GetString());
        Assert.Equal(server.BaseUrl + "/auth/token", openid.RootElement.GetProperty("token_endpoint").GetString());
        Assert.Equal(["RS256"], Strings(openid, "id_token_signing_alg_values_supported"));
        Assert.Equal(["code"], Strings(openid, "response_types_supported"));
        Assert.Equal(["public"], Strings(openid, "subject_types_supported"));
        Assert.Equal(["S256"], Strings(openid, "code_challenge_methods_supported"));
        Assert.Contains("openid", Strings(openid, "scopes_supported"));
        Assert.Contains("client_secret_basic", Strings(openid, "token_endpoint_auth_methods_supported"));
    }
}

using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security.Smart;

namespace OpenWard.Web.Tests.Security;

/// <summary>The checks of an authorization request, scope granting and PKCE, without a server.</summary>
public sealed class SmartAuthorizeRequestTests
{
    private const string Fhir = "https://ehr.example/fhir";
    private const string Redirect = "https://app.example/callback";
    private static readonly string Challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(new string('v', 50))));

    private static readonly SmartApps Apps = new([new SmartApp("app", null, [Redirect], "user/*.rs patient/Observation.rs", "Ward App")]);

    private static Dictionary<string, string?> Valid() => new()
    {
        ["response_type"] = "code",
        ["client_id"] = "app",
        ["redirect_uri"] = Redirect,
        ["scope"] = "openid fhirUser user/Patient.rs",
        ["state"] = "s1",
        ["aud"] = Fhir,
        ["code_challenge"] = Challenge,
        ["code_challenge_method"] = "S256",
        ["nonce"] = "n1",
    };

    private static (AuthorizeRequest? Request, AuthorizeError? Error) Parse(Dictionary<string, string?> query) =>
        AuthorizeRequestParser.Parse(name => query.GetValueOrDefault(name), Apps, Fhir);

    [Fact]
    public void A_complete_request_is_accepted_with_the_scopes_the_app_may_have()
    {
        var (request, error) = Parse(Valid());

        Assert.Null(error);
        Assert.Equal("openid fhirUser user/Patient.rs", request!.GrantedScope);
        Assert.Equal("n1", request.Nonce);
        Assert.False(request.NeedsPatient);
    }

    [Theory]
    [InlineData("client_id", "someone-else")]
    [InlineData("redirect_uri", "https://evil.example/callback")]
    [InlineData("redirect_uri", Redirect + "/extra")]
    [InlineData("redirect_uri", null)]
    public void An_unknown_app_or_unregistered_redirect_uri_is_told_to_the_user_only(string parameter, string? value)
    {
        var query = Valid();
        query[parameter] = value;

        var (request, error) = Parse(query);

        Assert.Null(request);
        Assert.True(error!.ToUserOnly);
    }

    [Theory]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge_method", null, "invalid_request")]
    [InlineData("code_challenge", null, "invalid_request")]
    [InlineData("code_challenge", "too-short", "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("state", null, "invalid_request")]
    [InlineData("aud", "https://other.example/fhir", "invalid_request")]
    [InlineData("aud", null, "invalid_request")]
    [InlineData("scope", "system/*.cruds", "invalid_scope")]
    public void A_flawed_request_from_a_registered_app_is_answered_at_its_redirect_uri(string parameter, string? value, string expected)
    {
        var query = Valid();
        query[parameter] = value;

        var (request, error) = Parse(query);

        Assert.Null(request);
        Assert.False(error!.ToUserOnly);
        Assert.Equal(expected, error.Error);
    }

    [Fact]
    public void Openid_alone_needs_no_aud()
    {
        var query = Valid();
        query["scope"] = "openid profile";
        query["aud"] = null;

        var (request, error) = Parse(query);

        Assert.Null(error);
        Assert.Equal("openid profile", request!.GrantedScope);
    }

    [Fact]
    public void Scopes_beyond_the_apps_registration_are_dropped_and_patient_scopes_need_a_patient()
    {
        var granted = AuthorizeRequestParser.Grant(
            ["launch/patient", "patient/Observation.rs", "patient/Observation.cruds", "patient/Patient.rs", "user/Observation.read", "user/Patient.c", "system/*.rs", "offline_access"],
            "user/*.rs patient/Observation.rs");

        Assert.Equal(["launch/patient", "patient/Observation.rs", "user/Observation.read"], granted);

        var query = Valid();
        query["scope"] = "patient/Observation.rs";
        Assert.True(Parse(query).Request!.NeedsPatient);
    }

    [Fact]
    public void Pkce_accepts_only_the_verifier_whose_sha256_is_the_challenge()
    {
        Assert.True(AuthorizationCodeGrant.VerifierMatches(new string('v', 50), Challenge));
        Assert.False(AuthorizationCodeGrant.VerifierMatches(new string('w', 50), Challenge));
        // RFC 7636 §4.1: at least 43 characters.
        Assert.False(AuthorizationCodeGrant.VerifierMatches("short", Base64UrlEncoder.Encode(SHA256.HashData("short"u8))));
    }

    [Fact]
    public void Scopes_are_described_in_plain_English()
    {
        Assert.Equal("Read and search Observation information in the chosen patient's record", AuthorizeRequestParser.Describe("patient/Observation.rs"));
        Assert.Equal("Read, search, create, change and delete all kinds of information in the records you are allowed to see", AuthorizeRequestParser.Describe("user/*.cruds"));
        Assert.Equal("Confirm to the app who you are", AuthorizeRequestParser.Describe("openid"));
    }

    [Fact]
    public void User_scopes_of_a_token_confined_to_a_patient_are_described_as_reaching_only_that_patient_s_record()
    {
        Assert.Equal("Read and search Location information (which is about no patient)", AuthorizeRequestParser.Describe("user/Location.rs", confined: true));
        Assert.Equal("Read and search Condition information in the chosen patient's record", AuthorizeRequestParser.Describe("user/Condition.rs", confined: true));
        Assert.Equal("Read and search all kinds of information in the chosen patient's record, and information about no patient (such as wards, staff and medicines)", AuthorizeRequestParser.Describe("user/*.rs", confined: true));
        Assert.Equal("Read and search Condition information in the records you are allowed to see", AuthorizeRequestParser.Describe("user/Condition.rs"));

        var query = Valid();
        query["scope"] = "patient/Observation.rs user/Location.rs";
        Assert.True(Parse(query).Request!.ConfinedToPatient);
        query["scope"] = "launch/patient user/Observation.rs";
        Assert.False(Parse(query).Request!.ConfinedToPatient);
    }

    [Fact]
    public void Configured_apps_are_checked_and_demo_mode_adds_a_public_demo_app()
    {
        var options = new OpenWardOptions { DemoData = true };
        options.Apps.Add(new AppOptions { ClientId = "c", ClientSecret = "s", RedirectUris = ["https://c.example/cb"], Scopes = "user/*.rs" });

        var apps = SmartApps.FromOptions(options);

        Assert.False(apps.Find("c")!.IsPublic);
        Assert.True(apps.Find(SmartApps.DemoClientId)!.IsPublic);
        Assert.Same(apps.Find("c"), apps.Authenticate("c", "s"));
        Assert.Null(apps.Authenticate("c", "wrong"));
        Assert.Null(apps.Authenticate("c", null));
        Assert.NotNull(apps.Authenticate(SmartApps.DemoClientId, null));

        options.Apps[0].RedirectUris = ["https://c.example/cb#fragment"];
        Assert.Throws<InvalidOperationException>(() => SmartApps.FromOptions(options));
    }
}

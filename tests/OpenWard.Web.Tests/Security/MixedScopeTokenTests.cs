using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Smart;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Patient confinement is a property of the token: an app granted <c>patient/*.rs user/Location.rs</c>
/// is told on the consent page that it opens only the chosen patient's record, and its token reads
/// that patient's data and the wards, but no other patient's, although the nurse could see them.
/// </summary>
[Collection(SmartServerCollection.Name)]
public sealed class MixedScopeTokenTests(SmartServerFixture server)
{
    private const string Scope = "launch/patient patient/*.rs user/Location.rs openid";

    [Fact]
    public async Task A_token_with_patient_and_user_scopes_reads_only_its_patient_s_data_and_the_consent_page_says_so()
    {
        var (chosen, other) = (server.WardPatients[0], server.WardPatients[1]);
        var (verifier, challenge) = TestBrowser.Pkce();
        var url = server.BaseUrl + "/auth/authorize?response_type=code"
            + $"&client_id={SmartApps.DemoClientId}&redirect_uri={Uri.EscapeDataString(SmartApps.DemoRedirectUri)}"
            + $"&scope={Uri.EscapeDataString(Scope)}&state=m1&aud={Uri.EscapeDataString(server.FhirUrl)}"
            + $"&code_challenge={challenge}&code_challenge_method=S256&nonce=mn";
        using var browser = new TestBrowser();
        using var first = await browser.GetAsync(url);
        var backTo = await browser.SignInAsync(TestBrowser.Location(first, url).ToString(), "nurse", DemoStaff.Password);
        using var chooser = await browser.GetAsync(new Uri(new Uri(server.BaseUrl), backTo).ToString());
        var chooserHtml = await chooser.Content.ReadAsStringAsync();
        using var consent = await browser.PostFormAsync(url, [new("patient", chosen), new("decision", "choose"), new("__RequestVerificationToken", TestBrowser.Hidden(chooserHtml, "__RequestVerificationToken"))]);
        var consentHtml = await consent.Content.ReadAsStringAsync();

        Assert.Contains("id=\"consent-confined\"", consentHtml, StringComparison.Ordinal);
        Assert.Contains("The app can open only this patient's record", consentHtml, StringComparison.Ordinal);
        Assert.Contains("Read and search Location information (which is about no patient)", consentHtml, StringComparison.Ordinal);
        Assert.Contains("Read and search all kinds of information in the chosen patient&#x27;s record", consentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("in the records you are allowed to see", consentHtml, StringComparison.Ordinal);

        using var approved = await browser.PostFormAsync(url, [new("patient", TestBrowser.Hidden(consentHtml, "patient")), new("decision", "approve"), new("__RequestVerificationToken", TestBrowser.Hidden(consentHtml, "__RequestVerificationToken"))]);
        using var http = new HttpClient();
        using var tokenResponse = await http.PostAsync(server.BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = TestBrowser.Query(TestBrowser.Location(approved, url), "code"),
            ["redirect_uri"] = SmartApps.DemoRedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = SmartApps.DemoClientId,
        }));
        using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal(Scope, token.RootElement.GetProperty("scope").GetString());
        using var api = new HttpClient { BaseAddress = new Uri(server.FhirUrl + "/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());

        using var mine = await api.GetAsync($"Observation/{await server.AnObservationOfAsync(chosen)}");
        using var theirs = await api.GetAsync($"Observation/{await server.AnObservationOfAsync(other)}");
        using var theirSearch = await api.GetAsync($"Observation?patient={other}");
        using var ward = await api.GetAsync($"Location/{DemoStaff.Ward}");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        // The nurse may read the other ward patient herself, but this token is confined to the chosen one.
        Assert.NotEqual(HttpStatusCode.OK, theirs.StatusCode);
        var hidden = theirSearch.StatusCode != HttpStatusCode.OK
            || ((Bundle)FhirSerialization.ParseJson(await theirSearch.Content.ReadAsByteArrayAsync())).Entry.Count == 0;
        Assert.True(hidden, "A search of another patient's observations showed them.");
        Assert.Equal(HttpStatusCode.OK, ward.StatusCode);
    }
}

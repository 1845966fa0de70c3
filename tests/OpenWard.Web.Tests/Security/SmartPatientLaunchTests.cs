using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Smart;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Standalone patient launch (SMART <c>launch/patient</c> with patient/ scopes): the nurse picks a
/// patient in the chooser, and the token is confined to that patient's record even where the
/// nurse herself could see more.
/// </summary>
[Collection(SmartServerCollection.Name)]
public sealed class SmartPatientLaunchTests(SmartServerFixture server)
{
    private string AuthorizeUrl(string challenge) =>
        server.BaseUrl + "/auth/authorize?response_type=code"
        + $"&client_id={SmartApps.DemoClientId}&redirect_uri={Uri.EscapeDataString(SmartApps.DemoRedirectUri)}"
        + $"&scope={Uri.EscapeDataString("launch/patient patient/*.rs openid")}&state=p1&aud={Uri.EscapeDataString(server.FhirUrl)}"
        + $"&code_challenge={challenge}&code_challenge_method=S256&nonce=pn";

    private async Task<string> NhsNumberAsync(string patientId)
    {
        using var system = await server.SystemClientAsync();
        var patient = (Patient)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"Patient/{patientId}"));
        return patient.Identifier.Single(i => i.System == NhsNumber.IdentifierSystem).Value!;
    }

    [Fact]
    public async Task A_patient_launch_token_reads_the_chosen_patients_observations_and_is_refused_another_patients()
    {
        var (chosen, other) = (server.WardPatients[0], server.WardPatients[1]);
        var (verifier, challenge) = TestBrowser.Pkce();
        using var browser = new TestBrowser();

        // Chosen by NHS number, as a ward nurse would.
        var back = await browser.AuthorizeAsync(AuthorizeUrl(challenge), "nurse", DemoStaff.Password, patient: await NhsNumberAsync(chosen));
        using var http = new HttpClient();
        using var tokenResponse = await http.PostAsync(server.BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = TestBrowser.Query(back, "code"),
            ["redirect_uri"] = SmartApps.DemoRedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = SmartApps.DemoClientId,
        }));
        using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal(chosen, token.RootElement.GetProperty("patient").GetString());
        Assert.Equal("launch/patient patient/*.rs openid", token.RootElement.GetProperty("scope").GetString());
        using var api = new HttpClient { BaseAddress = new Uri(server.FhirUrl + "/") };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());

        using var mine = await api.GetAsync($"Observation?patient={chosen}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var found = (Bundle)FhirSerialization.ParseJson(await mine.Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(found.Entry);
        Assert.All(found.Entry, e => Assert.Equal($"Patient/{chosen}", ((Observation)e.Resource!).Subject!.Reference));

        // The nurse may read the other ward patient herself, but this token is confined to the chosen one:
        // to it, the other patient's observation is as if it did not exist.
        using var theirs = await api.GetAsync($"Observation/{await server.AnObservationOfAsync(other)}");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Contains("NOT_FOUND", await theirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var theirSearch = await api.GetAsync($"Observation?patient={other}");
        var hidden = theirSearch.StatusCode == HttpStatusCode.Forbidden
            || ((Bundle)FhirSerialization.ParseJson(await theirSearch.Content.ReadAsByteArrayAsync())).Entry.Count == 0;
        Assert.True(hidden, "A search of another patient's observations showed them.");
    }

    [Fact]
    public async Task The_chooser_will_not_take_a_patient_the_user_may_not_see()
    {
        using var browser = new TestBrowser();
        var url = AuthorizeUrl(TestBrowser.Pkce().Challenge);
        using var first = await browser.GetAsync(url);
        var backTo = await browser.SignInAsync(TestBrowser.Location(first, url).ToString(), "nurse", DemoStaff.Password);
        using var chooser = await browser.GetAsync(new Uri(new Uri(server.BaseUrl), backTo).ToString());
        var html = await chooser.Content.ReadAsStringAsync();
        Assert.Contains("Choose a patient", html, StringComparison.Ordinal);

        using var refused = await browser.PostFormAsync(url, [new("patient", server.OtherPatient), new("decision", "choose"), new("__RequestVerificationToken", TestBrowser.Hidden(html, "__RequestVerificationToken"))]);
        var page = await refused.Content.ReadAsStringAsync();
        // Approving with the refused patient slipped into the form is refused the same way, and no code is issued.
        using var forged = await browser.PostFormAsync(url, [new("patient", server.OtherPatient), new("decision", "approve"), new("__RequestVerificationToken", TestBrowser.Hidden(page, "__RequestVerificationToken"))]);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("You may not open this patient&#x27;s record", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"consent-patient\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forged.StatusCode);
        Assert.Null(forged.Headers.Location);
        Assert.Contains("You may not open this patient&#x27;s record", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consent_post_without_the_antiforgery_token_is_rejected()
    {
        using var browser = new TestBrowser();
        var url = AuthorizeUrl(TestBrowser.Pkce().Challenge);
        using var first = await browser.GetAsync(url);
        await browser.SignInAsync(TestBrowser.Location(first, url).ToString(), "nurse", DemoStaff.Password);

        using var posted = await browser.PostFormAsync(url, [new("patient", server.WardPatients[0]), new("decision", "approve")]);

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Null(posted.Headers.Location);
    }
}

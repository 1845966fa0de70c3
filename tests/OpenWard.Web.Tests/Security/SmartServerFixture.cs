using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// A real OpenWard in demo mode (demo staff, demo patients, the demo public app) with two more
/// registered apps, for the SMART App Launch tests. It finds, through the API, two in-patients of
/// the demo nurse's ward and one patient who is not on it.
/// </summary>
public sealed class SmartServerFixture : IAsyncLifetime
{
    public const string ConfidentialApp = "ward-app";
    public const string ConfidentialSecret = "ward-app-secret-0123456789";
    public const string ConfidentialRedirect = "https://ward-app.example/callback";
    private const string SystemClient = "smart-tests";
    private const string SystemSecret = "smart-tests-secret-0123456789";

    private readonly string _folder = Directory.CreateTempSubdirectory("openward-smart-").FullName;
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";
    public string FhirUrl => BaseUrl + "/fhir";
    public IServiceProvider Services => _app!.Services;

    /// <summary>Two patients admitted (in progress) to the demo nurse's ward.</summary>
    public IReadOnlyList<string> WardPatients { get; private set; } = [];

    /// <summary>A patient with no current admission to that ward.</summary>
    public string OtherPatient { get; private set; } = "";

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_folder}",
            "--OpenWard:DemoData=true",
            "--OpenWard:DemoPatients=12",
            $"--OpenWard:Bootstrap:ClientId={SystemClient}",
            $"--OpenWard:Bootstrap:ClientSecret={SystemSecret}",
            $"--OpenWard:Apps:0:ClientId={ConfidentialApp}",
            $"--OpenWard:Apps:0:ClientSecret={ConfidentialSecret}",
            $"--OpenWard:Apps:0:RedirectUris:0={ConfidentialRedirect}",
            "--OpenWard:Apps:0:Scopes=user/*.rs patient/*.rs",
            "--OpenWard:Apps:0:Name=Ward Round App",
            // Many sign-ins and authorizations from one address in a test run.
            "--OpenWard:Auth:TokenRequestsPerMinute=100000",
            "--OpenWard:Auth:SignInAttemptsPerMinute=100000",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        // The demo data admits few patients, at random wards: admit two of them to the nurse's ward here.
        using var system = new HttpClient { BaseAddress = new Uri(FhirUrl + "/") };
        system.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SystemTokenAsync());
        var everyone = await PatientsAsync(system, "Patient?_count=100");
        foreach (var patient in everyone.Take(2))
        {
            var encounter = WardStays.InProgress($"smart-admission-{patient}", patient, DemoStaff.Ward);
            using var put = await system.PutAsync($"Encounter/{encounter.Id}", new StringContent(FhirSerialization.ToJson(encounter), Encoding.UTF8, "application/fhir+json"));
            put.EnsureSuccessStatusCode();
        }

        var onWard = await PatientsAsync(system, $"Encounter?status=in-progress&location=Location/{DemoStaff.Ward}&_count=100");
        WardPatients = [.. everyone.Take(2)];
        Assert.Subset(onWard.ToHashSet(), WardPatients.ToHashSet());
        OtherPatient = everyone.First(p => !onWard.Contains(p));
    }

    private static async Task<List<string>> PatientsAsync(HttpClient system, string query)
    {
        var bundle = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync(query));
        return bundle.Entry.Select(e => (string)(e.Resource switch
        {
            Encounter encounter => encounter.Subject!.Reference!["Patient/".Length..],
            Hl7.Fhir.Model.Patient patient => patient.Id!,
            _ => throw new InvalidOperationException($"Unexpected {e.Resource?.TypeName} in the answer to {query}."),
        })).Distinct().ToList();
    }

    private async Task<string> SystemTokenAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = SystemClient,
            ["client_secret"] = SystemSecret,
            ["scope"] = "system/*.cruds",
        }));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A system client's view of the FHIR API, for finding test data.</summary>
    public async Task<HttpClient> SystemClientAsync()
    {
        var client = new HttpClient { BaseAddress = new Uri(FhirUrl + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SystemTokenAsync());
        return client;
    }

    /// <summary>The id of one Observation in the patient's record.</summary>
    public async Task<string> AnObservationOfAsync(string patientId)
    {
        using var system = await SystemClientAsync();
        var bundle = (Bundle)FhirSerialization.ParseJson(await system.GetByteArrayAsync($"Observation?patient={patientId}&_count=1"));
        return bundle.Entry.Single().Resource!.Id!;
    }

    public async System.Threading.Tasks.Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class SmartServerCollection : ICollectionFixture<SmartServerFixture>
{
    public const string Name = "smart-server";
}

/// <summary>
/// A browser without JavaScript: one cookie jar, redirects not followed, so every hop of the
/// OAuth dance is visible. It signs in through the staff sign-in page as a person would.
/// </summary>
public sealed partial class TestBrowser : IDisposable
{
    private readonly HttpClient _http;

    public TestBrowser()
    {
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() });
    }

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url);

    public Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        _http.PostAsync(url, new FormUrlEncodedContent(fields));

    /// <summary>The absolute target of a redirect answer.</summary>
    public static Uri Location(HttpResponseMessage response, string requestUrl)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther, $"Expected a redirect, got {(int)response.StatusCode}.");
        var location = response.Headers.Location!;
        return location.IsAbsoluteUri ? location : new Uri(new Uri(requestUrl), location);
    }

    /// <summary>The value of a hidden input in a page, e.g. the antiforgery token.</summary>
    public static string Hidden(string html, string name)
    {
        foreach (Match input in InputTag().Matches(html))
        {
            if (input.Value.Contains($"name=\"{name}\"", StringComparison.Ordinal) && ValueAttribute().Match(input.Value) is { Success: true } value)
            {
                return WebUtility.HtmlDecode(value.Groups[1].Value);
            }
        }

        throw new Xunit.Sdk.XunitException($"The page has no input {name} with a value.");
    }

    /// <summary>
    /// From an authorize URL to the app's redirect: signs in through /signin when sent there,
    /// chooses <paramref name="patient"/> if the chooser appears, then approves (or denies).
    /// </summary>
    public async Task<Uri> AuthorizeAsync(string authorizeUrl, string userName, string password, string? patient = null, bool approve = true)
    {
        using var first = await GetAsync(authorizeUrl);
        var page = first;
        HttpResponseMessage? signedIn = null;
        if (first.StatusCode == HttpStatusCode.Found)
        {
            var signInUrl = Location(first, authorizeUrl);
            Assert.Equal("/signin", signInUrl.AbsolutePath);
            var backTo = await SignInAsync(signInUrl.ToString(), userName, password);
            Assert.Equal(new Uri(authorizeUrl).PathAndQuery, backTo.PathAndQuery);
            signedIn = await GetAsync(backTo.ToString());
            page = signedIn;
        }

        using (signedIn)
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            if (html.Contains("name=\"decision\" value=\"choose\"", StringComparison.Ordinal))
            {
                Assert.NotNull(patient);
                using var chosen = await PostFormAsync(authorizeUrl, [new("patient", patient!), new("decision", "choose"), new("__RequestVerificationToken", Hidden(html, "__RequestVerificationToken"))]);
                Assert.Equal(HttpStatusCode.OK, chosen.StatusCode);
                html = await chosen.Content.ReadAsStringAsync();
                Assert.Contains("id=\"consent-patient\"", html, StringComparison.Ordinal);
            }

            var fields = new List<KeyValuePair<string, string>> { new("decision", approve ? "approve" : "deny"), new("__RequestVerificationToken", Hidden(html, "__RequestVerificationToken")) };
            if (html.Contains("name=\"patient\" value=", StringComparison.Ordinal))
            {
                fields.Add(new("patient", Hidden(html, "patient")));
            }

            using var decided = await PostFormAsync(authorizeUrl, fields);
            return Location(decided, authorizeUrl);
        }
    }

    /// <summary>Fills in the staff sign-in page; returns where it sends the user after.</summary>
    public async Task<Uri> SignInAsync(string signInUrl, string userName, string password)
    {
        using var form = await GetAsync(signInUrl);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        using var posted = await PostFormAsync(signInUrl, [
            new("UserName", userName),
            new("Password", password),
            new("ReturnUrl", Hidden(html, "ReturnUrl")),
            new("__RequestVerificationToken", Hidden(html, "__RequestVerificationToken")),
        ]);
        return Location(posted, signInUrl);
    }

    /// <summary>A PKCE pair (RFC 7636): a random verifier and its S256 challenge.</summary>
    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string Query(Uri uri, string name) =>
        System.Web.HttpUtility.ParseQueryString(uri.Query)[name] ?? throw new Xunit.Sdk.XunitException($"{uri} has no {name}.");

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenWard.Web.Ui;

namespace OpenWard.LoadTool;

/// <summary>
/// The clinician app's pages as a signed-in member of staff asks for them (issue #4's speed
/// budget): one session, signed in once through the sign-in form, shared by every client, so each
/// request pays what a real page view pays: the session check, the policy, the audit event and the
/// page's searches. The chart scenarios open the charts of the patients on the user's ward, which
/// the policy lets them read without break-glass.
/// </summary>
public sealed partial class PageScenarios(HttpClient pages, KnownRecords known, IReadOnlyList<string> wardPatients, string largeRecordPatient)
{
    /// <summary>What every chart page (summary or tab) carries: the chart's tab navigation (Pages/Shared/_ChartTabs.cshtml).</summary>
    private const string ChartMarker = "openward-chart-tabs";

    private static readonly ChartTab[] TabsButSummary = [.. ChartTabs.All.Where(t => t != ChartTabs.Summary)];

    /// <summary>Searches as a doctor types them on the problem page, matching concepts of the repository's subset.</summary>
    private static readonly string[] ProblemQueries = ["diab", "diab typ", "hypert", "asthma", "chronic kid", "heart fail", "atrial fib"];

    /// <summary>Signs in through the sign-in form (antiforgery token and all) and returns a client carrying the session cookie.</summary>
    public static async Task<HttpClient> SignInAsync(Uri baseUrl, string userName, string password, int clients, CancellationToken cancellationToken)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        var form = await client.GetStringAsync("signin", cancellationToken);
        var token = AntiforgeryField().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("The sign-in page has no antiforgery token.");
        }

        using var response = await client.PostAsync(
            "signin",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = userName,
                ["Password"] = password,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            }),
            cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in as {userName} answered {(int)response.StatusCode}, not a redirect: check the account and its password.");
        }

        return client;
    }

    /// <summary>
    /// The patients with an in-progress encounter at <paramref name="ward"/>, found through the FHIR
    /// API (the same question My patients asks), so the chart scenarios open records the user may read.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WardPatientsAsync(HttpClient fhir, string ward, CancellationToken cancellationToken)
    {
        using var response = await fhir.GetAsync($"Encounter?location=Location/{ward}&status=in-progress&_elements=subject&_count=500", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var bundle = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var patients = new SortedSet<string>(StringComparer.Ordinal);
        if (bundle.RootElement.TryGetProperty("entry", out var entries))
        {
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.GetProperty("resource").TryGetProperty("subject", out var subject)
                    && subject.GetProperty("reference").GetString() is { } reference
                    && reference.StartsWith("Patient/", StringComparison.Ordinal))
                {
                    patients.Add(reference["Patient/".Length..]);
                }
            }
        }

        return [.. patients];
    }

    /// <summary>My patients: the ward list of the user's wards.</summary>
    public Task<int> MyPatientsAsync(int client, CancellationToken cancellationToken) =>
        GetAsync("patients", "My patients", cancellationToken);

    /// <summary>Find a patient by NHS number, as typed into the header's search box (with spaces).</summary>
    public Task<int> FindPatientAsync(int client, CancellationToken cancellationToken)
    {
        var nhs = Pick(known.Patients).NhsNumber;
        return GetAsync($"patients/search?q={Uri.EscapeDataString($"{nhs[..3]} {nhs[3..6]} {nhs[6..]}")}", "Find a patient", cancellationToken);
    }

    /// <summary>The chart summary of a patient on the user's ward.</summary>
    public Task<int> ChartAsync(int client, CancellationToken cancellationToken) =>
        GetAsync($"patients/{Uri.EscapeDataString(Pick(wardPatients))}", ChartMarker, cancellationToken);

    /// <summary>One of the chart's other tabs (encounters, problems ... timeline) of a patient on the user's ward, in turn.</summary>
    public Task<int> ChartTabAsync(int client, CancellationToken cancellationToken) =>
        GetAsync(Pick(TabsButSummary).Href(Pick(wardPatients))[1..], ChartMarker, cancellationToken);

    /// <summary>The "Record a problem" page of a patient on the user's ward with a SNOMED CT search's results (Pages/Patients/Problems/New.cshtml).</summary>
    public Task<int> ProblemSearchAsync(int client, CancellationToken cancellationToken) =>
        GetAsync($"patients/{Uri.EscapeDataString(Pick(wardPatients))}/problems/new?q={Uri.EscapeDataString(Pick(ProblemQueries))}", "name=\"Input.Code\"", cancellationToken);

    /// <summary>The chart summary of the patient with the large record (<see cref="LargeRecord"/>).</summary>
    public Task<int> LargeChartAsync(int client, CancellationToken cancellationToken) =>
        GetAsync($"patients/{Uri.EscapeDataString(largeRecordPatient)}", ChartMarker, cancellationToken);

    /// <summary>Each tab of the large record's chart, in turn.</summary>
    public Task<int> LargeChartTabAsync(int client, CancellationToken cancellationToken) =>
        GetAsync(Pick(TabsButSummary).Href(largeRecordPatient)[1..], ChartMarker, cancellationToken);

    /// <summary>
    /// GETs a page and checks it is the page asked for: a 200 that is the sign-in page, the
    /// break-glass question or an error page would measure the wrong thing, so it counts as an error.
    /// </summary>
    private async Task<int> GetAsync(string path, string mustContain, CancellationToken cancellationToken)
    {
        using var response = await pages.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains(mustContain, StringComparison.Ordinal))
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from GET /{path}, without \"{mustContain}\": {body[..Math.Min(body.Length, 200)]}");
        }

        return 1;
    }

    private static T Pick<T>(IReadOnlyList<T> items) => items[Random.Shared.Next(items.Count)];

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

using System.Net;
using Npgsql;

namespace OpenWard.LoadTool;

/// <summary>What one load run does. Every target is on this machine (loopback): the tool refuses anything else.</summary>
public sealed record LoadOptions
{
    /// <summary>A running OpenWard to target; null starts one in this process on 127.0.0.1.</summary>
    public Uri? Url { get; init; }

    /// <summary><c>Sqlite</c> or <c>Postgres</c> (the in-process server's store, and the floor's database).</summary>
    public string Engine { get; init; } = Engines.Sqlite;

    /// <summary>Npgsql connection string (required for Postgres); for SQLite, an optional <c>Data Source=...</c>.</summary>
    public string? Connection { get; init; }

    /// <summary>Folder for the in-process server's SQLite file and key; null uses a new temporary folder, deleted afterwards.</summary>
    public string? DataDirectory { get; init; }

    public int Patients { get; init; } = 2000;
    public int Clients { get; init; } = 8;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this many requests per scenario (0: no limit; the duration still bounds it).</summary>
    public long MaxRequests { get; init; }

    public IReadOnlyList<string> Scenarios { get; init; } = ScenarioNames.All;

    /// <summary>A Markdown file to append the results to.</summary>
    public string? Markdown { get; init; }

    /// <summary>Credentials for a server given by <see cref="Url"/> (default: the demo client).</summary>
    public string ClientId { get; init; } = OpenWard.Web.Hosting.OpenWardHost.DemoClientId;

    public string ClientSecret { get; init; } = OpenWard.Web.Hosting.OpenWardHost.DemoClientSecret;

    /// <summary>The member of staff the page scenarios sign in as (default: the demo nurse, whose ward they open).</summary>
    public string StaffUser { get; init; } = "nurse";

    public string StaffPassword { get; init; } = OpenWard.Web.Security.DemoStaff.Password;

    /// <summary>The command line that made this run, for the report.</summary>
    public string CommandLine { get; init; } = "";
}

public static class Engines
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";
}

/// <summary>The scenarios, in the order they run: reads, pages and the floor before writes, so that writes do not change what is read.</summary>
public static class ScenarioNames
{
    public const string FloorInsert = "floor-insert";
    public const string FloorInsertBatch = "floor-insert-100";
    public const string FloorRead = "floor-read";
    public const string ServiceRead = "service-read";
    public const string Read = "read";
    public const string ServiceSearch = "service-search";
    public const string SearchNhsNumber = "search-nhs";
    public const string SearchName = "search-name";
    public const string SearchObservation = "search-obs";
    public const string PageMyPatients = "page-my-patients";
    public const string PageFindPatient = "page-find";
    public const string PageChart = "page-chart";
    public const string PageChartTabs = "page-chart-tabs";
    public const string PageProblemSearch = "page-problem-search";
    public const string PageLargeChart = "page-chart-large";
    public const string PageLargeChartTabs = "page-chart-large-tabs";
    public const string ServiceCreate = "service-create";
    public const string Create = "create";
    public const string Transaction = "transaction";
    public const string Import = "import";
    public const string CdsOrderSign = "cds-order-sign";
    public const string News2Set = "news2-set";

    public static readonly IReadOnlyList<string> All =
        [FloorInsert, FloorInsertBatch, FloorRead, ServiceRead, Read, ServiceSearch, SearchNhsNumber, SearchName, SearchObservation,
        PageMyPatients, PageFindPatient, PageChart, PageChartTabs, PageProblemSearch, PageLargeChart, PageLargeChartTabs,
        ServiceCreate, Create, Transaction, Import, CdsOrderSign, News2Set];

    public static bool IsFloor(string name) => name.StartsWith("floor-", StringComparison.Ordinal);

    /// <summary>Scenarios that request the clinician app's pages as a signed-in member of staff.</summary>
    public static bool IsPage(string name) => name.StartsWith("page-", StringComparison.Ordinal);

    /// <summary>Scenarios that need the patient with the large record (<see cref="LargeRecord"/>).</summary>
    public static bool NeedsLargeRecord(string name) => name is PageLargeChart or PageLargeChartTabs;

    /// <summary>Scenarios that call the server's code directly, so need it in this process.</summary>
    public static bool IsInProcess(string name) => name is ServiceRead or ServiceSearch or ServiceCreate or Import;
}

/// <summary>The tool only ever talks to this machine: a load run aimed elsewhere is a denial-of-service attack.</summary>
public static class Loopback
{
    /// <summary>True for an absolute http(s) URL whose host is <c>localhost</c> or a loopback address (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopbackUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && IsLoopbackHost(url.Host);
    }

    /// <summary>True when every host an Npgsql connection string names is loopback or a Unix socket folder.</summary>
    public static bool IsLoopbackPostgres(string connectionString)
    {
        var hosts = new NpgsqlConnectionStringBuilder(connectionString).Host;
        return !string.IsNullOrEmpty(hosts)
            && hosts.Split(',').All(h => h.Trim().StartsWith('/') || IsLoopbackHost(StripPort(h.Trim())));
    }

    private static bool IsLoopbackHost(string host)
    {
        var bare = host.Trim('[', ']');
        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address));
    }

    private static string StripPort(string host)
    {
        // "127.0.0.1:5432" or "[::1]:5432"; a bare IPv6 address has several colons and no port.
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            return close > 0 ? host[..(close + 1)] : host;
        }

        return host.Count(c => c == ':') == 1 ? host[..host.IndexOf(':', StringComparison.Ordinal)] : host;
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Fhir.Validation;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.LoadTool;

/// <summary>
/// One load run: the server (in this process, or at <see cref="LoadOptions.Url"/>), the population,
/// a token, each scenario after an unmeasured warm-up, and the report.
/// </summary>
public static class LoadRun
{
    /// <summary>The demo seed, so a server loaded with <c>openward demo-data</c> holds the records this tool knows.</summary>
    public const int Seed = StartupTasks.DemoSeed;

    public static async Task<LoadReport> RunAsync(LoadOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Url is { } target && !Loopback.IsLoopbackUrl(target))
        {
            throw new ArgumentException($"{target} is not a loopback address: the load tool only targets this machine.", nameof(options));
        }

        if (options.Engine == Engines.Postgres && (options.Connection is null || !Loopback.IsLoopbackPostgres(options.Connection)))
        {
            throw new ArgumentException("The PostgreSQL connection must name a loopback host.", nameof(options));
        }

        var temporary = options.Url is null && options.DataDirectory is null ? Directory.CreateTempSubdirectory("openward-load-").FullName : null;
        var folder = options.DataDirectory ?? temporary;
        WebApplication? app = null;
        try
        {
            output.WriteLine($"Generating the known records of {options.Patients:N0} patients...");
            var known = KnownRecords.Generate(Seed, options.Patients);

            Uri baseUrl;
            FhirRestService? fhir = null;
            PopulationLoad? load = null;
            var clientId = options.ClientId;
            var clientSecret = options.ClientSecret;
            if (options.Url is null)
            {
                clientId = "openward-load";
                clientSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
                app = await StartServerAsync(options, folder!, clientId, clientSecret, cancellationToken);
                baseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
                fhir = app.Services.GetRequiredService<FhirRestService>();
                output.WriteLine($"OpenWard ({options.Engine}) is serving at {baseUrl}fhir; waiting for the profile validator to warm up...");
                await app.Services.GetRequiredService<ProfileValidator>().WarmUpAsync(cancellationToken);
                load = await LoadPopulationAsync(fhir, app.Services.GetRequiredService<IResourceStore>(), options.Patients, output, cancellationToken);
            }
            else
            {
                baseUrl = options.Url;
            }

            var token = await TokenAsync(baseUrl, clientId, clientSecret, cancellationToken);
            using var http = HttpScenarios.CreateClient(new Uri(baseUrl, "fhir/"), token, options.Clients);
            if (options.Url is not null)
            {
                await RequirePopulationAsync(http, options.Patients, cancellationToken);
            }

            var pages = options.Scenarios.Any(ScenarioNames.IsPage)
                ? await PreparePagesAsync(options, app, baseUrl, http, known, output, cancellationToken)
                : ((HttpClient Http, PageScenarios Scenarios)?)null;
            using var pagesHttp = pages?.Http;

            var floorConnection = FloorConnection(options, folder);
            var floor = floorConnection is null
                ? null
                : await DatabaseFloor.CreateAsync(options.Engine, floorConnection, FhirSerialization.ToJson(known.SampleObservation), cancellationToken);
            var engineVersion = floor is null ? "engine version not known (no --connection)" : await floor.VersionAsync(cancellationToken);
            var results = new List<ScenarioResult>();
            var loadBefore = LoadAverage();
            try
            {
                // The patient after the population is the large record's template (LargeRecord): new resources start after it.
                var fresh = new FreshResources(Seed, options.Patients + 1);
                var scenarios = new HttpScenarios(http, known, fresh);
                foreach (var name in options.Scenarios)
                {
                    var result = await RunScenarioAsync(name, options, scenarios, pages?.Scenarios, fresh, floor, fhir, known, cancellationToken);
                    if (result is null)
                    {
                        output.WriteLine($"{name}: skipped ({(ScenarioNames.IsInProcess(name) ? "it runs only against a server in this process" : "the floor needs the database: run in process or give --connection")}).");
                        continue;
                    }

                    results.Add(result);
                    output.WriteLine($"{name}: {result.Units:N0} {result.Unit} in {result.Elapsed.TotalSeconds:F1} s = {result.UnitsPerSecond:N0}/s; p50 {result.PercentileMilliseconds(50):F2} ms, p99 {result.PercentileMilliseconds(99):F2} ms; {result.Errors} errors{(result.FirstError is null ? "" : $" (first: {result.FirstError})")}");
                }
            }
            finally
            {
                if (floor is not null)
                {
                    await floor.DisposeAsync();
                }
            }

            var report = new LoadReport(options, options.Engine, engineVersion, known.ResourceCount, known.AverageJsonCharacters, load, results)
            {
                LoadAverages = $"{loadBefore} before the scenarios, {LoadAverage()} after",
            };
            var markdown = report.ToMarkdown(DateTimeOffset.Now);
            output.WriteLine();
            output.WriteLine(markdown);
            if (options.Markdown is { } file)
            {
                await File.AppendAllTextAsync(file, Environment.NewLine + markdown, cancellationToken);
                output.WriteLine($"Appended to {file}.");
            }

            return report;
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }

            SqliteConnection.ClearAllPools();
            if (temporary is not null)
            {
                Directory.Delete(temporary, recursive: true);
            }
        }
    }

    /// <summary>
    /// The 1-minute load average (Linux): the machine may be shared, and a busy neighbour takes
    /// cores from both the server and the clients, so each report says how busy it was.
    /// </summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    private static async Task<WebApplication> StartServerAsync(LoadOptions options, string folder, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={folder}",
            $"--OpenWard:Storage:Provider={options.Engine}",
            $"--OpenWard:Bootstrap:ClientId={clientId}",
            $"--OpenWard:Bootstrap:ClientSecret={clientSecret}",
            // The population is demo data and the page scenarios sign in as demo staff, which only
            // demo mode accepts; the tool loads the population itself, so demo mode seeds no patients.
            "--OpenWard:DemoData=true",
            "--OpenWard:DemoPatients=0",
            "--Logging:LogLevel:Default=Warning",
        };
        if (options.Connection is { } connection)
        {
            arguments.Add($"--OpenWard:Storage:ConnectionString={connection}");
        }

        var app = OpenWardHost.Build([.. arguments]);
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>
    /// What the page scenarios need: the staff accounts (in process: the demo accounts), the large
    /// record when a scenario opens it, the patients on the user's ward, and a signed-in session.
    /// </summary>
    private static async Task<(HttpClient Http, PageScenarios Scenarios)> PreparePagesAsync(
        LoadOptions options, WebApplication? app, Uri baseUrl, HttpClient fhir, KnownRecords known, TextWriter output, CancellationToken cancellationToken)
    {
        if (app is not null)
        {
            await DemoStaff.SeedAsync(app.Services.GetRequiredService<StaffDirectory>(), app.Services.GetRequiredService<PasswordHasher>(), cancellationToken);
        }

        if (options.Scenarios.Any(ScenarioNames.NeedsLargeRecord))
        {
            var loaded = await LargeRecord.EnsureLoadedAsync(fhir, Seed, options.Patients, cancellationToken);
            output.WriteLine(loaded > 0
                ? $"Loaded the large record ({LargeRecord.Encounters} encounters, {LargeRecord.Observations:N0} observations; {loaded:N0} resources)."
                : "The store already holds the large record.");
        }

        var ward = await PageScenarios.WardPatientsAsync(fhir, DemoStaff.Ward, cancellationToken);
        var wardPatients = ward.Where(p => p != LargeRecord.PatientId).ToList();
        if (wardPatients.Count == 0)
        {
            throw new InvalidOperationException($"No patient is in hospital on {DemoStaff.Ward}: the chart scenarios need some (load more patients).");
        }

        output.WriteLine($"Signing in as {options.StaffUser}; {wardPatients.Count} patients on {DemoStaff.Ward}.");
        var http = await PageScenarios.SignInAsync(baseUrl, options.StaffUser, options.StaffPassword, options.Clients, cancellationToken);
        return (http, new PageScenarios(http, known, wardPatients, LargeRecord.PatientId));
    }

    /// <summary>Imports the population unless its last patient is already stored (a reused database).</summary>
    private static async Task<PopulationLoad?> LoadPopulationAsync(FhirRestService fhir, IResourceStore store, int patients, TextWriter output, CancellationToken cancellationToken)
    {
        if (await store.ReadAsync("Patient", KnownRecords.PatientId(patients), cancellationToken) is not null)
        {
            output.WriteLine("The store already holds the population.");
            return null;
        }

        output.WriteLine($"Loading {patients:N0} patients through FhirRestService.ImportAsync...");
        var stopwatch = Stopwatch.StartNew();
        var summary = await StartupTasks.SeedDemoDataAsync(fhir, patients, Seed, null, cancellationToken);
        stopwatch.Stop();
        if (summary.Problems.Count > 0)
        {
            throw new InvalidOperationException($"Loading the population failed: {summary.Problems[0].Message}");
        }

        output.WriteLine($"Loaded {summary.Imported:N0} resources in {stopwatch.Elapsed.TotalSeconds:F1} s ({summary.Imported / stopwatch.Elapsed.TotalSeconds:N0}/s).");
        return new PopulationLoad(summary.Imported, stopwatch.Elapsed);
    }

    private static async System.Threading.Tasks.Task RequirePopulationAsync(HttpClient http, int patients, CancellationToken cancellationToken)
    {
        var last = KnownRecords.PatientId(patients);
        using var response = await http.GetAsync("Patient/" + last, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The server does not hold Patient/{last} ({(int)response.StatusCode}): load the population first with `openward demo-data --patients {patients}` (the default seed).");
        }
    }

    private static async Task<string> TokenAsync(Uri baseUrl, string clientId, string clientSecret, CancellationToken cancellationToken)
    {
        using var anonymous = new HttpClient();
        using var response = await anonymous.PostAsync(
            new Uri(baseUrl, "auth/token"),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
                ["scope"] = "system/*.cruds",
            }),
            cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return json.RootElement.GetProperty("access_token").GetString()
            ?? throw new InvalidOperationException("The token endpoint answered without an access_token.");
    }

    /// <summary>The floor's database: the store's own engine and server (SQLite: a file beside the store's).</summary>
    private static string? FloorConnection(LoadOptions options, string? folder)
    {
        if (options.Engine == Engines.Postgres)
        {
            return options.Connection;
        }

        if (options.Connection is { } sqlite)
        {
            var file = new SqliteConnectionStringBuilder(sqlite).DataSource;
            return DatabaseFloor.SqliteConnectionString(Path.GetDirectoryName(Path.GetFullPath(file))!);
        }

        return folder is null ? null : DatabaseFloor.SqliteConnectionString(folder);
    }

    private static async Task<ScenarioResult?> RunScenarioAsync(
        string name,
        LoadOptions options,
        HttpScenarios scenarios,
        PageScenarios? pages,
        FreshResources fresh,
        DatabaseFloor? floor,
        FhirRestService? fhir,
        KnownRecords known,
        CancellationToken cancellationToken)
    {
        switch (name)
        {
            case ScenarioNames.FloorInsert or ScenarioNames.FloorInsertBatch or ScenarioNames.FloorRead:
                if (floor is null)
                {
                    return null;
                }

                await floor.PrepareClientsAsync(options.Clients, cancellationToken);
                if (name == ScenarioNames.FloorRead)
                {
                    await floor.FillAsync(known.ResourceCount, cancellationToken);
                }

                return await MeasureAsync(
                    name,
                    name == ScenarioNames.FloorInsertBatch ? "rows" : name == ScenarioNames.FloorRead ? "reads" : "commits",
                    options,
                    name switch
                    {
                        ScenarioNames.FloorInsert => floor.InsertAsync,
                        ScenarioNames.FloorInsertBatch => floor.InsertBatchAsync,
                        _ => floor.ReadAsync,
                    },
                    cancellationToken);
            case ScenarioNames.ServiceRead:
                return fhir is null ? null : await MeasureAsync(name, "reads", options, new ServiceScenarios(fhir, known).ReadAsync, cancellationToken);
            case ScenarioNames.Read:
                return await MeasureAsync(name, "reads", options, scenarios.ReadAsync, cancellationToken);
            case ScenarioNames.ServiceSearch:
                return fhir is null ? null : await MeasureAsync(name, "searches", options, new ServiceScenarios(fhir, known).SearchNhsNumberAsync, cancellationToken);
            case ScenarioNames.SearchNhsNumber:
                return await MeasureAsync(name, "searches", options, scenarios.SearchNhsNumberAsync, cancellationToken);
            case ScenarioNames.SearchName:
                return await MeasureAsync(name, "searches", options, scenarios.SearchNamePrefixAsync, cancellationToken);
            case ScenarioNames.SearchObservation:
                return await MeasureAsync(name, "searches", options, scenarios.SearchObservationAsync, cancellationToken);
            case ScenarioNames.PageMyPatients:
                return await MeasureAsync(name, "pages", options, pages!.MyPatientsAsync, cancellationToken);
            case ScenarioNames.PageFindPatient:
                return await MeasureAsync(name, "pages", options, pages!.FindPatientAsync, cancellationToken);
            case ScenarioNames.PageChart:
                return await MeasureAsync(name, "pages", options, pages!.ChartAsync, cancellationToken);
            case ScenarioNames.PageChartTabs:
                return await MeasureAsync(name, "pages", options, pages!.ChartTabAsync, cancellationToken);
            case ScenarioNames.PageProblemSearch:
                return await MeasureAsync(name, "pages", options, pages!.ProblemSearchAsync, cancellationToken);
            case ScenarioNames.PageLargeChart:
                return await MeasureAsync(name, "pages", options, pages!.LargeChartAsync, cancellationToken);
            case ScenarioNames.PageLargeChartTabs:
                return await MeasureAsync(name, "pages", options, pages!.LargeChartTabAsync, cancellationToken);
            case ScenarioNames.ServiceCreate:
                return fhir is null ? null : await MeasureAsync(name, "creates", options, new ServiceScenarios(fhir, known).CreateAsync, cancellationToken);
            case ScenarioNames.Create:
                return await MeasureAsync(name, "creates", options, scenarios.CreateAsync, cancellationToken);
            case ScenarioNames.Transaction:
                {
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var bundles = scenarios.StartTransactionProducer(options.Clients * 4, stop.Token);
                    try
                    {
                        return await MeasureAsync(name, "resources", options, (_, ct) => scenarios.TransactionAsync(bundles.Reader, ct), cancellationToken);
                    }
                    finally
                    {
                        await stop.CancelAsync();
                    }
                }

            case ScenarioNames.Import:
                return fhir is null ? null : await ImportAsync(fhir, fresh, options, cancellationToken);
            case ScenarioNames.CdsOrderSign:
                {
                    var cds = new CdsScenarios(scenarios.Http);
                    await cds.PrepareAsync(cancellationToken);
                    return await MeasureAsync(name, "orders", options, cds.OrderSignAsync, cancellationToken);
                }

            case ScenarioNames.News2Set:
                {
                    var news2 = new News2Scenarios(scenarios.Http);
                    await news2.PrepareAsync(cancellationToken);
                    return await MeasureAsync(name, "sets", options, news2.SetAsync, cancellationToken);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown scenario.");
        }
    }

    /// <summary>An unmeasured warm-up, then the measured run.</summary>
    private static async Task<ScenarioResult> MeasureAsync(string name, string unit, LoadOptions options, ScenarioRunner.Operation operation, CancellationToken cancellationToken)
    {
        if (options.Warmup > TimeSpan.Zero)
        {
            await ScenarioRunner.RunAsync(name, unit, options.Clients, options.Warmup, options.MaxRequests, operation, cancellationToken);
        }

        return await ScenarioRunner.RunAsync(name, unit, options.Clients, options.Duration, options.MaxRequests, operation, cancellationToken);
    }

    /// <summary>
    /// Resources per second through <see cref="FhirRestService.ImportAsync"/> (one call, as
    /// <c>openward import</c> makes), fed NDJSON lines for the scenario's duration; one latency
    /// sample per batch it commits (<see cref="FhirRestService.ImportBatchSize"/> resources).
    /// </summary>
    private static async Task<ScenarioResult> ImportAsync(FhirRestService fhir, FreshResources fresh, LoadOptions options, CancellationToken cancellationToken)
    {
        // Lines are serialised ahead of the clock by one producer, so the import is measured, not the generator.
        const int capacity = 20_000;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var lines = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity) { SingleWriter = true, SingleReader = true });
        var producer = Task.Run(
            async () =>
            {
                try
                {
                    while (true)
                    {
                        foreach (var resource in fresh.Take(1000))
                        {
                            await lines.Writer.WriteAsync(FhirSerialization.ToJson(resource), stop.Token);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // The scenario is over.
                }

                lines.Writer.TryComplete();
            },
            CancellationToken.None);

        try
        {
            if (options.Warmup > TimeSpan.Zero)
            {
                await ImportForAsync(fhir, lines.Reader, options.Warmup, options.MaxRequests, capacity, cancellationToken);
            }

            return await ImportForAsync(fhir, lines.Reader, options.Duration, options.MaxRequests, capacity, cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }

    private static async Task<ScenarioResult> ImportForAsync(FhirRestService fhir, ChannelReader<string> lines, TimeSpan duration, long maxResources, int capacity, CancellationToken cancellationToken)
    {
        while (lines.Count < capacity)
        {
            await Task.Delay(20, cancellationToken);
        }

        var batches = new BatchClock();
        var deadline = batches.Start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var summary = await fhir.ImportAsync(ReadUntil(lines, deadline, maxResources, cancellationToken), ImportOptions.Default, batches, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(batches.Start);
        var latencies = batches.Intervals.ToArray();
        Array.Sort(latencies);
        return new ScenarioResult(
            ScenarioNames.Import,
            "resources",
            1,
            latencies.Length,
            summary.Imported,
            summary.Problems.Count,
            elapsed,
            latencies,
            summary.Problems.Count > 0 ? summary.Problems[0].Message : null);
    }

    private static async IAsyncEnumerable<ImportItem> ReadUntil(ChannelReader<string> lines, long deadline, long maxResources, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var position = 0;
        while (Stopwatch.GetTimestamp() < deadline && (maxResources <= 0 || position < maxResources))
        {
            var line = await lines.ReadAsync(cancellationToken);
            yield return new ImportItem("load-tool", ++position, line);
        }
    }

    /// <summary>Records the time between the importer's progress reports (one per committed batch), synchronously.</summary>
    private sealed class BatchClock : IProgress<int>
    {
        private long _last = Stopwatch.GetTimestamp();

        public long Start { get; } = Stopwatch.GetTimestamp();

        public List<long> Intervals { get; } = [];

        public void Report(int value)
        {
            var now = Stopwatch.GetTimestamp();
            Intervals.Add(now - _last);
            _last = now;
        }
    }
}

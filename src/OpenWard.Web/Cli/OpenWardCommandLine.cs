using System.CommandLine;
using System.Diagnostics;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Cli;

/// <summary>
/// The <c>openward</c> command line: serve, migrate, import, export, demo-data, audit verify, staff, terminology import, jobs. Configuration
/// (storage provider, connection string...) comes from the environment and appsettings.json,
/// as for the server.
/// </summary>
public static class OpenWardCommandLine
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("OpenWard: an open-source electronic patient record on FHIR R4 UK Core.");
        root.Subcommands.Add(Serve());
        root.Subcommands.Add(Migrate());
        root.Subcommands.Add(Import());
        root.Subcommands.Add(Export());
        root.Subcommands.Add(DemoData());
        root.Subcommands.Add(Audit());
        root.Subcommands.Add(StaffCommand.Create(BuildServices));
        root.Subcommands.Add(TerminologyCommand.Create(BuildServices, AuditOperatorAsync));
        root.Subcommands.Add(JobsCommand.Create(BuildServices));
        root.Subcommands.Add(FormularyCommand.Create(() => OpenWardHost.ReadOptions(Configuration())));
        return await root.Parse(args).InvokeAsync();
    }

    private static Command Serve()
    {
        var demo = new Option<bool>("--demo") { Description = "Seed synthetic demo patients into an empty store and enable the demo client." };
        var urls = new Option<string?>("--urls") { Description = $"Addresses to listen on (default {DefaultUrl}, or ASPNETCORE_URLS)." };
        var command = new Command("serve", "Run the FHIR server.") { demo, urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var hostArgs = new List<string>();
            if (parse.GetValue(demo))
            {
                hostArgs.Add("--OpenWard:DemoData=true");
            }

            var listen = parse.GetValue(urls) ?? Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? DefaultUrl;
            hostArgs.Add($"--urls={listen}");
            WebApplication app;
            try
            {
                app = OpenWardHost.Build([.. hostArgs]);
                await app.StartAsync(cancellationToken);
            }
            catch (StartupRefusedException refused)
            {
                await Console.Error.WriteLineAsync(refused.Message);
                return 2;
            }

            var options = app.Services.GetRequiredService<OpenWardOptions>();
            var site = listen.Split(';')[0].TrimEnd('/');
            Console.WriteLine($"OpenWard is serving FHIR R4 at {site}/fhir (storage: {options.Storage.Provider}).");
            Console.WriteLine($"Staff sign in at {site}/signin{(options.DemoData ? $" (demo accounts: {string.Join(", ", DemoStaff.Accounts.Select(a => a.UserName))}; password {DemoStaff.Password})" : "")}.");
            if (options.DemoData && string.IsNullOrEmpty(options.Bootstrap.ClientId))
            {
                Console.WriteLine($"Demo client: client_id={OpenWardHost.DemoClientId} client_secret={OpenWardHost.DemoClientSecret}");
                Console.WriteLine($"  curl -s -d grant_type=client_credentials -d client_id={OpenWardHost.DemoClientId} -d client_secret={OpenWardHost.DemoClientSecret} {site}/auth/token");
            }

            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static Command Migrate()
    {
        var command = new Command("migrate", "Bring the database schema to the newest version.");
        command.SetAction(async (_, cancellationToken) =>
        {
            await using var services = BuildServices();
            var store = services.GetRequiredService<IResourceStore>();
            var applied = await store.MigrateAsync(cancellationToken);
            Console.WriteLine($"{store.Engine}: {applied} migration(s) applied; the schema is current.");
            return 0;
        });
        return command;
    }

    private static Command Import()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "NDJSON files (one resource per line, as FHIR Bulk Data writes them) or JSON Bundles.", Arity = ArgumentArity.OneOrMore };
        var relax = new Option<string[]>("--relax-rule")
        {
            Description = "The id of a write rule not to apply, for historical data that broke it when it was made (for example ONE_CURRENT_INPATIENT_STAY); repeat for more. Recorded in the import's audit event.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("import", "Import resources, keeping their ids; a bad line is reported and the rest still import. Every write rule applies unless relaxed by name.") { files, relax };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = BuildServices();
            var fhir = await ReadyAsync(services, cancellationToken);
            var relaxed = (parse.GetValue(relax) ?? []).ToHashSet(StringComparer.Ordinal);
            try
            {
                fhir.Rules.RequireKnown(relaxed);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            var stopwatch = Stopwatch.StartNew();
            var summary = await fhir.ImportAsync(ReadItems(parse.GetValue(files)!, cancellationToken), new ImportOptions(relaxed, CareRelationships.PublishImportedAsync), Progress(stopwatch), cancellationToken);
            var relaxedText = relaxed.Count == 0 ? "" : $" Write rules relaxed: {string.Join(", ", relaxed.Order(StringComparer.Ordinal))}.";
            await AuditOperatorAsync(services, AuditInteraction.Batch, AuditAction.Create,
                $"Imported {summary.Imported} resources from {string.Join(", ", parse.GetValue(files)!.Select(f => f.FullName))}.{relaxedText}", cancellationToken);
            return Report(summary, stopwatch);
        });
        return command;
    }

    private static Command Export()
    {
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder to write <Type>.ndjson files into.", Required = true };
        var types = new Option<string[]>("--type") { Description = "Resource types to export (default: every type).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("export", "Export current resources as NDJSON, one file per type.") { output, types };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = BuildServices();
            var store = services.GetRequiredService<IResourceStore>();
            await store.MigrateAsync(cancellationToken);
            var folder = parse.GetValue(output)!;
            folder.Create();
            var selected = parse.GetValue(types) is { Length: > 0 } t ? t : SearchParameterRegistry.SupportedResourceTypes.ToArray();
            var stopwatch = Stopwatch.StartNew();
            var total = 0;
            foreach (var type in selected)
            {
                if (!SearchParameterRegistry.Default.IsSupportedType(type))
                {
                    await Console.Error.WriteLineAsync($"'{type}' is not a resource type this server stores.");
                    return 2;
                }

                var path = Path.Combine(folder.FullName, type + ".ndjson");
                var count = 0;
                await using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
                {
                    writer.NewLine = "\n";
                    await foreach (var resource in store.ExportAsync(type, null, cancellationToken))
                    {
                        await writer.WriteLineAsync(resource.Json);
                        count++;
                    }
                }

                if (count == 0)
                {
                    File.Delete(path);
                }
                else
                {
                    Console.WriteLine($"{type}: {count}");
                }

                total += count;
            }

            await AuditOperatorAsync(services, AuditInteraction.Export, AuditAction.Execute,
                $"Exported {total} resources ({string.Join(", ", selected)}) to {folder.FullName}.", cancellationToken);
            Console.WriteLine($"Exported {total} resources in {stopwatch.Elapsed.TotalSeconds:F1} s ({total / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):F0}/s) to {folder.FullName}.");
            return 0;
        });
        return command;
    }

    private static Command Audit()
    {
        var anchor = new Option<FileInfo>("--anchor")
        {
            Description = "Also check the chain against this anchor file (OpenWard:Audit:AnchorFile, signed with OpenWard:Audit:AnchorKey): the newest events cut off or rewritten are found.",
        };
        var verify = new Command("verify", "Walk the audit trail's hash chain and prove it intact, or name the first event that was changed, removed or added around it.") { anchor };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = BuildServices();
            var anchorFile = parse.GetValue(anchor);
            var anchors = new List<AuditAnchor>();
            if (anchorFile is not null)
            {
                var (read, problem) = await ReadAnchorsAsync(anchorFile, services.GetRequiredService<OpenWardOptions>(), cancellationToken);
                if (problem is not null)
                {
                    await Console.Error.WriteLineAsync(problem);
                    return read is null ? 2 : 1;
                }

                anchors = read!;
            }

            var store = services.GetRequiredService<IResourceStore>();
            await store.MigrateAsync(cancellationToken);
            var report = await store.VerifyAuditChainAsync([.. anchors.Select(a => a.Head)], cancellationToken);
            if (report.Intact)
            {
                Console.WriteLine($"Audit trail intact: {report.EventsChecked} events checked.");
                if (anchorFile is not null)
                {
                    var newest = anchors.MaxBy(a => a.Head.Seq)!;
                    Console.WriteLine($"Anchors hold: {anchors.Count} in {anchorFile.FullName} checked, the newest at seq {newest.Head.Seq} ({newest.Written.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC).");
                }

                return 0;
            }

            var at = report switch
            {
                { FirstBrokenSeq: { } seq, FirstBrokenEventId: { } id } => $" at seq {seq} (AuditEvent/{id})",
                { FirstBrokenSeq: { } seq } => $" at seq {seq}",
                { FirstBrokenEventId: { } id } => $" (AuditEvent/{id})",
                _ => "",
            };
            await Console.Error.WriteLineAsync($"Audit trail BROKEN{at}: {report.Problem} ({report.EventsChecked} events before it are intact.)");
            return 1;
        });
        return new Command("audit", "The tamper-evident audit trail.") { verify };
    }

    /// <summary>
    /// Every line of the anchor file, each checked against the anchor key; or the problem: with no
    /// anchors (null) for a missing file or key (exit 2), with those read so far for a bad line (exit 1).
    /// </summary>
    private static async Task<(List<AuditAnchor>? Anchors, string? Problem)> ReadAnchorsAsync(FileInfo file, OpenWardOptions options, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            return (null, $"The anchor file {file.FullName} does not exist.");
        }

        if (AuditAnchorKey.Find(options) is not { } key)
        {
            return (null, $"No anchor key: set {AuditAnchorKey.Setting} to the key the server signs anchors with, or point OpenWard:DataDirectory at the server's data folder ({AuditAnchorKey.FileName}).");
        }

        var anchors = new List<AuditAnchor>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(file.FullName, cancellationToken))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            if (!AuditAnchor.TryParse(line, key.Bytes, out var anchor, out var problem))
            {
                return (anchors, $"Audit anchors BROKEN: line {number} of {file.FullName}: {problem}.");
            }

            anchors.Add(anchor!);
        }

        return anchors.Count > 0 ? (anchors, null) : (anchors, $"Audit anchors BROKEN: {file.FullName} holds no anchor, so it cannot vouch for the chain.");
    }

    private static Command DemoData()
    {
        var patients = new Option<int>("--patients") { Description = "How many synthetic patients (1 to 100,000).", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed gives the same people.", DefaultValueFactory = _ => StartupTasks.DemoSeed };
        var command = new Command("demo-data", "Load synthetic English patients (test NHS numbers in the 999 range) with encounters, vitals, conditions, allergies and medicines.") { patients, seed };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var count = parse.GetValue(patients);
            if (count is < 1 or > 100_000)
            {
                await Console.Error.WriteLineAsync("--patients must be between 1 and 100,000.");
                return 2;
            }

            await using var services = BuildServices();
            var fhir = await ReadyAsync(services, cancellationToken);
            var stopwatch = Stopwatch.StartNew();
            var summary = await StartupTasks.SeedDemoDataAsync(fhir, count, parse.GetValue(seed), Progress(stopwatch), cancellationToken);
            return Report(summary, stopwatch);
        });
        return command;
    }

    /// <summary>Bulk work from the command line is audited too: the machine's operator, what was moved, and where.</summary>
    private static async System.Threading.Tasks.Task AuditOperatorAsync(IServiceProvider services, string interaction, char action, string detail, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<AuditTrail>().RecordAsync(
            new AuditRecord(services.GetRequiredService<TimeProvider>().GetUtcNow(), Operator(), interaction, action, AuditOutcome.Success)
            {
                PurposeOfUse = AuditPurpose.Operations,
                Detail = detail,
            },
            cancellationToken);
    }

    /// <summary>The machine's operator, as the audit trail names whoever runs the command line.</summary>
    internal static Principal Operator() =>
        new(PrincipalKind.System, $"cli:{Environment.UserName}", $"openward command line ({Environment.UserName})");

    private static ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        OpenWardHost.AddOpenWardCore(services, OpenWardHost.ReadOptions(Configuration()));
        return services.BuildServiceProvider();
    }

    /// <summary>The command line's configuration, as the server's: appsettings.json beside the program, then the environment.</summary>
    private static IConfiguration Configuration() =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

    private static async Task<FhirRestService> ReadyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IResourceStore>().MigrateAsync(cancellationToken);
        return services.GetRequiredService<FhirRestService>();
    }

    private static Progress<int> Progress(Stopwatch stopwatch) =>
        new(count => Console.Error.Write($"\r{count} imported ({count / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):F0}/s)   "));

    private static int Report(ImportSummary summary, Stopwatch stopwatch)
    {
        Console.Error.WriteLine();
        foreach (var problem in summary.Problems.Take(100))
        {
            Console.Error.WriteLine($"{problem.Source}:{problem.Position}: {problem.Message}");
        }

        if (summary.Problems.Count > 100)
        {
            Console.Error.WriteLine($"... and {summary.Problems.Count - 100} more problems.");
        }

        Console.WriteLine($"Imported {summary.Imported} resources in {stopwatch.Elapsed.TotalSeconds:F1} s ({summary.Imported / Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001):F0}/s); {summary.Problems.Count} problem(s).");
        return summary.Problems.Count == 0 ? 0 : 1;
    }

    /// <summary>Reads NDJSON line by line (position = line number) or a JSON Bundle (position = entry number).</summary>
    private static async IAsyncEnumerable<ImportItem> ReadItems(FileInfo[] files, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            if (file.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
            {
                var text = await File.ReadAllTextAsync(file.FullName, cancellationToken);
                Resource? parsed = null;
                try
                {
                    parsed = FhirSerialization.ParseJson(text);
                }
                catch (OpenWard.Fhir.FhirException)
                {
                    // Handed over as text: the importer reports the parse error with its position.
                }

                if (parsed is Bundle bundle)
                {
                    var position = 0;
                    foreach (var entry in bundle.Entry)
                    {
                        position++;
                        if (entry.Resource is not null)
                        {
                            yield return new ImportItem(file.Name, position, null, entry.Resource);
                        }
                    }
                }
                else
                {
                    yield return new ImportItem(file.Name, 1, parsed is null ? text : null, parsed);
                }

                continue;
            }

            using var reader = new StreamReader(file.FullName);
            var line = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                line++;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    yield return new ImportItem(file.Name, line, text);
                }
            }
        }
    }
}

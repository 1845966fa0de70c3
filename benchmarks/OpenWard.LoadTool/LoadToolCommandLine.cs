using System.CommandLine;
using OpenWard.DemoData;

namespace OpenWard.LoadTool;

/// <summary>The arguments a load run was given, or why they were refused.</summary>
public sealed record ParsedArguments(LoadOptions? Options, IReadOnlyList<string> Errors);

/// <summary>
/// <c>openward-load</c>: starts OpenWard in this process (or targets one on this machine with
/// <c>--url</c>), loads a synthetic population, runs each scenario with N concurrent clients for a
/// fixed time, measures the database's own floor, and prints a Markdown table.
/// </summary>
public static class LoadToolCommandLine
{
    private static readonly Option<string?> Url = new("--url") { Description = "A running OpenWard to target (loopback only, e.g. http://127.0.0.1:8080). Default: start one in this process." };
    private static readonly Option<string> Engine = new("--engine") { Description = "Sqlite or Postgres: the in-process server's store and the floor's database.", DefaultValueFactory = _ => Engines.Sqlite };
    private static readonly Option<string?> Connection = new("--connection") { Description = "Npgsql connection string (required for Postgres; loopback only). For SQLite, optional Data Source=path." };
    private static readonly Option<string?> DataDirectory = new("--data-dir") { Description = "Folder for the in-process server's SQLite file (default: a new temporary folder, deleted afterwards)." };
    private static readonly Option<int> Patients = new("--patients") { Description = "Synthetic patients to load if the store does not have them (about 18 resources each).", DefaultValueFactory = _ => 2000 };
    private static readonly Option<int> Clients = new("--clients") { Description = "Concurrent clients per scenario.", DefaultValueFactory = _ => 8 };
    private static readonly Option<int> Duration = new("--duration") { Description = "Seconds per scenario.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Warmup = new("--warmup") { Description = "Unmeasured seconds before each scenario.", DefaultValueFactory = _ => 2 };
    private static readonly Option<long> MaxRequests = new("--max-requests") { Description = "At most this many requests per scenario (import: resources; 0: no limit).", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> Scenarios = new("--scenarios") { Description = $"Comma-separated scenarios: {string.Join(',', ScenarioNames.All)}.", DefaultValueFactory = _ => string.Join(',', ScenarioNames.All) };
    private static readonly Option<string?> Markdown = new("--markdown") { Description = "Append the results, with this command line, to a Markdown file (e.g. docs/performance.md)." };
    private static readonly Option<string?> ClientId = new("--client-id") { Description = "With --url: the client to get a token for (default: the demo client)." };
    private static readonly Option<string?> ClientSecret = new("--client-secret") { Description = "With --url: that client's secret." };
    private static readonly Option<string?> StaffUser = new("--staff-user") { Description = "The member of staff the page-* scenarios sign in as (default: the demo nurse; with --url the account must exist)." };
    private static readonly Option<string?> StaffPassword = new("--staff-password") { Description = "That account's password (default: the demo password)." };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = CreateRootCommand();
        root.SetAction(async (parse, cancellationToken) =>
        {
            var (options, errors) = ToOptions(parse, args);
            if (options is null)
            {
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                return 2;
            }

            var report = await LoadRun.RunAsync(options, Console.Out, cancellationToken);
            return report.Results.Any(r => r.Errors > 0) ? 1 : 0;
        });
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Reads and checks <paramref name="args"/> without running anything.</summary>
    public static ParsedArguments Parse(string[] args)
    {
        var parse = CreateRootCommand().Parse(args);
        return parse.Errors.Count > 0
            ? new ParsedArguments(null, [.. parse.Errors.Select(e => e.Message)])
            : ToOptions(parse, args);
    }

    private static RootCommand CreateRootCommand() => new("OpenWard load tool: HTTP throughput and latency against the database's own floor (loopback only).")
    {
        Url, Engine, Connection, DataDirectory, Patients, Clients, Duration, Warmup, MaxRequests, Scenarios, Markdown, ClientId, ClientSecret, StaffUser, StaffPassword,
    };

    private static ParsedArguments ToOptions(ParseResult parse, string[] args)
    {
        var errors = new List<string>();
        Uri? url = null;
        if (parse.GetValue(Url) is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out url))
            {
                errors.Add($"--url '{text}' is not an absolute URL.");
            }
            else if (!Loopback.IsLoopbackUrl(url))
            {
                errors.Add($"--url '{text}' is not on this machine: the load tool only targets loopback addresses (127.0.0.1, ::1, localhost).");
            }
        }

        var engine = parse.GetValue(Engine) ?? Engines.Sqlite;
        if (string.Equals(engine, Engines.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            engine = Engines.Sqlite;
        }
        else if (string.Equals(engine, Engines.Postgres, StringComparison.OrdinalIgnoreCase) || string.Equals(engine, "PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            engine = Engines.Postgres;
        }
        else
        {
            errors.Add($"--engine '{engine}' is not known: use Sqlite or Postgres.");
        }

        var connection = parse.GetValue(Connection);
        if (engine == Engines.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                errors.Add("--connection is required with --engine Postgres.");
            }
            else if (!IsLoopbackPostgres(connection, errors))
            {
                errors.Add("--connection names a PostgreSQL host that is not on this machine: the load tool only uses loopback databases.");
            }
        }

        var patients = parse.GetValue(Patients);
        if (patients is < 1 or > DemoPopulation.MaxPatientCount)
        {
            errors.Add($"--patients must be between 1 and {DemoPopulation.MaxPatientCount}.");
        }

        var clients = parse.GetValue(Clients);
        if (clients is < 1 or > 1024)
        {
            errors.Add("--clients must be between 1 and 1024.");
        }

        var duration = parse.GetValue(Duration);
        if (duration < 1)
        {
            errors.Add("--duration must be at least 1 second.");
        }

        var warmup = parse.GetValue(Warmup);
        if (warmup < 0)
        {
            errors.Add("--warmup cannot be negative.");
        }

        var scenarios = (parse.GetValue(Scenarios) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var unknown in scenarios.Where(s => !ScenarioNames.All.Contains(s)))
        {
            errors.Add($"Scenario '{unknown}' is not known: use {string.Join(", ", ScenarioNames.All)}.");
        }

        if (scenarios.Length == 0)
        {
            errors.Add("--scenarios names no scenario.");
        }

        if (errors.Count > 0)
        {
            return new ParsedArguments(null, errors);
        }

        return new ParsedArguments(
            new LoadOptions
            {
                Url = url,
                Engine = engine,
                Connection = connection,
                DataDirectory = parse.GetValue(DataDirectory),
                Patients = patients,
                Clients = clients,
                Duration = TimeSpan.FromSeconds(duration),
                Warmup = TimeSpan.FromSeconds(warmup),
                MaxRequests = Math.Max(0, parse.GetValue(MaxRequests)),
                Scenarios = [.. ScenarioNames.All.Where(scenarios.Contains)],
                Markdown = parse.GetValue(Markdown),
                ClientId = parse.GetValue(ClientId) ?? OpenWard.Web.Hosting.OpenWardHost.DemoClientId,
                ClientSecret = parse.GetValue(ClientSecret) ?? OpenWard.Web.Hosting.OpenWardHost.DemoClientSecret,
                StaffUser = parse.GetValue(StaffUser) ?? "nurse",
                StaffPassword = parse.GetValue(StaffPassword) ?? OpenWard.Web.Security.DemoStaff.Password,
                CommandLine = "openward-load " + string.Join(' ', WithoutPasswords(args).Select(Quote)),
            },
            []);
    }

    private static bool IsLoopbackPostgres(string connection, List<string> errors)
    {
        try
        {
            return Loopback.IsLoopbackPostgres(connection);
        }
        catch (ArgumentException e)
        {
            errors.Add($"--connection is not a valid Npgsql connection string: {e.Message}");
            return true;
        }
    }

    /// <summary>Options whose whole value is a secret.</summary>
    private static readonly string[] SecretOptions = ["--client-secret", "--staff-password"];

    /// <summary>The arguments as the report shows them: passwords and secrets are never written down.</summary>
    private static IEnumerable<string> WithoutPasswords(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var argument = args[i];
            if (i > 0 && SecretOptions.Contains(args[i - 1]))
            {
                yield return "***";
            }
            else if (SecretOptions.FirstOrDefault(o => argument.StartsWith(o + "=", StringComparison.Ordinal)) is { } secret)
            {
                yield return secret + "=***";
            }
            else if (i > 0 && args[i - 1] == "--connection")
            {
                yield return Redact(argument);
            }
            else if (argument.StartsWith("--connection=", StringComparison.Ordinal))
            {
                yield return "--connection=" + Redact(argument["--connection=".Length..]);
            }
            else
            {
                yield return argument;
            }
        }
    }

    private static string Redact(string connection) =>
        System.Text.RegularExpressions.Regex.Replace(connection, "(?i)(password|pwd)=[^;]*", "$1=***");

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ',' or ':' or '=')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

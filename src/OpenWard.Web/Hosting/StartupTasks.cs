using OpenWard.DemoData;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Validation;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Hosting;

/// <summary>
/// Before the server listens: migrate the schema and, in demo mode, seed demo patients into an
/// empty store, the demo staff accounts and today's demo clinic; without demo mode, disable any demo
/// accounts a demo run left behind. Demo mode is refused on a store that holds real patients. The
/// profile validator warms in the background so the first validated write is fast.
/// </summary>
public sealed partial class StartupTasks(IResourceStore store, FhirRestService fhir, ProfileValidator validator, StaffDirectory staff, PasswordHasher hasher, OpenWardOptions options, TimeProvider time, ILogger<StartupTasks> logger) : IHostedService
{
    public const int DemoSeed = 20261124;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await store.MigrateAsync(cancellationToken);
        LogMigrated(logger, store.Engine, applied);

        if (options.DemoData)
        {
            var page = await store.HistoryAsync(new HistoryQuery("Patient", null, null, 1, 0), cancellationToken);
            if (page.Total > 0 && !await DemoStaff.WereSeededAsync(staff, hasher, cancellationToken) && await HoldsRealPatientsAsync(cancellationToken))
            {
                throw new StartupRefusedException(
                    "Demo mode (--demo, OpenWard__DemoData) is refused: this store holds patients that are not demo data (a Patient without an NHS number " +
                    "in the synthetic 999 range) and was not set up by demo mode. Demo mode publishes passwords; run it on an empty data folder or database.");
            }

            if (page.Total == 0)
            {
                var summary = await SeedDemoDataAsync(fhir, options.DemoPatients, DemoSeed, null, cancellationToken);
                LogSeeded(logger, options.DemoPatients, summary.Imported);
            }

            await DemoStaff.SeedAsync(staff, hasher, cancellationToken);
            await DemoClinic.SeedAsync(fhir, time, cancellationToken);
            await DemoWardDay.SeedAsync(fhir, time, cancellationToken);
        }
        else if (await DemoStaff.DisableAsync(staff, hasher, cancellationToken) is > 0 and var disabled)
        {
            LogDemoAccountsDisabled(logger, disabled);
        }

        _ = Task.Run(() => validator.WarmUpAsync(CancellationToken.None), CancellationToken.None);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// True when some Patient (any version) lacks an NHS number in the 999 range, which is never
    /// issued to real people: what the demo generator and <c>openward demo-data</c> write.
    /// </summary>
    private async Task<bool> HoldsRealPatientsAsync(CancellationToken cancellationToken)
    {
        const int PageSize = 500;
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await store.HistoryAsync(new HistoryQuery("Patient", null, null, PageSize, offset), cancellationToken);
            if (page.Entries.Any(version => version.Json is { } json && !HasSyntheticNhsNumber(json)))
            {
                return true;
            }

            if (page.Entries.Count < PageSize)
            {
                return false;
            }
        }
    }

    private static bool HasSyntheticNhsNumber(string patientJson)
    {
        using var patient = System.Text.Json.JsonDocument.Parse(patientJson);
        return patient.RootElement.TryGetProperty("identifier", out var identifiers)
            && identifiers.ValueKind == System.Text.Json.JsonValueKind.Array
            && identifiers.EnumerateArray().Any(identifier =>
                identifier.TryGetProperty("system", out var system) && system.GetString() == NhsNumber.IdentifierSystem
                && identifier.TryGetProperty("value", out var value) && value.GetString() is { Length: 10 } number && number.StartsWith("999", StringComparison.Ordinal));
    }

    public static Task<ImportSummary> SeedDemoDataAsync(FhirRestService fhir, int patients, int seed, IProgress<int>? progress, CancellationToken cancellationToken) =>
        fhir.ImportAsync(Items(new DemoPopulation(seed).Generate(patients)), ImportOptions.Default, progress, cancellationToken);

    private static async IAsyncEnumerable<ImportItem> Items(IEnumerable<Hl7.Fhir.Model.Resource> resources)
    {
        var position = 0;
        foreach (var resource in resources)
        {
            yield return new ImportItem("demo-data", ++position, null, resource);
        }

        await Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage {Engine}: {Applied} migration(s) applied")]
    private static partial void LogMigrated(ILogger logger, string engine, int applied);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not in demo mode: {Count} demo staff account(s) left by an earlier demo run are disabled")]
    private static partial void LogDemoAccountsDisabled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Patients} patients, {Resources} resources seeded")]
    private static partial void LogSeeded(ILogger logger, int patients, int resources);
}

/// <summary>The server refuses to start as configured; the message says why and what to do.</summary>
public sealed class StartupRefusedException(string message) : InvalidOperationException(message);

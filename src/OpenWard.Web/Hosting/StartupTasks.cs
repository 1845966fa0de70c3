using OpenWard.DemoData;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Validation;
using OpenWard.Security.Passwords;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;

namespace OpenWard.Web.Hosting;

/// <summary>
/// Before the server listens: migrate the schema and, in demo mode, seed demo patients into an
/// empty store, the demo staff accounts and today's demo clinic. The profile validator warms in the background so the first validated write is fast.
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
            if (page.Total == 0)
            {
                var summary = await SeedDemoDataAsync(fhir, options.DemoPatients, DemoSeed, null, cancellationToken);
                LogSeeded(logger, options.DemoPatients, summary.Imported);
            }

            await DemoStaff.SeedAsync(staff, hasher, cancellationToken);
            await DemoClinic.SeedAsync(fhir, time, cancellationToken);
        }

        _ = Task.Run(() => validator.WarmUpAsync(CancellationToken.None), CancellationToken.None);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static Task<ImportSummary> SeedDemoDataAsync(FhirRestService fhir, int patients, int seed, IProgress<int>? progress, CancellationToken cancellationToken) =>
        fhir.ImportAsync(Items(new DemoPopulation(seed).Generate(patients)), progress, cancellationToken);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: {Patients} patients, {Resources} resources seeded")]
    private static partial void LogSeeded(ILogger logger, int patients, int resources);
}

using System.Diagnostics;
using System.Globalization;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Security;
using OpenWard.Storage;

namespace OpenWard.Benchmarks;

/// <summary>
/// Durable audit events per second through <see cref="AuditTrail.RecordAsync"/> on SQLite with
/// many concurrent callers, and the process CPU each event costs. A console timing, not a
/// BenchmarkDotNet job: what matters is throughput under concurrency, which BenchmarkDotNet's
/// per-operation model does not measure.
/// <c>dotnet run -c Release --project benchmarks/OpenWard.Benchmarks -- audit-throughput [seconds]</c>
/// </summary>
internal static class AuditThroughput
{
    public static async Task RunAsync(int seconds)
    {
        var indexer = new SearchIndexer(SearchParameterRegistry.Default);
        foreach (var callers in new[] { 8, 64 })
        {
            await MeasureAsync(indexer, callers, TimeSpan.FromSeconds(2), report: false); // warm the JIT and Firely
            await MeasureAsync(indexer, callers, TimeSpan.FromSeconds(seconds), report: true);
        }
    }

    private static async Task MeasureAsync(SearchIndexer indexer, int callers, TimeSpan duration, bool report)
    {
        var folder = Directory.CreateTempSubdirectory("openward-auditbench-").FullName;
        try
        {
            await using var store = new SqlResourceStore(new SqliteDialect($"Data Source={Path.Combine(folder, "openward.db")}"));
            await store.MigrateAsync(CancellationToken.None);
            var who = new Principal(PrincipalKind.Staff, "dr.jones", "Dr Jones") { Role = StaffRole.Doctor, PractitionerId = "prac-1", ClientId = "openward-web" };
            long events = 0;
            string? lastId = null;
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await using (var trail = new AuditTrail(store, indexer, TimeProvider.System))
            {
                var workers = Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
                {
                    var n = 0;
                    while (clock.Elapsed < duration)
                    {
                        var patient = $"pat-{worker}-{n++}";
                        lastId = await trail.RecordAsync(
                            new AuditRecord(DateTimeOffset.UtcNow, who, AuditInteraction.Read, AuditAction.Read, AuditOutcome.Success)
                            {
                                Address = "127.0.0.1",
                                PatientIds = [patient],
                                Entities = [$"Patient/{patient}"],
                            },
                            CancellationToken.None);
                        Interlocked.Increment(ref events);
                    }
                })).ToList();
                await Task.WhenAll(workers);
            }

            var durable = clock.Elapsed;
            process.Refresh();
            var cpuDurable = process.TotalProcessorTime - cpuBefore;

            // Reading an AuditEvent back brings everything recorded into the searchable store.
            var searchable = Stopwatch.StartNew();
            _ = await store.ReadAsync("AuditEvent", lastId!, CancellationToken.None);
            searchable.Stop();
            process.Refresh();
            var cpuAll = process.TotalProcessorTime - cpuBefore;
            if (report)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{callers,3} callers: {events,7} events in {durable.TotalSeconds:F1} s = {events / durable.TotalSeconds,7:F0} durable events/s, CPU {cpuDurable.TotalMicroseconds / events,5:F0} µs/event; searchable after a further {searchable.Elapsed.TotalMilliseconds:F0} ms, CPU incl. that {cpuAll.TotalMicroseconds / events,5:F0} µs/event"));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

/// <summary>One line (or Bundle entry) that could not be imported, and why.</summary>
public sealed record ImportProblem(string Source, int Position, string Message);

public sealed record ImportSummary(int Imported, IReadOnlyList<ImportProblem> Problems);

/// <summary>One item to import: where it came from, and either JSON text or a parsed resource.</summary>
public sealed record ImportItem(string Source, int Position, string? Json, Resource? Resource = null);

public sealed partial class FhirRestService
{
    /// <summary>Resources per database transaction during import: large enough to amortise the commit.</summary>
    public const int ImportBatchSize = 1000;

    /// <summary>
    /// Imports resources as FHIR Bulk Data NDJSON writes them: each keeps its id (update-as-create,
    /// a new version if it exists), goes through the same checks, indexes and history as any write,
    /// and a bad item is reported with its position while the rest still import.
    /// </summary>
    public async Task<ImportSummary> ImportAsync(IAsyncEnumerable<ImportItem> items, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var problems = new List<ImportProblem>();
        var imported = 0;
        var batch = new List<ImportItem>(ImportBatchSize);
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            batch.Add(item);
            if (batch.Count == ImportBatchSize)
            {
                imported += await ImportBatchAsync(batch, problems, cancellationToken);
                batch.Clear();
                progress?.Report(imported);
            }
        }

        if (batch.Count > 0)
        {
            imported += await ImportBatchAsync(batch, problems, cancellationToken);
            progress?.Report(imported);
        }

        return new ImportSummary(imported, problems);
    }

    /// <summary>
    /// One batch, one transaction: parse and prepare on every core, read current versions and
    /// write with a few multi-row statements. A (type, id) repeated within the batch starts a new
    /// sub-batch, so its versions follow each other.
    /// </summary>
    private async Task<int> ImportBatchAsync(List<ImportItem> batch, List<ImportProblem> problems, CancellationToken cancellationToken)
    {
        var parsed = new (Resource? Resource, string? Problem)[batch.Count];
        Parallel.For(0, batch.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => parsed[i] = ParseImportItem(batch[i]));

        var imported = 0;
        await using var transaction = await store.BeginAsync(cancellationToken);
        var pending = new List<int>();
        var pendingReferences = new HashSet<(string, string)>();
        for (var i = 0; i <= batch.Count; i++)
        {
            var resource = i < batch.Count ? parsed[i].Resource : null;
            if (i == batch.Count || (resource is not null && pendingReferences.Contains((resource.TypeName, resource.Id!))))
            {
                imported += await WritePendingAsync(transaction, batch, parsed, pending, problems, cancellationToken);
                pending.Clear();
                pendingReferences.Clear();
            }

            if (i < batch.Count && resource is not null)
            {
                pending.Add(i);
                pendingReferences.Add((resource.TypeName, resource.Id!));
            }
            else if (i < batch.Count)
            {
                problems.Add(new ImportProblem(batch[i].Source, batch[i].Position, parsed[i].Problem!));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return imported;
    }

    private (Resource? Resource, string? Problem) ParseImportItem(ImportItem item)
    {
        try
        {
            var resource = item.Resource ?? FhirSerialization.ParseJson(item.Json ?? "");
            RequireSupportedType(resource.TypeName);
            if (string.IsNullOrEmpty(resource.Id))
            {
                resource.Id = NewId();
            }

            RequireValidId(resource.Id);
            return (resource, null);
        }
        catch (FhirException e)
        {
            return (null, Describe(e));
        }
    }

    private async Task<int> WritePendingAsync(IStoreTransaction transaction, List<ImportItem> batch, (Resource? Resource, string? Problem)[] parsed, List<int> pending, List<ImportProblem> problems, CancellationToken cancellationToken)
    {
        var current = new Dictionary<(string, string), StoredResource>();
        foreach (var byType in pending.GroupBy(i => parsed[i].Resource!.TypeName))
        {
            var found = await transaction.ReadManyForUpdateAsync(byType.Key, byType.Select(i => parsed[i].Resource!.Id!).ToList(), cancellationToken);
            foreach (var (id, stored) in found)
            {
                current[(byType.Key, id)] = stored;
            }
        }

        var prepared = new (ResourceWrite? Write, string? Problem)[pending.Count];
        Parallel.For(0, pending.Count, new ParallelOptions { CancellationToken = cancellationToken }, n =>
        {
            var resource = parsed[pending[n]].Resource!;
            current.TryGetValue((resource.TypeName, resource.Id!), out var existing);
            try
            {
                prepared[n] = (PrepareWrite(resource, existing, existing is null ? "POST" : "PUT").Write, null);
            }
            catch (FhirException e)
            {
                prepared[n] = (null, Describe(e));
            }
        });

        for (var n = 0; n < pending.Count; n++)
        {
            if (prepared[n].Problem is { } problem)
            {
                problems.Add(new ImportProblem(batch[pending[n]].Source, batch[pending[n]].Position, problem));
            }
        }

        var writes = prepared.Where(p => p.Write is not null).Select(p => p.Write!).ToList();
        try
        {
            await transaction.WriteManyAsync(writes, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            throw ConcurrentChange(e);
        }

        return writes.Count;
    }

    private static string Describe(FhirException e) => string.Join(" ", e.Outcome.Issue.Select(i => i.Diagnostics));
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest;

/// <summary>One line (or Bundle entry) that could not be imported, and why.</summary>
public sealed record ImportProblem(string Source, int Position, string Message);

public sealed record ImportSummary(int Imported, IReadOnlyList<ImportProblem> Problems);

/// <summary>One item to import: where it came from, and either JSON text or a parsed resource.</summary>
public sealed record ImportItem(string Source, int Position, string? Json, Resource? Resource = null);

/// <summary>How an import runs.</summary>
/// <param name="RelaxedRules">
/// Ids of write rules not to apply, for loading historical data that broke them when it was made
/// (two stays that overlapped in the old system). Only ever named explicitly, and recorded in the
/// import's audit event by its caller.
/// </param>
/// <param name="AfterWrites">
/// Called inside each transaction with the versions it is about to commit, so the host can add
/// what must commit with them (the change notices that tell running instances of new encounters).
/// </param>
public sealed record ImportOptions(IReadOnlySet<string> RelaxedRules, Func<IStoreTransaction, IReadOnlyList<ResourceWrite>, CancellationToken, System.Threading.Tasks.Task>? AfterWrites = null)
{
    public static readonly ImportOptions Default = new(new HashSet<string>());
}

public sealed partial class FhirRestService
{
    /// <summary>Resources per database transaction during import: large enough to amortise the commit.</summary>
    public const int ImportBatchSize = 1000;

    /// <summary>
    /// Imports resources as FHIR Bulk Data NDJSON writes them: each keeps its id (update-as-create,
    /// a new version if it exists), goes through the same checks, indexes and history as any write,
    /// and a bad item is reported with its position while the rest still import.
    /// </summary>
    public async Task<ImportSummary> ImportAsync(IAsyncEnumerable<ImportItem> items, ImportOptions options, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        rules.RequireKnown(options.RelaxedRules);
        var problems = new List<ImportProblem>();
        var imported = 0;
        var batch = new List<ImportItem>(ImportBatchSize);
        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            batch.Add(item);
            if (batch.Count == ImportBatchSize)
            {
                imported += await ImportBatchAsync(batch, options, problems, cancellationToken);
                batch.Clear();
                progress?.Report(imported);
            }
        }

        if (batch.Count > 0)
        {
            imported += await ImportBatchAsync(batch, options, problems, cancellationToken);
            progress?.Report(imported);
        }

        return new ImportSummary(imported, problems);
    }

    /// <summary>
    /// One batch, one transaction: parse and prepare on every core, read current versions and
    /// write with a few multi-row statements. A (type, id) repeated within the batch starts a new
    /// sub-batch, so its versions follow each other.
    /// </summary>
    private async Task<int> ImportBatchAsync(List<ImportItem> batch, ImportOptions options, List<ImportProblem> problems, CancellationToken cancellationToken)
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
                imported += await WritePendingAsync(transaction, batch, parsed, pending, options, problems, cancellationToken);
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

    private async Task<int> WritePendingAsync(IStoreTransaction transaction, List<ImportItem> batch, (Resource? Resource, string? Problem)[] parsed, List<int> pending, ImportOptions options, List<ImportProblem> problems, CancellationToken cancellationToken)
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
                TagRulesNotRun(resource, options.RelaxedRules);
                prepared[n] = (PrepareWrite(resource, existing, existing is null ? "POST" : "PUT").Write, null);
            }
            catch (FhirException e)
            {
                prepared[n] = (null, Describe(e));
            }
        });

        // Write rules run in order, each seeing the writes before it: a write of a type with its own
        // rules (a bed, an NHS number) first flushes what waits, so two items of one batch cannot both take one bed.
        var writes = new List<ResourceWrite>(pending.Count);
        var written = 0;
        for (var n = 0; n < pending.Count; n++)
        {
            if (prepared[n].Write is not { } write)
            {
                problems.Add(new ImportProblem(batch[pending[n]].Source, batch[pending[n]].Position, prepared[n].Problem!));
                continue;
            }

            var resource = parsed[pending[n]].Resource!;
            current.TryGetValue((resource.TypeName, resource.Id!), out var existing);
            try
            {
                if (rules.For(write.ResourceType, inPatientCompartment: false, options.RelaxedRules).Count > 0)
                {
                    written += await WriteAllAsync(transaction, writes, options, cancellationToken);
                }

                await CheckWriteRulesAsync(transaction, existing is { IsDeleted: false } ? existing : null, resource, write.Indexes?.PatientCompartment, options.RelaxedRules, importing: true, cancellationToken);
                writes.Add(write);
            }
            catch (FhirException e)
            {
                problems.Add(new ImportProblem(batch[pending[n]].Source, batch[pending[n]].Position, Describe(e)));
            }
        }

        return written + await WriteAllAsync(transaction, writes, options, cancellationToken);
    }

    /// <summary>Tags the resource with each rule import does not run on it, so it is never taken for checked.</summary>
    private void TagRulesNotRun(Resource resource, IReadOnlySet<string>? relaxed)
    {
        foreach (var rule in rules.NotRunOnImport(resource.TypeName, relaxed).Where(r => r.Concerns(resource)))
        {
            resource.Meta ??= new Meta();
            if (!resource.Meta.Tag.Any(t => t.System == WriteRules.NotRunTagSystem && t.Code == rule.Info.Id))
            {
                resource.Meta.Tag.Add(new Coding(WriteRules.NotRunTagSystem, rule.Info.Id, $"Not checked by {rule.Info.Id}: loaded by bulk import"));
            }
        }
    }

    /// <summary>Writes and empties <paramref name="writes"/>; returns how many were written.</summary>
    private static async Task<int> WriteAllAsync(IStoreTransaction transaction, List<ResourceWrite> writes, ImportOptions options, CancellationToken cancellationToken)
    {
        var count = writes.Count;
        try
        {
            await transaction.WriteManyAsync(writes, cancellationToken);
        }
        catch (VersionConflictException e)
        {
            throw ConcurrentChange(e);
        }

        if (options.AfterWrites is { } after && count > 0)
        {
            await after(transaction, [.. writes], cancellationToken);
        }

        writes.Clear();
        return count;
    }

    private static string Describe(FhirException e)
    {
        var text = string.Join(" ", e.Outcome.Issue.Select(i => i.Diagnostics));
        return e is WriteRuleViolation refused ? $"{refused.Rule.Id}: {text}" : text;
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;

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

    private async Task<int> ImportBatchAsync(List<ImportItem> batch, List<ImportProblem> problems, CancellationToken cancellationToken)
    {
        var imported = 0;
        await using var transaction = await store.BeginAsync(cancellationToken);
        foreach (var item in batch)
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
                var current = await transaction.ReadForUpdateAsync(resource.TypeName, resource.Id, cancellationToken);
                await PersistAsync(transaction, resource, current, current is null ? "POST" : "PUT", cancellationToken);
                imported++;
            }
            catch (FhirException e)
            {
                problems.Add(new ImportProblem(item.Source, item.Position, string.Join(" ", e.Outcome.Issue.Select(i => i.Diagnostics))));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return imported;
    }
}

using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Rest.Audit;

/// <summary>
/// One entry of a batch or transaction Bundle, as its own audit event names it: the entry's
/// interaction and query (not the Bundle's), and which entry of which kind of Bundle it was.
/// </summary>
/// <param name="Bundle"><see cref="AuditInteraction.Batch"/> or <see cref="AuditInteraction.Transaction"/>.</param>
/// <param name="Index">The entry's position in the Bundle, from 0.</param>
/// <param name="Interaction">A FHIR restful-interaction code (read, search-type, create...).</param>
/// <param name="Action">C, R, U, D or E (see <see cref="AuditAction"/>).</param>
/// <param name="Query">The entry URL's query string, if any.</param>
public sealed record BundleEntryAudit(string Bundle, int Index, string Interaction, char Action, string? Query)
{
    public bool InTransaction => Bundle == AuditInteraction.Transaction;

    /// <summary>Kept as the event's detail, so a reader can tell which entry it was.</summary>
    public string Detail => string.Create(CultureInfo.InvariantCulture, $"Entry {Index} of a {Bundle} Bundle.");

    public static BundleEntryAudit Of(Bundle.EntryComponent entry, int index, bool transaction)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var url = entry.Request?.Url ?? "";
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var segments = (question < 0 ? url : url[..question]).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var (interaction, action) = (entry.Request?.Method, segments.Length) switch
        {
            (Hl7.Fhir.Model.Bundle.HTTPVerb.GET, 1) => (AuditInteraction.SearchType, AuditAction.Execute),
            (Hl7.Fhir.Model.Bundle.HTTPVerb.GET, 4) => (AuditInteraction.VRead, AuditAction.Read),
            (Hl7.Fhir.Model.Bundle.HTTPVerb.GET or Hl7.Fhir.Model.Bundle.HTTPVerb.HEAD, _) => (AuditInteraction.Read, AuditAction.Read),
            (Hl7.Fhir.Model.Bundle.HTTPVerb.POST, _) => (AuditInteraction.Create, AuditAction.Create),
            (Hl7.Fhir.Model.Bundle.HTTPVerb.PUT, _) => (AuditInteraction.Update, AuditAction.Update),
            (Hl7.Fhir.Model.Bundle.HTTPVerb.PATCH, _) => (AuditInteraction.Patch, AuditAction.Update),
            (Hl7.Fhir.Model.Bundle.HTTPVerb.DELETE, _) => (AuditInteraction.Delete, AuditAction.Delete),
            _ => (AuditInteraction.Operation, AuditAction.Execute),
        };
        return new BundleEntryAudit(
            transaction ? AuditInteraction.Transaction : AuditInteraction.Batch,
            index,
            interaction,
            action,
            question < 0 ? null : url[(question + 1)..]);
    }
}

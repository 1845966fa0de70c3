using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Registration;

/// <summary>
/// A Patient merged into another (<see cref="RecordMerge.ReplacedBy"/>) takes no new clinical data:
/// a result or note filed against the retired record would be missed by everyone reading the kept
/// one. The refusal names the record that was kept. The merge's own records (Provenance, audit)
/// and the Patient resources themselves are what a merge and its undo write, so they are exempt.
/// </summary>
public sealed class MergedRecordTakesNoNewData : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "MERGED_RECORD_CLOSED",
        "Nothing new is filed against a record merged into another, where nobody would read it.",
        "FHIR R4 Patient.link 'replaced-by' (https://hl7.org/fhir/R4/valueset-link-type.html): the other record is the one to use; the record merge page",
        409);

    private static readonly HashSet<string> Exempt = new(StringComparer.Ordinal) { "Patient", "Provenance", "AuditEvent" };

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes => null;

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        // New data: a create, or a resource moved onto the patient. Data already there may be corrected.
        if (write.IsDelete || Exempt.Contains(write.ResourceType) || write.PatientId is not { } patientId || write.BeforePatientId == patientId)
        {
            return;
        }

        // Most patients have no link at all: an indexed search answers that without reading the record.
        var linked = await context.FindAsync("Patient", [new("_id", patientId), new("link:missing", "false")], limit: 1, cancellationToken);
        if (linked is [Patient patient] && RecordMerge.ReplacedBy(patient) is { } kept)
        {
            throw new WriteRuleViolation(
                Rule,
                $"Patient/{patientId} was merged into {kept}: record this on {kept}, the record that was kept.",
                write.ResourceType);
        }
    }
}

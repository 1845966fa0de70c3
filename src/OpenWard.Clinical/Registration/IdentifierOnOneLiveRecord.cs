using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;
using OpenWard.Fhir.Search.Query;

namespace OpenWard.Clinical.Registration;

/// <summary>
/// An identifier that names one person (the NHS number, the trust's hospital number) is on at most
/// one live Patient: not deleted and not merged into another (<see cref="RecordMerge.ReplacedBy"/>).
/// A second is refused with the reference of the record that has it, so the clerk opens that one.
/// Checked when a live record gains the number or a record becomes live again (an undone merge).
/// </summary>
public sealed class IdentifierOnOneLiveRecord(WriteRuleInfo rule, string system, string label) : IWriteRule
{
    public static readonly IdentifierOnOneLiveRecord NhsNumber = new(
        new WriteRuleInfo(
            "NHS_NUMBER_ON_ONE_LIVE_RECORD",
            "One person, one record: a second live record with the same NHS number splits their history, and one half is missed.",
            "NHS number: https://www.datadictionary.nhs.uk/data_elements/nhs_number.html (unique to one patient); the registration page's duplicate check",
            409),
        OpenWard.Fhir.NhsNumber.IdentifierSystem,
        "NHS number");

    public static readonly IdentifierOnOneLiveRecord HospitalNumber = new(
        new WriteRuleInfo(
            "HOSPITAL_NUMBER_ON_ONE_LIVE_RECORD",
            "A hospital number on a wristband or a label names one patient's record, never two.",
            "The trust's local patient identifier (NHS Data Model and Dictionary: local patient identifier); the registration page",
            409),
        HospitalNumbers.System,
        "hospital number");

    public WriteRuleInfo Info => rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "Patient" };

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not Patient after || !IsLive(after))
        {
            return;
        }

        var had = write.Before is Patient before && IsLive(before) ? Values(before) : [];
        foreach (var value in Values(after).Where(v => !had.Contains(v)).Order(StringComparer.Ordinal))
        {
            await context.LockAsync($"identifier|{system}|{value}", cancellationToken);
            var holders = await context.FindAsync("Patient", [new("identifier", $"{SearchEscapes.Escape(system)}|{SearchEscapes.Escape(value)}")], limit: 20, cancellationToken);
            if (holders.OfType<Patient>().FirstOrDefault(p => p.Id != write.Id && IsLive(p)) is { } existing)
            {
                throw new WriteRuleViolation(
                    rule,
                    $"{label} {Shown(value)} is already on Patient/{existing.Id}, a live record: open that record instead of making another, or merge the two.",
                    "Patient.identifier");
            }
        }
    }

    /// <summary>Live: not merged into another record. (Deleted records are not found at all.)</summary>
    public static bool IsLive(Patient patient) => RecordMerge.ReplacedBy(patient) is null;

    private HashSet<string> Values(Patient patient) =>
        patient.Identifier.Where(i => i.System == system && !string.IsNullOrWhiteSpace(i.Value)).Select(i => i.Value!.Trim()).ToHashSet(StringComparer.Ordinal);

    private string Shown(string value) => system == OpenWard.Fhir.NhsNumber.IdentifierSystem ? OpenWard.Fhir.NhsNumber.Format(value) : value;
}

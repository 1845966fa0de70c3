using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// One version of an allergy as the change pages show it: what it said (statuses, reaction, risk)
/// and the latest reason written into it (AllergyIntolerance.note), with who and when.
/// </summary>
public sealed record AllergyVersion(string? VersionId, DateTimeOffset? LastUpdated, string Status, string Reaction, string Risk, string? Reason, string? By)
{
    public static AllergyVersion From(AllergyIntolerance allergy)
    {
        var reaction = allergy.Reaction.FirstOrDefault();
        var reactionText = reaction is null ? "Not recorded" : string.Join(", ", reaction.Manifestation.Select(PatientDisplay.Text));
        if (reaction?.Severity is { } severity)
        {
            reactionText += $" ({ChartDisplay.Words(severity)})";
        }

        var latest = allergy.Note.LastOrDefault();
        return new AllergyVersion(
            allergy.Meta?.VersionId,
            allergy.Meta?.LastUpdated,
            StatusOf(allergy),
            reactionText,
            allergy.Criticality is { } criticality ? ChartDisplay.Words(criticality) : "Not recorded",
            latest?.Text,
            latest?.Author switch
            {
                ResourceReference author => author.Display ?? author.Reference,
                FhirString author => author.Value,
                _ => null,
            });
    }

    /// <summary>"Current", "Entered in error", or the clinical and verification statuses in words.</summary>
    public static string StatusOf(AllergyIntolerance allergy) =>
        AllergyChangeForm.IsEnteredInError(allergy) ? "Entered in error"
        : PatientBanner.IsCurrent(allergy) ? "Current"
        : $"{ChartDisplay.Status(allergy.ClinicalStatus)}, {ChartDisplay.Status(allergy.VerificationStatus)}";

    public string When(TimeZoneInfo zone) => LastUpdated is { } at ? ClinicalNote.Time(at, zone) : PatientDisplay.NotKnown;
}

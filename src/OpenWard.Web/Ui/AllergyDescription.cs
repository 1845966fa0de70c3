using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>An allergy in words, as the Allergies tab and the change pages show it: its status, reaction and risk.</summary>
public static class AllergyDescription
{
    /// <summary>The version as the change pages list it, with its latest reason.</summary>
    public static RecordVersion Version(AllergyIntolerance allergy)
    {
        var (reason, by) = ChangeNote.Latest(allergy.Note);
        return new RecordVersion(allergy.Meta?.VersionId, allergy.Meta?.LastUpdated, StatusOf(allergy), [new("Reaction", Reaction(allergy)), new("Risk", Risk(allergy))], reason, by);
    }

    /// <summary>"Current", "Entered in error", or the clinical and verification statuses in words.</summary>
    public static string StatusOf(AllergyIntolerance allergy) =>
        AllergyChangeForm.IsEnteredInError(allergy) ? "Entered in error"
        : PatientBanner.IsCurrent(allergy) ? "Current"
        : $"{ChartDisplay.Status(allergy.ClinicalStatus)}, {ChartDisplay.Status(allergy.VerificationStatus)}";

    /// <summary>The first reaction's manifestations and severity ("Anaphylaxis (Severe)").</summary>
    public static string Reaction(AllergyIntolerance allergy)
    {
        var reaction = allergy.Reaction.FirstOrDefault();
        var text = reaction is null ? "Not recorded" : string.Join(", ", reaction.Manifestation.Select(PatientDisplay.Text));
        return reaction?.Severity is { } severity ? $"{text} ({ChartDisplay.Words(severity)})" : text;
    }

    public static string Risk(AllergyIntolerance allergy) => allergy.Criticality is { } criticality ? ChartDisplay.Words(criticality) : "Not recorded";
}

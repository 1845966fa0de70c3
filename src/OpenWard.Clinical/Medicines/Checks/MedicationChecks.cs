using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>What the checks read about the patient, taken from the record.</summary>
/// <param name="AllergiesNotReadBecause">Why the allergies could not be read (then the allergy check does not run, and says so); null when they were.</param>
public sealed record PatientContext(IReadOnlyList<AllergyIntolerance> Allergies, string? AllergiesNotReadBecause = null);

/// <summary>
/// Runs every medication check on one draft or active MedicationRequest (issue #18). Only the
/// allergy check exists yet; every other check is reported as not checked, with its reason, so that
/// nobody takes silence for a pass. A medicine the formulary does not recognise is checked for
/// nothing, and says so.
/// </summary>
public sealed class MedicationChecks(Formulary formulary)
{
    private readonly MedicineRecognition _recognition = new(formulary);

    /// <summary>The checks that have no rules in this version, each reported as not checked.</summary>
    private static readonly (CheckCategory Category, string What)[] NotYetBuilt =
    [
        (CheckCategory.Route, "contraindicated routes"),
        (CheckCategory.Interaction, "interactions with the patient's other medicines"),
        (CheckCategory.Duplication, "therapeutic duplication"),
        (CheckCategory.SingleDose, "the single dose against dose limits"),
        (CheckCategory.DailyDose, "the daily and cumulative dose"),
        (CheckCategory.Age, "suitability for the patient's age"),
        (CheckCategory.Renal, "dosing for renal function"),
        (CheckCategory.Condition, "contraindications with the patient's conditions"),
        (CheckCategory.Lab, "laboratory values"),
        (CheckCategory.Monitoring, "required monitoring and corollary orders"),
    ];

    public Formulary Formulary => formulary;

    public MedicationCheckResult Run(MedicationRequest order, PatientContext patient)
    {
        var medicine = _recognition.Recognise(order);
        if (!medicine.IsRecognised)
        {
            return new MedicationCheckResult([], [new NotChecked(CheckCategory.NotChecked, $"Nothing was checked: {medicine.NotRecognisedReason}")]);
        }

        var (alerts, notChecked) = patient.AllergiesNotReadBecause is { } unread
            ? ([], [new NotChecked(CheckCategory.Allergy, $"Allergies not checked: {unread}")])
            : AllergyCheck.Run(medicine, patient.Allergies, _recognition);
        return new MedicationCheckResult(
            alerts,
            [.. notChecked, .. NotYetBuilt.Select(n => new NotChecked(n.Category, $"Not checked: {n.What} (no rules for {medicine.Medicine!.Name} in formulary {formulary.Version})."))]);
    }
}

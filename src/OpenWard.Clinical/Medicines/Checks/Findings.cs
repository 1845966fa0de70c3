using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>A check that ran and found nothing to say: shown so a prescriber sees what was checked.</summary>
public sealed record CheckPassed(CheckCategory Category, string What);

/// <summary>The order being checked, its medicine, and what the checks know of the patient.</summary>
internal sealed record CheckInput(
    MedicationRequest Order,
    FormularyMedicine Medicine,
    string? Route,
    PatientContext Patient,
    Formulary Formulary,
    IReadOnlyList<CurrentOrder> OtherOrders)
{
    public string Name => Medicine.Name;

    public RuleDefaults Defaults => Formulary.Knowledge.Defaults;
}

/// <summary>Another current order of the patient, with the medicine it was recognised as (null when not recognised).</summary>
public sealed record CurrentOrder(MedicationRequest Order, FormularyMedicine? Medicine)
{
    public string Reference => Order.Id is { } id ? $"MedicationRequest/{id}" : "another draft order";

    public string Describe() => $"{Medicine?.Name ?? Order.Medication switch { CodeableConcept c => c.Text ?? c.Coding.FirstOrDefault()?.Display, _ => null } ?? "an order"} ({Reference})";
}

/// <summary>What the checks found for one order, gathered as they run.</summary>
internal sealed class Findings
{
    public List<MedicationAlert> Alerts { get; } = [];

    public List<NotChecked> NotChecked { get; } = [];

    public List<CheckPassed> Passed { get; } = [];

    public void Alert(CheckCategory category, AlertSeverity severity, string summary, string detail, params string[] conflicting) =>
        Alerts.Add(new MedicationAlert(category, severity, Trim(summary), detail, conflicting));

    public void Unchecked(CheckCategory category, string reason) => NotChecked.Add(new NotChecked(category, reason));

    public void Pass(CheckCategory category, string what) => Passed.Add(new CheckPassed(category, what));

    public static string Trim(string summary) => summary.Length <= 140 ? summary : summary[..139] + "…";

    /// <summary>"(source: …)" for a rule's detail text.</summary>
    public static string Cite(string? source) => source is null ? "" : $" Source: {source}.";
}

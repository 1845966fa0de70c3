namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// Therapeutic duplication across the patient's current orders: the same ingredient in two orders
/// (a combination product's ingredients included: co-codamol and paracetamol), always a warning;
/// and two ingredients of one formulary group (two NSAIDs, two anticoagulants), as the group's rule says.
/// </summary>
internal static class DuplicationCheck
{
    /// <summary>One order regular and the other when needed.</summary>
    private static bool IsBreakthroughPair(Hl7.Fhir.Model.MedicationRequest a, Hl7.Fhir.Model.MedicationRequest b) =>
        a.DosageInstruction.Any(DosageArithmetic.IsAsNeeded) != b.DosageInstruction.Any(DosageArithmetic.IsAsNeeded);

    public static void Run(CheckInput input, Findings findings)
    {
        if (input.Patient.WhyNotRead(PatientData.Medications) is { } unread)
        {
            findings.Unchecked(CheckCategory.Duplication, $"Duplication not checked: the patient's other orders could not be read ({unread}).");
            return;
        }

        var knowledge = input.Formulary.Knowledge;
        var alerted = false;
        foreach (var other in input.OtherOrders.Where(o => o.Medicine is not null))
        {
            var shared = input.Medicine.Ingredients.FirstOrDefault(i => other.Medicine!.Ingredients.Any(o => string.Equals(o.Name, i.Name, StringComparison.OrdinalIgnoreCase)));
            if (shared is not null && IsBreakthroughPair(input.Order, other.Order) && knowledge.RegularWithPrn.FirstOrDefault(r => knowledge.Names(r.Name!, shared)) is { } usual)
            {
                findings.Alert(
                    CheckCategory.Duplication,
                    AlertSeverity.Info,
                    $"Regular and when-needed {shared.Name}: {input.Name} with {other.Medicine!.Name}",
                    $"The patient has {other.Describe()}. {usual.Message} Both count in the daily total.{Findings.Cite(usual.Source)}",
                    other.Reference);
                continue;
            }

            if (shared is not null)
            {
                findings.Alert(
                    CheckCategory.Duplication,
                    AlertSeverity.Warning,
                    $"Duplicate: {input.Name} and {other.Medicine!.Name} both contain {shared.Name}",
                    $"The patient already has {other.Describe()}, which contains {shared.Name}. Two orders of one ingredient risk a double dose; stop one, or give a reason to keep both.",
                    other.Reference);
                alerted = true;
                continue;
            }

            foreach (var rule in knowledge.Duplication)
            {
                var mine = knowledge.Named(rule.Group!, input.Medicine);
                var theirs = knowledge.Named(rule.Group!, other.Medicine!);
                if (mine is null || theirs is null)
                    continue;
                findings.Alert(
                    CheckCategory.Duplication,
                    rule.Severity,
                    $"Duplicate therapy: {input.Name} and {other.Medicine!.Name} are both {knowledge.Describe(rule.Group!)}",
                    $"The patient already has {other.Describe()}. {rule.Message}{Findings.Cite(rule.Source)}",
                    other.Reference);
                alerted = true;
                break;
            }
        }

        var unrecognised = input.OtherOrders.Where(o => o.Medicine is null).ToList();
        if (unrecognised.Count > 0)
            findings.Unchecked(CheckCategory.Duplication, $"Duplication and interactions not checked against {string.Join(", ", unrecognised.Select(o => o.Describe()))}: not a medicine of the formulary.");
        if (!alerted)
            findings.Pass(CheckCategory.Duplication, $"no duplication with the patient's {input.OtherOrders.Count(o => o.Medicine is not null)} other current order(s)");
    }
}

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>Interactions between the order and the patient's current orders, from the formulary's interaction rules (either way round).</summary>
internal static class InteractionCheck
{
    public static void Run(CheckInput input, Findings findings)
    {
        if (input.Patient.WhyNotRead(PatientData.Medications) is { } unread)
        {
            findings.Unchecked(CheckCategory.Interaction, $"Interactions not checked: the patient's other orders could not be read ({unread}).");
            return;
        }

        var knowledge = input.Formulary.Knowledge;
        var alerted = false;
        foreach (var other in input.OtherOrders.Where(o => o.Medicine is not null))
        {
            foreach (var rule in knowledge.Interactions)
            {
                var pair = Match(rule.Between!, rule.And!, input.Medicine, other.Medicine!, knowledge) ?? Match(rule.And!, rule.Between!, input.Medicine, other.Medicine!, knowledge);
                if (pair is not { } found)
                    continue;
                findings.Alert(
                    CheckCategory.Interaction,
                    rule.Severity,
                    $"Interaction: {input.Name} ({found.Mine}) with {other.Medicine!.Name} ({found.Theirs})",
                    $"The patient has {other.Describe()}. {rule.Message}{Findings.Cite(rule.Source)}",
                    other.Reference);
                alerted = true;
            }
        }

        if (!alerted)
            findings.Pass(CheckCategory.Interaction, $"no interaction in the formulary's {knowledge.Interactions.Count} rules with the patient's other current orders");
    }

    private static (string Mine, string Theirs)? Match(List<string> mineNames, List<string> theirNames, FormularyMedicine mine, FormularyMedicine theirs, FormularyKnowledge knowledge)
    {
        var a = FirstNamed(mineNames, mine, knowledge);
        if (a is null)
            return null;
        var b = FirstNamed(theirNames, theirs, knowledge);
        return b is not null ? (a.Name, b.Name) : null;
    }

    private static Ingredient? FirstNamed(List<string> names, FormularyMedicine medicine, FormularyKnowledge knowledge)
    {
        foreach (var name in names)
        {
            if (knowledge.Named(name, medicine) is { } found)
                return found;
        }

        return null;
    }
}

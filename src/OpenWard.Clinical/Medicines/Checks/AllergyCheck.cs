using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// Allergy check: an order for a medicine any of whose ingredients (a combination product's too)
/// the patient has a current allergy to, by ingredient name, by the ingredient's class ("penicillin"
/// for amoxicillin), or by a medicine the allergy names; and cross-sensitivity from the formulary's
/// rules (a penicillin allergy and a cephalosporin). An interruptive warning, never a hard stop
/// (issue #18: hard stops are for never-events and ten-fold errors).
/// </summary>
internal static class AllergyCheck
{
    /// <summary>SNOMED CT 716186003 |No known allergy (situation)|: a statement, not an allergy.</summary>
    private const string NoKnownAllergy = "716186003";

    public static void Run(CheckInput input, Findings findings, MedicineRecognition recognition)
    {
        if (input.Patient.WhyNotRead(PatientData.Allergies) is { } unread)
        {
            findings.Unchecked(CheckCategory.Allergy, $"Allergies not checked: {unread}");
            return;
        }

        if (input.Patient.Allergies.Count == 0)
        {
            // Nothing recorded is not "no allergies": the allergy status is unknown until someone asks.
            findings.Unchecked(CheckCategory.Allergy, "Allergies not checked: the record holds no allergies and no \"no known allergies\" statement. Ask the patient and record their allergy status.");
            return;
        }

        var knowledge = input.Formulary.Knowledge;
        var current = input.Patient.Allergies.Where(IsCurrent).ToList();
        var alerted = false;
        foreach (var allergy in current)
        {
            var terms = Terms(allergy.Code).ToList();
            if (terms.Count == 0)
            {
                findings.Unchecked(CheckCategory.Allergy, $"The allergy AllergyIntolerance/{allergy.Id} names no substance, so the order could not be compared with it.");
                continue;
            }

            var named = allergy.Code is { } code && recognition.Recognise(code) is { IsRecognised: true } recognised ? recognised.Ingredients : [];
            var substance = terms[0];
            // By ingredient or class named in the allergy's words, by a group named there ("NSAIDs"),
            // or by an ingredient of a medicine the allergy names. Class-wide reactions to a named
            // medicine (one penicillin, all penicillins) are the formulary's cross-sensitivity rules.
            var matched = input.Medicine.Ingredients.FirstOrDefault(ingredient =>
                terms.Any(term => Words.Contain(term, ingredient.Name) || (ingredient.Class is { } cls && Words.Contain(term, cls)) || NamedGroups(term, knowledge).Any(g => knowledge.Names(g.Id!, ingredient)))
                || named.Any(n => string.Equals(n.Name, ingredient.Name, StringComparison.OrdinalIgnoreCase)));
            if (matched is not null)
            {
                var via = terms.Any(t => Words.Contain(t, matched.Name)) || named.Count > 0 ? matched.Name : $"{matched.Name}, a {matched.Class ?? "medicine of that group"}";
                findings.Alert(
                    CheckCategory.Allergy,
                    AlertSeverity.Warning,
                    $"Allergy: {input.Name} contains {via}; the patient is allergic to {substance}",
                    $"{input.Name} contains {matched.Name}{(matched.Class is null ? "" : $" ({matched.Class})")}. The patient has a recorded allergy to {substance}{Describe(allergy)}.",
                    $"AllergyIntolerance/{allergy.Id}");
                alerted = true;
                continue;
            }

            foreach (var rule in knowledge.CrossSensitivity)
            {
                var allergic = AllergyNames(rule.Allergy!, terms, named, knowledge);
                var alsoAlerts = knowledge.Named(rule.AlsoAlerts!, input.Medicine);
                if (!allergic || alsoAlerts is null)
                    continue;
                findings.Alert(
                    CheckCategory.Allergy,
                    rule.Severity,
                    $"Cross-sensitivity: {input.Name} ({knowledge.Describe(rule.AlsoAlerts!)}) and an allergy to {substance}",
                    $"The patient has a recorded allergy to {substance}{Describe(allergy)}. {rule.Message}{Findings.Cite(rule.Source)}",
                    $"AllergyIntolerance/{allergy.Id}");
                alerted = true;
                break;
            }
        }

        if (!alerted)
            findings.Pass(CheckCategory.Allergy, current.Count == 0 ? "no current allergy recorded (no known allergies, or none still active)" : $"no match with the patient's {current.Count} current allerg{(current.Count == 1 ? "y" : "ies")}");
    }

    /// <summary>Active (or with no clinical status), neither refuted nor entered in error, and not a "no known allergy" statement.</summary>
    public static bool IsCurrent(AllergyIntolerance allergy) =>
        (allergy.ClinicalStatus is null || allergy.ClinicalStatus.Coding.Any(c => c.Code == "active"))
        && allergy.VerificationStatus?.Coding.Any(c => c.Code is "refuted" or "entered-in-error") != true
        && allergy.Code?.Coding.Any(c => c.Code == NoKnownAllergy) != true;

    // Whether the allergy is to what a cross-sensitivity rule names: its words name it, or name a
    // group that holds it ("NSAID" for the NSAID class), or the medicine the allergy names has an
    // ingredient of it.
    private static bool AllergyNames(string name, List<string> terms, IReadOnlyList<Ingredient> named, FormularyKnowledge knowledge) =>
        terms.Any(t => Words.Contain(t, name)
            || NamedGroups(t, knowledge).Any(g => string.Equals(g.Id, name, StringComparison.OrdinalIgnoreCase)
                || (g.Classes?.Contains(name, StringComparer.OrdinalIgnoreCase) ?? false)
                || (g.Ingredients?.Contains(name, StringComparer.OrdinalIgnoreCase) ?? false)))
        || named.Any(i => knowledge.Names(name, i));

    /// <summary>The formulary groups an allergy's words name, by the group's name or id ("NSAIDs", "NSAID").</summary>
    private static IEnumerable<MedicineGroup> NamedGroups(string term, FormularyKnowledge knowledge) =>
        knowledge.Groups.Values.Where(g => Words.Contain(term, g.Id!) || (g.Name is { } name && Words.Contain(term, name)));

    private static string Describe(AllergyIntolerance allergy) =>
        $"{(allergy.Criticality is { } criticality ? $" (criticality {Hl7.Fhir.Utility.EnumUtility.GetLiteral(criticality)})" : "")}"
        + $"{(allergy.Reaction.SelectMany(r => r.Manifestation).Select(m => m.Text ?? m.Coding.FirstOrDefault()?.Display).FirstOrDefault(t => t is not null) is { } reaction ? $", reaction: {reaction}" : "")}";

    private static IEnumerable<string> Terms(CodeableConcept? code) =>
        code is null ? [] : new[] { code.Text }.Concat(code.Coding.Select(c => c.Display)).OfType<string>().Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase);
}

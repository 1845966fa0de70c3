using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// Allergy check: an order for a medicine any of whose ingredients (a combination product's too)
/// the patient has a current allergy to, by ingredient name, by the ingredient's class ("penicillin"
/// for amoxicillin), or by a medicine the allergy names. An interruptive warning, never a hard stop
/// (issue #18: hard stops are for never-events and ten-fold errors). Cross-sensitivity between
/// classes (penicillins and cephalosporins) needs rules this formulary does not have yet, and is
/// reported as not checked.
/// </summary>
public static class AllergyCheck
{
    /// <summary>SNOMED CT 716186003 |No known allergy (situation)|: a statement, not an allergy.</summary>
    private const string NoKnownAllergy = "716186003";

    public static (IReadOnlyList<MedicationAlert> Alerts, IReadOnlyList<NotChecked> NotChecked) Run(Recognition medicine, IEnumerable<AllergyIntolerance> allergies, MedicineRecognition recognition)
    {
        var alerts = new List<MedicationAlert>();
        var notChecked = new List<NotChecked>();
        foreach (var allergy in allergies.Where(IsCurrent))
        {
            var terms = Terms(allergy.Code).ToList();
            if (terms.Count == 0)
            {
                notChecked.Add(new NotChecked(CheckCategory.Allergy, $"The allergy AllergyIntolerance/{allergy.Id} names no substance, so the order could not be compared with it."));
                continue;
            }

            var named = allergy.Code is { } code && recognition.Recognise(code) is { IsRecognised: true } recognised ? recognised.Ingredients : [];
            var matched = medicine.Ingredients.FirstOrDefault(ingredient =>
                terms.Any(term => Words.Contain(term, ingredient.Name) || (ingredient.Class is { } cls && Words.Contain(term, cls)))
                || named.Any(n => string.Equals(n.Name, ingredient.Name, StringComparison.OrdinalIgnoreCase)));
            if (matched is null)
            {
                continue;
            }

            var substance = terms[0];
            var via = terms.Any(t => Words.Contain(t, matched.Name)) || named.Count > 0 ? matched.Name : $"{matched.Name}, a {matched.Class}";
            alerts.Add(new MedicationAlert(
                CheckCategory.Allergy,
                AlertSeverity.Warning,
                Trim($"Allergy: {medicine.Medicine!.Name} contains {via}; the patient is allergic to {substance}"),
                $"{medicine.Medicine.Name} contains {matched.Name}{(matched.Class is null ? "" : $" ({matched.Class})")}. The patient has a recorded allergy to {substance}"
                    + $"{(allergy.Criticality is { } criticality ? $" (criticality {Hl7.Fhir.Utility.EnumUtility.GetLiteral(criticality)})" : "")}"
                    + $"{(allergy.Reaction.SelectMany(r => r.Manifestation).Select(m => m.Text ?? m.Coding.FirstOrDefault()?.Display).FirstOrDefault(t => t is not null) is { } reaction ? $", reaction: {reaction}" : "")}.",
                [$"AllergyIntolerance/{allergy.Id}"]));
        }

        notChecked.Add(new NotChecked(CheckCategory.Allergy, "Cross-sensitivity between classes (for example penicillins and cephalosporins) is not checked: this formulary has no cross-sensitivity rules yet."));
        return (alerts, notChecked);
    }

    /// <summary>Active (or with no clinical status), neither refuted nor entered in error, and not a "no known allergy" statement.</summary>
    public static bool IsCurrent(AllergyIntolerance allergy) =>
        (allergy.ClinicalStatus is null || allergy.ClinicalStatus.Coding.Any(c => c.Code == "active"))
        && allergy.VerificationStatus?.Coding.Any(c => c.Code is "refuted" or "entered-in-error") != true
        && allergy.Code?.Coding.Any(c => c.Code == NoKnownAllergy) != true;

    private static IEnumerable<string> Terms(CodeableConcept? code) =>
        code is null ? [] : new[] { code.Text }.Concat(code.Coding.Select(c => c.Display)).OfType<string>().Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase);

    private static string Trim(string summary) => summary.Length <= 140 ? summary : summary[..139] + "…";
}

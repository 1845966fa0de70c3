using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Allergies;

/// <summary>
/// "No known allergies" is not recorded as current while an allergy is current for the patient:
/// a prescriber reading "no known allergies" would not look further. (Recording an allergy over an
/// earlier "no known allergies" is the other direction: the allergy page ends that statement in
/// the same transaction.)
/// </summary>
public sealed class NoKnownAllergiesNotContradicted : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "NO_KNOWN_ALLERGIES_CONTRADICTED",
        "A patient with an allergy recorded is never also shown as having no known allergies.",
        "SNOMED CT 716186003 |No known allergy (situation)| in UK Core ValueSet-UKCore-AllergyCode; NICE CG183 (allergy status recorded before prescribing); the allergy page",
        409);

    /// <summary>SNOMED CT 716186003 |No known allergy (situation)|.</summary>
    public const string NoKnownAllergyCode = "716186003";

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "AllergyIntolerance" };

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not AllergyIntolerance after || !IsNoKnownAllergy(after) || !IsCurrent(after) || write.PatientId is not { } patientId)
        {
            return;
        }

        await context.LockAsync($"allergy-status|Patient/{patientId}", cancellationToken);
        var current = await context.FindAsync("AllergyIntolerance", [new("patient", patientId), new("clinical-status", "active")], limit: 50, cancellationToken);
        if (current.OfType<AllergyIntolerance>().FirstOrDefault(a => a.Id != write.Id && IsCurrent(a) && !IsNoKnownAllergy(a)) is { } allergy)
        {
            throw new WriteRuleViolation(
                Rule,
                $"Patient/{patientId} has an allergy recorded ({allergy.Code?.Text ?? allergy.Code?.Coding.FirstOrDefault()?.Display ?? "AllergyIntolerance/" + allergy.Id}): 'no known allergies' cannot be recorded as well.",
                "AllergyIntolerance.code");
        }
    }

    public static bool IsNoKnownAllergy(AllergyIntolerance allergy) =>
        allergy.Code?.Coding.Any(c => c.System == "http://snomed.info/sct" && c.Code == NoKnownAllergyCode) == true;

    /// <summary>Active (or with no clinical status), and neither refuted nor entered in error.</summary>
    private static bool IsCurrent(AllergyIntolerance allergy) =>
        (allergy.ClinicalStatus is null || allergy.ClinicalStatus.Coding.Any(c => c.Code == "active"))
        && allergy.VerificationStatus?.Coding.Any(c => c.Code is "refuted" or "entered-in-error") != true;
}

using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>A substance offered in the allergy form's list, with its SNOMED CT concept.</summary>
public sealed record AllergySubstance(string Code, string Display, AllergyIntolerance.AllergyIntoleranceCategory Category);

/// <summary>
/// What the "Record an allergy" form holds, how it is checked, and the AllergyIntolerance it becomes:
/// FHIR R4, conformant to UK Core AllergyIntolerance
/// (https://fhir.hl7.org.uk/StructureDefinition/UKCore-AllergyIntolerance, package 2.0.0).
/// </summary>
public sealed class AllergyForm : AllergyDetails
{
    /// <summary>The two kinds of statement: an allergy to a substance, or "no known allergies".</summary>
    public const string AllergyStatement = "allergy";

    public const string NoKnownAllergiesStatement = "none";

    public const string UkCoreProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-AllergyIntolerance";

    /// <summary>SNOMED CT 716186003 |No known allergy (situation)|, in UK Core's ValueSet-UKCore-AllergyCode (descendantOrSelfOf 716186003).</summary>
    public static readonly Coding NoKnownAllergy = new(Snomed, "716186003", "No known allergy");

    /// <summary>
    /// Illustrative subset, not a terminology service: a few common substances whose SNOMED CT codes are
    /// confirmed in the UK Core 2.0.0 examples (372687004 in UKCore-AllergyIntolerance-Amoxicillin-Example,
    /// 890458001 in UKCore-Bundle-AllergyList-Example). Look codes up at https://termbrowser.nhs.uk before
    /// adding more. Anything else is recorded as text.
    /// </summary>
    public static readonly IReadOnlyList<AllergySubstance> Substances =
    [
        new("372687004", "Amoxicillin", AllergyIntolerance.AllergyIntoleranceCategory.Medication),
        new("890458001", "Penicillin-containing product", AllergyIntolerance.AllergyIntoleranceCategory.Medication),
    ];

    /// <summary><see cref="AllergyStatement"/> or <see cref="NoKnownAllergiesStatement"/>.</summary>
    public string? Statement { get; set; }

    /// <summary>A code from <see cref="Substances"/>, or empty when the substance is typed.</summary>
    public string? SubstanceCode { get; set; }

    public string? SubstanceText { get; set; }

    /// <summary>
    /// What is wrong with the form, by field name ("Statement", "SubstanceCode", ...), in page order,
    /// with messages in the NHS style (say what to do). Empty when it can be saved.
    /// </summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var errors = new List<(string, string)>();
        if (Statement is not (AllergyStatement or NoKnownAllergiesStatement))
        {
            errors.Add((nameof(Statement), "Select whether the patient has an allergy or no known allergies"));
            return errors;
        }

        var hasSubstance = !string.IsNullOrWhiteSpace(SubstanceCode) || !string.IsNullOrWhiteSpace(SubstanceText);
        if (Statement == NoKnownAllergiesStatement)
        {
            if (hasSubstance || HasReaction)
            {
                errors.Add((nameof(Statement), "You selected no known allergies: clear the substance and reaction, or select that the patient has an allergy"));
            }

            return errors;
        }

        if (!hasSubstance)
        {
            errors.Add((nameof(SubstanceCode), "Select or enter the substance the patient is allergic to"));
        }
        else if (!string.IsNullOrWhiteSpace(SubstanceCode) && !string.IsNullOrWhiteSpace(SubstanceText))
        {
            errors.Add((nameof(SubstanceText), "Select a substance from the list or enter one, not both"));
        }
        else if (!string.IsNullOrWhiteSpace(SubstanceCode) && Substances.All(s => s.Code != SubstanceCode))
        {
            errors.Add((nameof(SubstanceCode), "Select a substance from the list"));
        }
        else if (SubstanceText?.Trim().Length > MaximumTextLength)
        {
            errors.Add((nameof(SubstanceText), $"Substance must be {MaximumTextLength} characters or fewer"));
        }

        ValidateDetails(errors);
        return errors;
    }

    /// <summary>
    /// A copy of a "no known allergies" statement made inactive (clinicalStatus inactive,
    /// http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical) because an allergy has now been recorded.
    /// </summary>
    public static AllergyIntolerance Superseded(AllergyIntolerance noKnownAllergies)
    {
        var copy = (AllergyIntolerance)noKnownAllergies.DeepCopy();
        copy.ClinicalStatus = new CodeableConcept(ClinicalSystem, "inactive", "Inactive");
        return copy;
    }

    /// <summary>The statement as an AllergyIntolerance; call only when <see cref="Validate"/> found nothing.</summary>
    /// <param name="recorderPractitionerId">The signed-in user's Practitioner, if they have one.</param>
    public AllergyIntolerance ToResource(string patientId, string? recorderPractitionerId, DateTimeOffset now)
    {
        var allergy = new AllergyIntolerance
        {
            Meta = new Meta { Profile = [UkCoreProfile] },
            ClinicalStatus = new CodeableConcept(ClinicalSystem, "active", "Active"),
            VerificationStatus = new CodeableConcept(VerificationSystem, "confirmed", "Confirmed"),
            Patient = new ResourceReference($"Patient/{patientId}"),
            RecordedDate = new FhirDateTime(now).ToString(),
            Recorder = recorderPractitionerId is null ? null : new ResourceReference($"Practitioner/{recorderPractitionerId}"),
        };

        if (Statement == NoKnownAllergiesStatement)
        {
            allergy.Code = new CodeableConcept { Coding = [(Coding)NoKnownAllergy.DeepCopy()], Text = "No known allergies" };
            return allergy;
        }

        if (Substances.FirstOrDefault(s => s.Code == SubstanceCode) is { } substance)
        {
            allergy.Code = new CodeableConcept(Snomed, substance.Code, substance.Display, substance.Display);
            allergy.Category = [substance.Category];
        }
        else
        {
            allergy.Code = new CodeableConcept { Text = SubstanceText!.Trim() };
        }

        ApplyDetails(allergy);
        return allergy;
    }
}

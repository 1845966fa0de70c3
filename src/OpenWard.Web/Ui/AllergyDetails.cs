using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// The part of an allergy that both recording and changing it edit: the reaction (a SNOMED CT code
/// from a short list, or text), its severity, and the risk of a future reaction (criticality).
/// </summary>
public abstract class AllergyDetails
{
    public const string Snomed = "http://snomed.info/sct";

    public const int MaximumTextLength = 200;

    /// <summary>The R4 code systems of AllergyIntolerance.clinicalStatus and .verificationStatus.</summary>
    public const string ClinicalSystem = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";

    public const string VerificationSystem = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";

    /// <summary>
    /// Illustrative subset of reactions (SNOMED CT clinical findings), not a terminology service:
    /// 247472004 is the manifestation in UKCore-AllergyIntolerance-Amoxicillin-Example (UK Core 2.0.0);
    /// 39579001 and 40275004 are the reactions of the demo allergies (OpenWard.DemoData ClinicalCodes).
    /// Look codes up at https://termbrowser.nhs.uk before adding more. Anything else is recorded as text.
    /// </summary>
    public static readonly IReadOnlyList<Coding> Reactions =
    [
        new(Snomed, "39579001", "Anaphylaxis"),
        new(Snomed, "40275004", "Contact dermatitis"),
        new(Snomed, "247472004", "Urticarial rash"),
    ];

    /// <summary>The value of the "Not recorded" choice of severity and criticality: nothing is written.</summary>
    public const string NotRecorded = "";

    /// <summary>Reaction severity: AllergyIntolerance.reaction.severity (http://hl7.org/fhir/reaction-event-severity).</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> Severities = [("mild", "Mild"), ("moderate", "Moderate"), ("severe", "Severe"), (NotRecorded, "Not recorded")];

    /// <summary>AllergyIntolerance.criticality (http://hl7.org/fhir/allergy-intolerance-criticality).</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> Criticalities = [("low", "Low risk"), ("high", "High risk"), ("unable-to-assess", "Unable to assess"), (NotRecorded, "Not recorded")];

    /// <summary>The patient the form was shown for, posted back and checked against the address (wrong-patient protection).</summary>
    public string? PatientId { get; set; }

    /// <summary>A code from <see cref="Reactions"/>, or empty when the reaction is typed (or there is none).</summary>
    public string? ReactionCode { get; set; }

    /// <summary>The reaction in words, when it is not in the list.</summary>
    public string? Reaction { get; set; }

    public string? Severity { get; set; }

    public string? Criticality { get; set; }

    protected bool HasReaction => !string.IsNullOrWhiteSpace(ReactionCode) || !string.IsNullOrWhiteSpace(Reaction);

    /// <summary>Checks the reaction, severity and criticality, adding errors by field name in page order.</summary>
    protected void ValidateDetails(List<(string Field, string Message)> errors)
    {
        if (!string.IsNullOrWhiteSpace(ReactionCode) && Reactions.All(r => r.Code != ReactionCode))
        {
            errors.Add((nameof(ReactionCode), "Select a reaction from the list"));
        }
        else if (!string.IsNullOrWhiteSpace(ReactionCode) && !string.IsNullOrWhiteSpace(Reaction))
        {
            errors.Add((nameof(Reaction), "Select a reaction from the list or enter one, not both"));
        }
        else if (Reaction?.Trim().Length > MaximumTextLength)
        {
            errors.Add((nameof(Reaction), $"Reaction must be {MaximumTextLength} characters or fewer"));
        }

        if (!string.IsNullOrEmpty(Severity) && Severities.All(s => s.Code != Severity))
        {
            errors.Add((nameof(Severity), "Select how severe the reaction was"));
        }
        else if (!string.IsNullOrEmpty(Severity) && !HasReaction)
        {
            // R4 reaction.manifestation is 1..*: a severity needs the reaction it describes.
            errors.Add((nameof(ReactionCode), "Select or enter the reaction, or set its severity to not recorded"));
        }

        if (!string.IsNullOrEmpty(Criticality) && Criticalities.All(c => c.Code != Criticality))
        {
            errors.Add((nameof(Criticality), "Select the risk of a future reaction"));
        }
    }

    /// <summary>Fills the form's details from a stored allergy: its first reaction, severity and criticality.</summary>
    protected void LoadDetails(AllergyIntolerance allergy)
    {
        var manifestation = allergy.Reaction.FirstOrDefault()?.Manifestation.FirstOrDefault();
        var listed = manifestation?.Coding.FirstOrDefault(c => c.System == Snomed && Reactions.Any(r => r.Code == c.Code));
        ReactionCode = listed?.Code;
        Reaction = listed is null && manifestation is not null ? PatientDisplay.Text(manifestation) : null;
        Severity = allergy.Reaction.FirstOrDefault()?.Severity switch
        {
            AllergyIntolerance.AllergyIntoleranceSeverity.Mild => "mild",
            AllergyIntolerance.AllergyIntoleranceSeverity.Moderate => "moderate",
            AllergyIntolerance.AllergyIntoleranceSeverity.Severe => "severe",
            _ => NotRecorded,
        };
        Criticality = allergy.Criticality switch
        {
            AllergyIntolerance.AllergyIntoleranceCriticality.Low => "low",
            AllergyIntolerance.AllergyIntoleranceCriticality.High => "high",
            AllergyIntolerance.AllergyIntoleranceCriticality.UnableToAssess => "unable-to-assess",
            _ => NotRecorded,
        };
    }

    /// <summary>
    /// Writes the details into <paramref name="allergy"/>: criticality, and the first reaction's
    /// manifestation and severity. Other reactions, and the first reaction's other elements (substance,
    /// onset...), are kept; so is a manifestation the form showed as text and the user left unchanged,
    /// so that a code this form does not list is not lost.
    /// </summary>
    protected void ApplyDetails(AllergyIntolerance allergy)
    {
        allergy.Criticality = Criticality switch
        {
            "low" => AllergyIntolerance.AllergyIntoleranceCriticality.Low,
            "high" => AllergyIntolerance.AllergyIntoleranceCriticality.High,
            "unable-to-assess" => AllergyIntolerance.AllergyIntoleranceCriticality.UnableToAssess,
            _ => null,
        };

        var first = allergy.Reaction.FirstOrDefault();
        if (!HasReaction)
        {
            if (first is not null)
            {
                allergy.Reaction.RemoveAt(0);
            }

            return;
        }

        if (first is null)
        {
            first = new AllergyIntolerance.ReactionComponent();
            allergy.Reaction.Insert(0, first);
        }

        var unchanged = first.Manifestation.FirstOrDefault() is { } shown && string.IsNullOrWhiteSpace(ReactionCode) && PatientDisplay.Text(shown) == Reaction!.Trim();
        if (!unchanged)
        {
            first.Manifestation = [Reactions.FirstOrDefault(r => r.Code == ReactionCode) is { } coded
                ? new CodeableConcept(coded.System, coded.Code, coded.Display, coded.Display)
                : new CodeableConcept { Text = Reaction!.Trim() }];
        }

        first.Severity = Severity switch
        {
            "mild" => AllergyIntolerance.AllergyIntoleranceSeverity.Mild,
            "moderate" => AllergyIntolerance.AllergyIntoleranceSeverity.Moderate,
            "severe" => AllergyIntolerance.AllergyIntoleranceSeverity.Severe,
            _ => null,
        };
    }
}

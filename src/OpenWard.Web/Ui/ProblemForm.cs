using Hl7.Fhir.Model;
using OpenWard.Web.Terminology;

namespace OpenWard.Web.Ui;

/// <summary>
/// Recording a problem or diagnosis: what the form holds, how it is checked, and the Condition it
/// writes (FHIR R4, claiming UK Core Condition). The problem is a SNOMED CT concept chosen from
/// <see cref="ProblemTerminology"/> search results, or text when no concept fits.
/// </summary>
public sealed class ProblemForm
{
    public const string UkCoreProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Condition";
    public const int MaximumTextLength = 200;
    internal const string ClinicalSystem = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    internal const string VerificationSystem = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    internal const string CategorySystem = "http://terminology.hl7.org/CodeSystem/condition-category";
    private const string Snomed = "http://snomed.info/sct";

    /// <summary>R4 condition-category: a problem on the problem list, or a diagnosis of this encounter.</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> Categories = [("problem-list-item", "Problem list item"), ("encounter-diagnosis", "Diagnosis for this admission or visit")];

    /// <summary>R4 condition-clinical, without recurrence and relapse (recorded as active).</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> ClinicalStatuses = [("active", "Active"), ("remission", "In remission"), ("inactive", "Inactive"), ("resolved", "Resolved")];

    /// <summary>R4 condition-ver-status, without refuted and entered-in-error (which correct a record, not make one).</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> VerificationStatuses = [("confirmed", "Confirmed"), ("provisional", "Provisional"), ("differential", "Differential"), ("unconfirmed", "Unconfirmed")];

    public string? PatientId { get; set; }

    /// <summary>The SNOMED CT concept id chosen from the search results.</summary>
    public string? Code { get; set; }

    /// <summary>The problem in words, when no concept fits.</summary>
    public string? Text { get; set; }

    /// <summary>When it started, as precisely as known (optional).</summary>
    public DateBoxes Onset { get; set; } = new();

    public string? Category { get; set; }

    public string? ClinicalStatus { get; set; }

    public string? VerificationStatus { get; set; }

    /// <summary>The form's errors by field name, in page order; empty when it can be saved.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(ProblemTerminology terminology, DateOnly today)
    {
        var errors = new List<(string Field, string Message)>();
        var hasCode = !string.IsNullOrWhiteSpace(Code);
        var hasText = !string.IsNullOrWhiteSpace(Text);
        if (!hasCode && !hasText)
        {
            errors.Add((nameof(Code), "Search for the problem and select it, or enter it in words"));
        }
        else if (hasCode && terminology.Find(Code) is null)
        {
            errors.Add((nameof(Code), "Select a problem from the search results"));
        }
        else if (hasCode && hasText)
        {
            errors.Add((nameof(Text), "Select a problem from the search results or enter one in words, not both"));
        }
        else if (Text?.Trim().Length > MaximumTextLength)
        {
            errors.Add((nameof(Text), $"Problem must be {MaximumTextLength} characters or fewer"));
        }

        CheckOnset(Onset, today, errors);
        Check(Categories, Category, nameof(Category), "Select whether this is a problem list item or a diagnosis", errors);
        Check(ClinicalStatuses, ClinicalStatus, nameof(ClinicalStatus), "Select whether the problem is active", errors);
        Check(VerificationStatuses, VerificationStatus, nameof(VerificationStatus), "Select how certain the problem is", errors);
        return errors;
    }

    /// <summary>The Condition to write. Call only when <see cref="Validate"/> found nothing.</summary>
    public Condition ToResource(ProblemTerminology terminology, string patientId, string? recorderPractitionerId, DateTimeOffset now)
    {
        var concept = terminology.Find(Code);
        return new Condition
        {
            Meta = new Meta { Profile = [UkCoreProfile] },
            ClinicalStatus = new CodeableConcept(ClinicalSystem, ClinicalStatus!, Label(ClinicalStatuses, ClinicalStatus!)),
            VerificationStatus = new CodeableConcept(VerificationSystem, VerificationStatus!, Label(VerificationStatuses, VerificationStatus!)),
            Category = [new CodeableConcept(CategorySystem, Category!, Label(Categories, Category!))],
            Code = concept is null ? new CodeableConcept { Text = Text!.Trim() } : new CodeableConcept(Snomed, concept.Code, concept.Term, concept.Term),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Onset = OnsetOf(Onset),
            RecordedDateElement = new FhirDateTime(now),
            Recorder = recorderPractitionerId is null ? null : new ResourceReference($"Practitioner/{recorderPractitionerId}"),
        };
    }

    internal static void CheckOnset(DateBoxes onset, DateOnly today, List<(string Field, string Message)> errors)
    {
        if (onset.Read(today, "The date it started").Error is { } error)
        {
            errors.Add(($"{nameof(Onset)}.{nameof(DateBoxes.Day)}", error));
        }
    }

    /// <summary>Condition.onsetDateTime at the precision typed; null when nothing was. Call only after <see cref="CheckOnset"/> found nothing.</summary>
    internal static FhirDateTime? OnsetOf(DateBoxes onset) =>
        onset.Read(DateOnly.MaxValue, "").Date is { } date ? new FhirDateTime(date.Fhir) : null;

    internal static string Label(IReadOnlyList<(string Code, string Label)> choices, string code) => choices.First(c => c.Code == code).Label;

    internal static void Check(IReadOnlyList<(string Code, string Label)> choices, string? value, string field, string message, List<(string Field, string Message)> errors)
    {
        if (choices.All(c => c.Code != value))
        {
            errors.Add((field, message));
        }
    }
}

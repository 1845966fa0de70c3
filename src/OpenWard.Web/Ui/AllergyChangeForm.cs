using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// Changing a recorded allergy, or marking it entered in error: what the form holds, how it is
/// checked, and the next version of the AllergyIntolerance (still conformant to UK Core
/// AllergyIntolerance). The substance is not changed here: a wrong substance is entered in error
/// and the right one recorded, so that no reader ever sees one allergy turn into another.
/// Each change keeps its reason, who and when, as an annotation (AllergyIntolerance.note).
/// </summary>
public sealed class AllergyChangeForm : AllergyDetails, IRecordChangeForm
{
    /// <summary>AllergyIntolerance.clinicalStatus (R4 allergyintolerance-clinical).</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> ClinicalStatuses = [("active", "Active"), ("inactive", "Inactive"), ("resolved", "Resolved")];

    /// <summary>
    /// AllergyIntolerance.verificationStatus (R4 allergyintolerance-verification) without
    /// entered-in-error, which has its own page and reason.
    /// </summary>
    public static readonly IReadOnlyList<(string Code, string Label)> VerificationStatuses = [("unconfirmed", "Unconfirmed"), ("confirmed", "Confirmed"), ("refuted", "Refuted")];

    public string? Version { get; set; }

    public string? ClinicalStatus { get; set; }

    public string? VerificationStatus { get; set; }

    public string? Reason { get; set; }

    /// <summary>The form filled from the allergy as stored, for the patient the address names.</summary>
    public static AllergyChangeForm From(AllergyIntolerance allergy, string patientId)
    {
        var form = new AllergyChangeForm
        {
            PatientId = patientId,
            Version = allergy.Meta?.VersionId,
            ClinicalStatus = allergy.ClinicalStatus?.Coding.FirstOrDefault(c => c.System == ClinicalSystem)?.Code,
            VerificationStatus = allergy.VerificationStatus?.Coding.FirstOrDefault(c => c.System == VerificationSystem)?.Code,
        };
        form.LoadDetails(allergy);
        return form;
    }

    /// <summary>The change's errors by field name, in page order; empty when it can be saved.</summary>
    public IReadOnlyList<(string Field, string Message)> ValidateChange()
    {
        var errors = new List<(string Field, string Message)>();
        if (VerificationStatuses.All(s => s.Code != VerificationStatus))
        {
            errors.Add((nameof(VerificationStatus), "Select whether the allergy is confirmed"));
        }

        if (ClinicalStatuses.All(s => s.Code != ClinicalStatus))
        {
            errors.Add((nameof(ClinicalStatus), "Select whether the allergy is still current"));
        }

        ValidateDetails(errors);
        ChangeNote.Check(Reason, "Enter why you are changing the allergy", errors);
        return errors;
    }

    /// <summary>The reason's errors, for marking the allergy entered in error.</summary>
    public IReadOnlyList<(string Field, string Message)> ValidateEnteredInError()
    {
        var errors = new List<(string Field, string Message)>();
        ChangeNote.Check(Reason, "Enter why the allergy was entered in error", errors);
        return errors;
    }

    /// <summary>The next version: statuses and details from the form, the reason as a note. Call only when <see cref="ValidateChange"/> found nothing.</summary>
    public AllergyIntolerance Changed(AllergyIntolerance current, string? authorPractitionerId, string authorName, DateTimeOffset now)
    {
        var next = (AllergyIntolerance)current.DeepCopy();
        next.ClinicalStatus = Status(ClinicalSystem, ClinicalStatuses, ClinicalStatus!);
        next.VerificationStatus = Status(VerificationSystem, VerificationStatuses, VerificationStatus!);
        ApplyDetails(next);
        next.Note.Add(ChangeNote.Create($"Changed: {Reason!.Trim()}", authorPractitionerId, authorName, now));
        return next;
    }

    /// <summary>
    /// The next version marked entered in error. R4 invariant ait-2: clinicalStatus SHALL NOT be present
    /// when verificationStatus is entered-in-error, so it is removed; the earlier versions keep it.
    /// </summary>
    public AllergyIntolerance EnteredInError(AllergyIntolerance current, string? authorPractitionerId, string authorName, DateTimeOffset now)
    {
        var next = (AllergyIntolerance)current.DeepCopy();
        next.ClinicalStatus = null;
        next.VerificationStatus = new CodeableConcept(VerificationSystem, "entered-in-error", "Entered in Error");
        next.Note.Add(ChangeNote.Create($"Entered in error: {Reason!.Trim()}", authorPractitionerId, authorName, now));
        return next;
    }

    /// <summary>True when the allergy is marked entered in error: it can no longer be changed.</summary>
    public static bool IsEnteredInError(AllergyIntolerance allergy) =>
        allergy.VerificationStatus?.Coding.Any(c => c.System == VerificationSystem && c.Code == "entered-in-error") == true;

    private static CodeableConcept Status(string system, IReadOnlyList<(string Code, string Label)> choices, string code) =>
        new(system, code, choices.First(c => c.Code == code).Label);
}

using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// Changing a recorded problem or diagnosis, or marking it entered in error: what the form holds, how
/// it is checked, and the next version of the Condition (still conformant to UK Core Condition). The
/// problem itself (its code) is not changed here: a wrong problem is entered in error and the right
/// one recorded, so that no reader ever sees one diagnosis turn into another. Each change keeps its
/// reason, who and when, as an annotation (Condition.note).
/// </summary>
public sealed class ProblemChangeForm : IRecordChangeForm
{
    /// <summary>R4 condition-ver-status without entered-in-error, which has its own page and reason; refuted is offered here, to record that a problem was ruled out.</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> VerificationStatuses = [.. ProblemForm.VerificationStatuses, ("refuted", "Refuted (ruled out)")];

    public string? PatientId { get; set; }

    public string? Version { get; set; }

    /// <summary>When it started, as precisely as known (optional).</summary>
    public DateBoxes Onset { get; set; } = new();

    public string? Category { get; set; }

    public string? ClinicalStatus { get; set; }

    public string? VerificationStatus { get; set; }

    public string? Reason { get; set; }

    /// <summary>The form filled from the problem as stored, for the patient the address names.</summary>
    public static ProblemChangeForm From(Condition problem, string patientId) => new()
    {
        PatientId = patientId,
        Version = problem.Meta?.VersionId,
        Onset = problem.Onset is FhirDateTime onset ? DateBoxes.From(onset.Value) : new(),
        Category = problem.Category.SelectMany(c => c.Coding).FirstOrDefault(c => c.System == ProblemForm.CategorySystem)?.Code,
        ClinicalStatus = problem.ClinicalStatus?.Coding.FirstOrDefault(c => c.System == ProblemForm.ClinicalSystem)?.Code,
        VerificationStatus = problem.VerificationStatus?.Coding.FirstOrDefault(c => c.System == ProblemForm.VerificationSystem)?.Code,
    };

    /// <summary>The change's errors by field name, in page order; empty when it can be saved.</summary>
    public IReadOnlyList<(string Field, string Message)> ValidateChange(DateOnly today)
    {
        var errors = new List<(string Field, string Message)>();
        ProblemForm.CheckOnset(Onset, today, errors);
        ProblemForm.Check(ProblemForm.Categories, Category, nameof(Category), "Select whether this is a problem list item or a diagnosis", errors);
        ProblemForm.Check(ProblemForm.ClinicalStatuses, ClinicalStatus, nameof(ClinicalStatus), "Select whether the problem is active", errors);
        ProblemForm.Check(VerificationStatuses, VerificationStatus, nameof(VerificationStatus), "Select how certain the problem is", errors);
        ChangeNote.Check(Reason, "Enter why you are changing the problem", errors);
        return errors;
    }

    /// <summary>The reason's errors, for marking the problem entered in error.</summary>
    public IReadOnlyList<(string Field, string Message)> ValidateEnteredInError()
    {
        var errors = new List<(string Field, string Message)>();
        ChangeNote.Check(Reason, "Enter why the problem was entered in error", errors);
        return errors;
    }

    /// <summary>
    /// The next version: onset, category and statuses from the form, the reason as a note. An onset
    /// another system recorded as an age or a period is kept unless a date is typed. Call only when <see cref="ValidateChange"/> found nothing.
    /// </summary>
    public Condition Changed(Condition current, string? authorPractitionerId, string authorName, DateTimeOffset now)
    {
        var next = (Condition)current.DeepCopy();
        if (ProblemForm.OnsetOf(Onset) is { } onset)
        {
            next.Onset = onset;
        }
        else if (current.Onset is FhirDateTime)
        {
            next.Onset = null;
        }

        next.Category.RemoveAll(c => c.Coding.Any(coding => coding.System == ProblemForm.CategorySystem));
        next.Category.Insert(0, new CodeableConcept(ProblemForm.CategorySystem, Category!, ProblemForm.Label(ProblemForm.Categories, Category!)));
        next.ClinicalStatus = new CodeableConcept(ProblemForm.ClinicalSystem, ClinicalStatus!, ProblemForm.Label(ProblemForm.ClinicalStatuses, ClinicalStatus!));
        next.VerificationStatus = new CodeableConcept(ProblemForm.VerificationSystem, VerificationStatus!, ProblemForm.Label(VerificationStatuses, VerificationStatus!));
        next.Note.Add(ChangeNote.Create($"Changed: {Reason!.Trim()}", authorPractitionerId, authorName, now));
        return next;
    }

    /// <summary>
    /// The next version marked entered in error. R4 invariant con-5: clinicalStatus SHALL NOT be present
    /// when verificationStatus is entered-in-error, so it is removed; the earlier versions keep it.
    /// </summary>
    public Condition EnteredInError(Condition current, string? authorPractitionerId, string authorName, DateTimeOffset now)
    {
        var next = (Condition)current.DeepCopy();
        next.ClinicalStatus = null;
        next.VerificationStatus = new CodeableConcept(ProblemForm.VerificationSystem, "entered-in-error", "Entered in Error");
        next.Note.Add(ChangeNote.Create($"Entered in error: {Reason!.Trim()}", authorPractitionerId, authorName, now));
        return next;
    }

    /// <summary>True when the problem is marked entered in error: it can no longer be changed.</summary>
    public static bool IsEnteredInError(Condition problem) =>
        problem.VerificationStatus?.Coding.Any(c => c.System == ProblemForm.VerificationSystem && c.Code == "entered-in-error") == true;

    /// <summary>"Entered in error", or the clinical status in words with the verification status when it is not confirmed ("Active, Provisional").</summary>
    public static string StatusOf(Condition problem) =>
        IsEnteredInError(problem) ? "Entered in error"
        : problem.VerificationStatus?.Coding.FirstOrDefault()?.Code is null or "confirmed" ? ChartDisplay.Status(problem.ClinicalStatus)
        : $"{ChartDisplay.Status(problem.ClinicalStatus)}, {ChartDisplay.Status(problem.VerificationStatus)}";

    /// <summary>The version as the change pages list it, with its latest reason.</summary>
    public static RecordVersion Describe(Condition problem, TimeZoneInfo zone)
    {
        var (reason, by) = ChangeNote.Latest(problem.Note);
        var category = problem.Category.FirstOrDefault() is { } c ? PatientDisplay.Text(c) : PatientDisplay.NotKnown;
        return new RecordVersion(problem.Meta?.VersionId, problem.Meta?.LastUpdated, StatusOf(problem), [new("Type", category), new("Since", ChartDisplay.When(problem.Onset, zone))], reason, by);
    }
}

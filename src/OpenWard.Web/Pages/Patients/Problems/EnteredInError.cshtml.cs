using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Problems;

/// <summary>
/// Mark a problem entered in error, with a reason: it stays in the record's history but no longer
/// counts as a problem (the summary's active problems leave it out).
/// </summary>
public sealed class EnteredInErrorModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ProblemChangePage(fhir, gate, time)
{
    public override string ReasonQuestion => "Why was it entered in error?";

    public override string ReasonHint => "For example, recorded on the wrong patient";

    protected override IReadOnlyList<(string Field, string Message)> Validate() => Input.ValidateEnteredInError();

    protected override (Condition Next, string Notice) Change(Condition current, RequestAccess access, DateTimeOffset now) =>
        (Input.EnteredInError(current, access.Principal.PractitionerId, access.Principal.DisplayName, now), $"Marked as entered in error: {PatientDisplay.Text(current.Code)}.");
}

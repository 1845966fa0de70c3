using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Problems;

/// <summary>Change a problem's type or statuses, with a reason; the problem itself stays as recorded.</summary>
public sealed class EditModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ProblemChangePage(fhir, gate, time)
{
    public override string ReasonQuestion => "Why are you changing it?";

    public override string ReasonHint => "For example, resolved after treatment";

    protected override IReadOnlyList<(string Field, string Message)> Validate() => Input.ValidateChange(Today);

    protected override (Condition Next, string Notice) Change(Condition current, RequestAccess access, DateTimeOffset now) =>
        (Input.Changed(current, access.Principal.PractitionerId, access.Principal.DisplayName, now), $"Problem changed: {PatientDisplay.Text(current.Code)}.");
}

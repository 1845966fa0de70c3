using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Allergies;

/// <summary>
/// Mark an allergy entered in error, with a reason: it stays in the record's history but no longer
/// counts as an allergy (the banner and chart leave it out of the patient's allergies).
/// </summary>
public sealed class EnteredInErrorModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : AllergyChangePage(fhir, gate, time)
{
    public override string ReasonQuestion => "Why was it entered in error?";

    public override string ReasonHint => "For example, recorded on the wrong patient";

    protected override IReadOnlyList<(string Field, string Message)> Validate() => Input.ValidateEnteredInError();

    protected override (AllergyIntolerance Next, string Notice) Change(AllergyIntolerance current, RequestAccess access, DateTimeOffset now) =>
        (Input.EnteredInError(current, access.Principal.PractitionerId, access.Principal.DisplayName, now), $"Marked as entered in error: {PatientDisplay.Text(current.Code)}.");
}

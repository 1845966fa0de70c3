using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Allergies;

/// <summary>Change an allergy's statuses, reaction or risk, with a reason; the substance stays as recorded.</summary>
public sealed class EditModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : AllergyChangePage(fhir, gate, time)
{
    public override string ReasonQuestion => "Why are you changing it?";

    public override string ReasonHint => "For example, confirmed by the patient's GP record";

    protected override IReadOnlyList<(string Field, string Message)> Validate() => Input.ValidateChange();

    protected override (AllergyIntolerance Next, string Notice) Change(AllergyIntolerance current, RequestAccess access, DateTimeOffset now) =>
        (Input.Changed(current, access.Principal.PractitionerId, access.Principal.DisplayName, now), $"Allergy changed: {PatientDisplay.Text(current.Code)}.");
}

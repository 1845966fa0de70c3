using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Observations;

/// <summary>
/// Record a set of observations (issue #19): the form (<see cref="ObservationSetForm"/>), its checks
/// (impossible values refused, unusual ones confirmed), then ONE transaction Bundle written through
/// <see cref="FhirRestService"/> with the user's access, so the access policy, the audit and the
/// write rules apply as on every other path; the NEWS2_SCORED rule scores the set inside that
/// transaction, and the page then shows the score (<see cref="ResultModel"/>).
/// </summary>
public sealed class RecordModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    [BindProperty]
    public ObservationSetForm Input { get; set; } = new();

    /// <summary>The unusual values awaiting "I have checked this value"; empty when there are none.</summary>
    public IReadOnlyList<(string Field, string Message)> ToConfirm { get; private set; } = [];

    /// <summary>The patient's SpO2 scale 2 prescription in force now; null for scale 1.</summary>
    public Goal? Scale2 { get; private set; }

    /// <summary>The signed-in user may prescribe SpO2 scale 2 (a doctor with a Practitioner record).</summary>
    public bool CanPrescribeScale2 { get; private set; }

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    /// <summary>What the scale 2 page saved, after its redirect here.</summary>
    [TempData]
    public string? Notice { get; set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        RunAsync("read", 'R', id, access =>
        {
            Input = ObservationSetForm.Blank(id, Clock.GetUtcNow(), Zone);
            return Task.FromResult<IActionResult>(Page());
        }, cancellationToken);

    public Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // Whatever the model binder made of the form is replaced by the form's own checks.
        ModelState.Clear();
        return RunAsync("create", 'C', id, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id, "record the observations again"))
            {
                return Page();
            }

            var now = Clock.GetUtcNow();
            AddErrors(Input.Validate(now, Zone, out var when));
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            if (Input.Unusual() is { Count: > 0 } unusual && !Input.UnusualConfirmed())
            {
                ToConfirm = unusual;
                AddErrors(unusual);
                Input.Confirmed = false;
                Input.ConfirmedValues = Input.UnusualKey();
                return Page();
            }

            var performer = access.Principal.PractitionerId is { } practitioner
                ? new ResourceReference($"Practitioner/{practitioner}", access.Principal.DisplayName)
                : new ResourceReference { Display = access.Principal.DisplayName };
            await Fhir.ProcessBundleAsync(access, Input.ToBundle(id, when!.Value, performer), cancellationToken);
            return RedirectToPage("/Patients/Observations/Result", new { id, scoreId = News2Set.ScoreId(id, when.Value) });
        }, cancellationToken);
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Clinical, FhirAction.Create, async access =>
        {
            Scale2 = await Scale2Model.InForceAsync(Fhir, access, id, Clock.GetUtcNow(), cancellationToken);
            CanPrescribeScale2 = Scale2Model.MayPrescribe(access.Principal);
            return await work(access);
        }, cancellationToken);
}

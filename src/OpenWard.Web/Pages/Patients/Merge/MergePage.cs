using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Merge;

/// <summary>
/// What merging and undoing a merge share: the policy (only a records manager, and the demographics
/// update on both patients), the other record's banner, and a plain message when something changed
/// between the check and the write (412).
/// </summary>
public abstract class MergePage(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    private readonly AccessGate _gate = gate;

    protected AccessGate Gate => _gate;

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    [BindProperty] public string? PatientId { get; set; }
    [BindProperty] public string? Reason { get; set; }

    /// <summary>The other record: the one kept (merge), or the one the duplicate was merged into (undo).</summary>
    public PatientBanner? OtherBanner { get; private set; }

    protected Patient? Other { get; private set; }

    /// <summary>Runs <paramref name="work"/> when the user may merge records and change this patient's details.</summary>
    protected Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        // Reading the details first (anyone may find a patient), so that a nurse is told merging needs a
        // records manager rather than that she has no relationship with the patient.
        RunForPatientAsync(interaction, action, id, DataCategory.Demographics, FhirAction.Read, async access =>
        {
            var merge = AccessPolicy.DecideMerge(access.Principal.Role);
            if (merge.Decision != AccessDecision.Allow)
            {
                return Refused(merge.Reason);
            }

            var change = await _gate.DecideForRecordAsync(access.Principal, id, DataCategory.Demographics, FhirAction.Update, cancellationToken);
            return change.Policy.Decision == AccessDecision.Allow ? await work(access) : Refused(change.Policy.Reason);
        }, cancellationToken);

    /// <summary>
    /// Sets <see cref="Other"/> and its banner, after the policy allows changing its details too;
    /// false (with the reason under "Surviving") when it does not.
    /// </summary>
    protected async Task<bool> UseOtherAsync(RequestAccess access, Patient other, CancellationToken cancellationToken)
    {
        var decision = await _gate.DecideForRecordAsync(access.Principal, other.Id!, DataCategory.Demographics, FhirAction.Update, cancellationToken);
        if (decision.Policy.Decision != AccessDecision.Allow)
        {
            ModelState.AddModelError("Surviving", $"You cannot change the other record: {decision.Policy.Reason}");
            return false;
        }

        Other = other;
        OtherBanner = PatientBanner.DemographicsOnly(other, DateOnly.FromDateTime(Clock.GetLocalNow().DateTime));
        return true;
    }

    /// <summary>Runs the write; a 412 (a record changed since the check) becomes a message and nothing is saved.</summary>
    protected async Task<bool> WriteAsync(Func<Task> write, string doAgain)
    {
        try
        {
            await write();
            return true;
        }
        catch (FhirException e) when (e.Status == 412)
        {
            ModelState.AddModelError(PatientKey, $"One of the records changed while you were working on it, so nothing was saved. Check both records and {doAgain}");
            return false;
        }
    }
}

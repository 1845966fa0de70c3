using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Allergies;

/// <summary>
/// What changing an allergy and marking it entered in error share: the allergy of the address (which
/// must be this patient's), its versions, the wrong-patient check, and the write itself: a new
/// version sent with If-Match on the version the form was opened on. When someone else saved a
/// version meanwhile nothing is saved; the page shows theirs and keeps what this user chose, now
/// against the current version, so that saving again is a decision made knowing both.
/// </summary>
public abstract class AllergyChangePage(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    [BindProperty]
    public AllergyChangeForm Input { get; set; } = new();

    /// <summary>The allergy of the address as stored now.</summary>
    public AllergyIntolerance? Allergy { get; private set; }

    /// <summary>Every version of the allergy, newest first.</summary>
    public IReadOnlyList<AllergyVersion> Versions { get; private set; } = [];

    /// <summary>The version someone else saved after the form was opened; shown instead of saving.</summary>
    public AllergyVersion? ChangedMeanwhile { get; private set; }

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    /// <summary>The question the reason field asks, and its hint (an example answer).</summary>
    public abstract string ReasonQuestion { get; }

    public abstract string ReasonHint { get; }

    /// <summary>The form's errors for this kind of change.</summary>
    protected abstract IReadOnlyList<(string Field, string Message)> Validate();

    /// <summary>The next version of <paramref name="current"/>, and the notice shown after it is saved.</summary>
    protected abstract (AllergyIntolerance Next, string Notice) Change(AllergyIntolerance current, RequestAccess access, DateTimeOffset now);

    public Task<IActionResult> OnGetAsync(string id, string allergyId, CancellationToken cancellationToken) =>
        RunAsync("read", 'R', id, allergyId, _ =>
        {
            Input = AllergyChangeForm.From(Allergy!, id);
            return System.Threading.Tasks.Task.FromResult(AfterEnteredInError(id) ?? Page());
        }, cancellationToken);

    public Task<IActionResult> OnPostAsync(string id, string allergyId, CancellationToken cancellationToken)
    {
        // Whatever the model binder made of the form is replaced by the form's own checks.
        ModelState.Clear();
        return RunAsync("update", 'U', id, allergyId, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id, "make the change again"))
            {
                Input = AllergyChangeForm.From(Allergy!, id);
                return Page();
            }

            if (AfterEnteredInError(id) is { } away)
            {
                return away;
            }

            if (Allergy!.Meta?.VersionId != Input.Version)
            {
                return Conflict();
            }

            AddErrors(Validate());
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var (next, notice) = Change(Allergy, access, Clock.GetUtcNow());
            try
            {
                await Fhir.UpdateAsync(access, "AllergyIntolerance", allergyId, next, $"W/\"{Input.Version}\"", cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                // Changed between our read and our write: show what is there now.
                await LoadAsync(access, allergyId, cancellationToken);
                return Conflict();
            }

            TempData["Notice"] = notice;
            return Redirect($"/patients/{Uri.EscapeDataString(id)}/allergies");
        }, cancellationToken);
    }

    /// <summary>An allergy entered in error is never changed again: both pages go back to the list.</summary>
    private IActionResult? AfterEnteredInError(string id)
    {
        if (!AllergyChangeForm.IsEnteredInError(Allergy!))
        {
            return null;
        }

        TempData["Notice"] = $"{PatientDisplay.Text(Allergy!.Code)} is marked as entered in error and cannot be changed.";
        return Redirect($"/patients/{Uri.EscapeDataString(id)}/allergies");
    }

    private PageResult Conflict()
    {
        ChangedMeanwhile = Versions[0];
        var by = ChangedMeanwhile.By is { } who ? $" by {who}" : "";
        ModelState.AddModelError(PatientKey, $"Someone else changed this allergy after you opened the form ({ChangedMeanwhile.When(Zone)}{by}). Nothing was saved: check the allergy as it is now, then save your change again if it is still right");
        Input.Version = Allergy!.Meta?.VersionId;
        return Page();
    }

    private async System.Threading.Tasks.Task LoadAsync(RequestAccess access, string allergyId, CancellationToken cancellationToken)
    {
        Allergy = await PatientReads.ReadAsync<AllergyIntolerance>(Fhir, access, allergyId, cancellationToken);
        var history = await Fhir.HistoryAsync(access, "AllergyIntolerance", allergyId, [new("_count", "100")], cancellationToken);
        Versions = [.. history.Bundle!.Entries
            .Where(e => e.Stored is { IsDeleted: false, Json: not null })
            .Select(e => AllergyVersion.From((AllergyIntolerance)FhirSerialization.ParseJson(e.Stored!.Json!)))];
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, string allergyId, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Clinical, FhirAction.Update, async access =>
        {
            await LoadAsync(access, allergyId, cancellationToken);
            if (Allergy!.Patient?.Reference != $"Patient/{id}")
            {
                // Another patient's allergy: this address does not exist.
                return NotFound();
            }

            return await work(access);
        }, cancellationToken);
}

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

namespace OpenWard.Web.Pages.Patients;

/// <summary>What the shared partials of a change page show: the record's versions, a change saved meanwhile, and the reason asked for.</summary>
public interface IRecordChangeView
{
    /// <summary>The record in words: "allergy", "problem".</summary>
    string Noun { get; }

    IReadOnlyList<RecordVersion> Versions { get; }

    RecordVersion? ChangedMeanwhile { get; }

    TimeZoneInfo Zone { get; }

    string ReasonQuestion { get; }

    string ReasonHint { get; }

    string? Reason { get; }
}

/// <summary>
/// What changing a stored allergy or problem and marking it entered in error share: the record of the
/// address (which must be this patient's), its versions, the wrong-patient check, and the write
/// itself: a new version sent with If-Match on the version the form was opened on. When someone else
/// saved a version meanwhile nothing is saved; the page shows theirs and keeps what this user chose,
/// now against the current version, so that saving again is a decision made knowing both. A record
/// entered in error is never changed again.
/// </summary>
public abstract class RecordChangePage<TResource, TForm>(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time), IRecordChangeView
    where TResource : DomainResource
    where TForm : class, IRecordChangeForm, new()
{
    [BindProperty]
    public TForm Input { get; set; } = new();

    /// <summary>The record of the address as stored now.</summary>
    public TResource? Current { get; private set; }

    /// <summary>Every version of the record, newest first.</summary>
    public IReadOnlyList<RecordVersion> Versions { get; private set; } = [];

    /// <summary>The version someone else saved after the form was opened; shown instead of saving.</summary>
    public RecordVersion? ChangedMeanwhile { get; private set; }

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    public string? Reason => Input.Reason;

    public abstract string Noun { get; }

    /// <summary>The question the reason field asks, and its hint (an example answer).</summary>
    public abstract string ReasonQuestion { get; }

    public abstract string ReasonHint { get; }

    /// <summary>The chart tab the record is listed on, under /patients/{id}/: "allergies", "problems".</summary>
    protected abstract string ListPath { get; }

    /// <summary>The patient reference the record holds ("Patient/{id}").</summary>
    protected abstract string? PatientOf(TResource record);

    protected abstract bool IsEnteredInError(TResource record);

    /// <summary>What the record is of, in words: the substance, the problem.</summary>
    protected abstract string WhatOf(TResource record);

    protected abstract RecordVersion Describe(TResource record);

    /// <summary>The form filled from the record as stored, for the patient the address names.</summary>
    protected abstract TForm FormFrom(TResource record, string patientId);

    /// <summary>The form's errors for this kind of change.</summary>
    protected abstract IReadOnlyList<(string Field, string Message)> Validate();

    /// <summary>The next version of <paramref name="current"/>, and the notice shown after it is saved.</summary>
    protected abstract (TResource Next, string Notice) Change(TResource current, RequestAccess access, DateTimeOffset now);

    /// <summary>The record's title on the page and in its notices.</summary>
    public string What => Current is null ? "" : WhatOf(Current);

    private string ResourceType => typeof(TResource).Name;

    public Task<IActionResult> OnGetAsync(string id, string recordId, CancellationToken cancellationToken) =>
        RunAsync("read", 'R', id, recordId, _ =>
        {
            Input = FormFrom(Current!, id);
            return System.Threading.Tasks.Task.FromResult(AfterEnteredInError(id) ?? Page());
        }, cancellationToken);

    public Task<IActionResult> OnPostAsync(string id, string recordId, CancellationToken cancellationToken)
    {
        // Whatever the model binder made of the form is replaced by the form's own checks.
        ModelState.Clear();
        return RunAsync("update", 'U', id, recordId, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id, "make the change again"))
            {
                Input = FormFrom(Current!, id);
                return Page();
            }

            if (AfterEnteredInError(id) is { } away)
            {
                return away;
            }

            if (Current!.Meta?.VersionId != Input.Version)
            {
                return Conflict();
            }

            AddErrors(Validate());
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var (next, notice) = Change(Current, access, Clock.GetUtcNow());
            try
            {
                await Fhir.UpdateAsync(access, ResourceType, recordId, next, $"W/\"{Input.Version}\"", cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                // Changed between our read and our write: show what is there now.
                await LoadAsync(access, recordId, cancellationToken);
                return Conflict();
            }

            TempData["Notice"] = notice;
            return Redirect(ListUrl(id));
        }, cancellationToken);
    }

    private string ListUrl(string id) => $"/patients/{Uri.EscapeDataString(id)}/{ListPath}";

    private IActionResult? AfterEnteredInError(string id)
    {
        if (!IsEnteredInError(Current!))
        {
            return null;
        }

        TempData["Notice"] = $"{What} is marked as entered in error and cannot be changed.";
        return Redirect(ListUrl(id));
    }

    private PageResult Conflict()
    {
        ChangedMeanwhile = Versions[0];
        var by = ChangedMeanwhile.By is { } who ? $" by {who}" : "";
        ModelState.AddModelError(PatientKey, $"Someone else changed this {Noun} after you opened the form ({ChangedMeanwhile.When(Zone)}{by}). Nothing was saved: check the {Noun} as it is now, then save your change again if it is still right");
        Input.Version = Current!.Meta?.VersionId;
        return Page();
    }

    private async System.Threading.Tasks.Task LoadAsync(RequestAccess access, string recordId, CancellationToken cancellationToken)
    {
        Current = await PatientReads.ReadAsync<TResource>(Fhir, access, recordId, cancellationToken);
        var history = await Fhir.HistoryAsync(access, ResourceType, recordId, [new("_count", "100")], cancellationToken);
        Versions = [.. history.Bundle!.Entries
            .Where(e => e.Stored is { IsDeleted: false, Json: not null })
            .Select(e => Describe((TResource)FhirSerialization.ParseJson(e.Stored!.Json!)))];
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, string recordId, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Clinical, FhirAction.Update, async access =>
        {
            await LoadAsync(access, recordId, cancellationToken);
            if (PatientOf(Current!) != $"Patient/{id}")
            {
                // Another patient's record: this address does not exist.
                return NotFound();
            }

            return await work(access);
        }, cancellationToken);
}

using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// Change a registered patient's GP practice and next of kin or emergency contacts
/// (<see cref="ContactDetailsForm"/>): a new version of the Patient with If-Match on the version the
/// form was opened on, so a change someone made meanwhile is shown, never overwritten.
/// </summary>
public sealed class ContactsModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    public IReadOnlyList<GpPractice> Practices { get; private set; } = [];

    /// <summary>The patient's contacts as the form lists them, by their position in Patient.contact.</summary>
    public IReadOnlyList<string> CurrentContacts { get; private set; } = [];

    [BindProperty] public ContactDetailsForm Input { get; set; } = new();
    [BindProperty] public string? PatientId { get; set; }
    [BindProperty] public string? Version { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        return await RunAsync("read", 'R', id, _ =>
        {
            Input = ContactDetailsForm.For(Record!);
            Version = Record!.Meta?.VersionId;
            return System.Threading.Tasks.Task.FromResult<IActionResult>(Page());
        }, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        return await RunAsync("update", 'U', id, async access =>
        {
            if (IsForAnotherPatient(PatientId, id, "make the change again"))
            {
                PatientId = id;
                return Page();
            }

            var current = Record!;
            if (Version != current.Meta?.VersionId)
            {
                return ChangedSinceOpened();
            }

            ModelState.Clear();
            AddErrors(Input.Validate(current, Practices));
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            if (Input.ChangesNothing(current))
            {
                TempData["Notice"] = "Nothing was changed.";
                return RedirectToPage("/Patients/Record", new { id });
            }

            var changed = Input.Apply(current, Practices.FirstOrDefault(p => p.Id == Input.GpPracticeId));
            try
            {
                await Fhir.UpdateAsync(access, "Patient", id, changed, $"W/\"{Version}\"", cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                return ChangedSinceOpened();
            }

            TempData["Notice"] = "The GP practice and contacts were saved.";
            return RedirectToPage("/Patients/Record", new { id });
        }, cancellationToken);
    }

    /// <summary>The record changed after the form was opened: save nothing, show it as it is now, keep what was typed.</summary>
    private PageResult ChangedSinceOpened()
    {
        ModelState.AddModelError(PatientKey, "Someone else changed this patient's details after you opened the form. Check the GP practice and contacts as they are now and make your change again");
        Version = Record!.Meta?.VersionId;
        Input.Remove = [];
        return Page();
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Demographics, FhirAction.Update, async access =>
        {
            var practices = await PatientReads.GpPracticesAsync(Fhir, access, cancellationToken);
            // A practice the list cannot offer (not a GP practice's ODS code, or past the first ones) stays choosable, so saving does not drop it.
            if (ContactDetailsForm.CurrentPracticeId(Record!) is { } currentId && practices.All(p => p.Id != currentId))
            {
                var reference = Record!.GeneralPractitioner.First(g => g.Reference == $"Organization/{currentId}");
                practices = [new GpPractice(currentId, reference.Display ?? currentId, reference.Identifier?.Value ?? "no ODS code"), .. practices];
            }

            Practices = practices;
            CurrentContacts = PatientDisplay.Contacts(Record!);
            return await work(access);
        }, cancellationToken);
}

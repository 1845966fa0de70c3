using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Allergies;

/// <summary>
/// Record an allergy, or that the patient has no known allergies, as an AllergyIntolerance written
/// through <see cref="FhirRestService"/> with the signed-in user's access (policy and audit apply).
/// The form names the patient and posts their id back; a post whose id differs from the address is
/// refused, so a form left open for one patient cannot write to another's record.
/// </summary>
public sealed class NewModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    [BindProperty]
    public AllergyForm Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Input = new AllergyForm { PatientId = id };
        return await RunAsync("read", 'R', id, _ => Task.FromResult<IActionResult>(Page()), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // Whatever the model binder made of the form is replaced by the form's own checks.
        ModelState.Clear();
        return await RunAsync("create", 'C', id, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id, "enter the allergy again"))
            {
                Input = new AllergyForm { PatientId = id };
                return Page();
            }

            AddErrors(Input.Validate());
            if (ModelState.ErrorCount == 0 && Input.Statement == AllergyForm.NoKnownAllergiesStatement
                && PatientBanner.AllergySummary(Allergies) is ({ } recorded, BannerAllergyState.Recorded))
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(AllergyForm.Statement)}", $"This patient has allergies recorded ({recorded}): you cannot record no known allergies");
            }

            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var allergy = Input.ToResource(id, access.Principal.PractitionerId, Clock.GetUtcNow());
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            bundle.AddCreate(allergy);
            if (Input.Statement == AllergyForm.AllergyStatement)
            {
                // An earlier "no known allergies" is no longer true: it becomes inactive in the same
                // transaction, so that no reader of the record ever sees both.
                foreach (var noneKnown in Allergies.Where(a => PatientBanner.IsNoKnownAllergy(a) && PatientBanner.IsCurrent(a)))
                {
                    bundle.AddUpdate(AllergyForm.Superseded(noneKnown), noneKnown.Meta!.VersionId!);
                }
            }

            try
            {
                await Fhir.ProcessBundleAsync(access, bundle, cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                // The "no known allergies" statement changed after the page was read: nothing was saved.
                ModelState.AddModelError(PatientKey, "Someone else changed this patient's allergies while you were recording this one. Nothing was saved: check the allergies, then save again if it is still right");
                return Page();
            }

            TempData["Notice"] = Input.Statement == AllergyForm.NoKnownAllergiesStatement
                ? "No known allergies recorded."
                : $"Allergy recorded: {PatientDisplay.Text(allergy.Code)}.";
            return RedirectToPage("/Patients/Record", new { id });
        }, cancellationToken);
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Clinical, FhirAction.Create, work, cancellationToken);
}

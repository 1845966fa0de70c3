using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
public sealed class NewModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PageModel
{
    /// <summary>The model-state key of the wrong-patient error; the summary links to the confirmation paragraph.</summary>
    public const string PatientKey = "Patient";

    public PatientBanner? Banner { get; private set; }

    /// <summary>Why the user may not record allergies for this patient; null when they may.</summary>
    public string? RefusedBecause { get; private set; }

    public IReadOnlyList<AllergyIntolerance> Existing { get; private set; } = [];

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
            if (Input.PatientId != id)
            {
                ModelState.AddModelError(PatientKey, "This form was opened for a different patient. Check the patient and enter the allergy again");
                Input = new AllergyForm { PatientId = id };
                return Page();
            }

            foreach (var (field, message) in Input.Validate())
            {
                ModelState.AddModelError($"{nameof(Input)}.{field}", message);
            }

            if (ModelState.ErrorCount == 0 && Input.Statement == AllergyForm.NoKnownAllergiesStatement
                && PatientBanner.AllergySummary(Existing) is ({ } recorded, BannerAllergyState.Recorded))
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(AllergyForm.Statement)}", $"This patient has allergies recorded ({recorded}): you cannot record no known allergies");
            }

            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var allergy = Input.ToResource(id, access.Principal.PractitionerId, time.GetUtcNow());
            await fhir.CreateAsync(access, "AllergyIntolerance", allergy, null, cancellationToken);
            if (Input.Statement == AllergyForm.AllergyStatement)
            {
                // An earlier "no known allergies" is no longer true: make it inactive, so that no reader of the record sees both.
                foreach (var noneKnown in Existing.Where(a => PatientBanner.IsNoKnownAllergy(a) && PatientBanner.IsCurrent(a)))
                {
                    await fhir.UpdateAsync(access, "AllergyIntolerance", noneKnown.Id!, AllergyForm.Superseded(noneKnown), $"W/\"{noneKnown.Meta?.VersionId}\"", cancellationToken);
                }
            }

            TempData["Notice"] = Input.Statement == AllergyForm.NoKnownAllergiesStatement
                ? "No known allergies recorded."
                : $"Allergy recorded: {PatientDisplay.Text(allergy.Code)}.";
            return RedirectToPage("/Patients/Record", new { id });
        }, cancellationToken);
    }

    /// <summary>
    /// Loads the patient, checks the user may work on their clinical record, then does
    /// <paramref name="work"/>; a refusal by the policy (here or on the write) is shown as a message.
    /// </summary>
    private async Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            var result = await PageAccess.RunAsync(HttpContext, interaction, action, async access =>
            {
                var patient = await PatientReads.ReadAsync<Patient>(fhir, access, id, cancellationToken);
                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(patient, today);
                var decision = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Clinical, FhirAction.Create, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    RefusedBecause = decision.Policy.Reason;
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Page();
                }

                Existing = [.. (await PatientReads.SearchAsync(fhir, access, "AllergyIntolerance", [new("patient", id), new("_count", "50")], cancellationToken)).Of<AllergyIntolerance>()];
                Banner = PatientBanner.For(patient, today, Existing, await PatientReads.CurrentLocationAsync(fhir, access, id, cancellationToken));
                return await work(access);
            });
            return result ?? Challenge();
        }
        catch (FhirException e) when (e.Status == 403)
        {
            RefusedBecause = e.Message;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return NotFound();
        }
    }
}

using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>
/// What the notes pages share: the patient and banner, the policy's answer for the user on this
/// patient's clinical record, and the note named in the address (which must be this patient's).
/// </summary>
public abstract class NotePageModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PageModel
{
    /// <summary>The model-state key of the wrong-patient error; the summary links to the confirmation paragraph.</summary>
    public const string PatientKey = "Patient";

    protected FhirRestService Fhir => fhir;

    protected TimeProvider Clock => time;

    public PatientBanner? Banner { get; private set; }

    /// <summary>Why the user may not do this for this patient; null when they may.</summary>
    public string? RefusedBecause { get; protected set; }

    /// <summary>The note of the address, as stored now (null on pages without one).</summary>
    public DocumentReference? Document { get; protected set; }

    public ClinicalNote? Note => Document is null ? null : ClinicalNote.From(Document);

    public string Time(DateTimeOffset when) => ClinicalNote.Time(when, time.LocalTimeZone);

    /// <summary>The signed-in user as the writer or signer of a note.</summary>
    protected static NoteWriter Writer(RequestAccess access) => new(access.Principal.PractitionerId, access.Principal.DisplayName);

    /// <summary>
    /// Loads the patient (and the note <paramref name="noteId"/>, if given), asks the policy whether the
    /// user may do <paramref name="policyAction"/> on the clinical record, then does <paramref name="work"/>.
    /// A refusal, here or by the write, is shown as a message with status 403.
    /// </summary>
    protected async Task<IActionResult> RunAsync(string interaction, char action, string id, string? noteId, FhirAction policyAction, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            var result = await PageAccess.RunAsync(HttpContext, interaction, action, async access =>
            {
                var patient = await PatientReads.ReadAsync<Patient>(fhir, access, id, cancellationToken);
                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(patient, today);
                var decision = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Clinical, policyAction, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    RefusedBecause = decision.Policy.Reason;
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Page();
                }

                var allergies = await PatientReads.SearchAsync(fhir, access, "AllergyIntolerance", [new("patient", id), new("_count", "50")], cancellationToken);
                Banner = PatientBanner.For(patient, today, allergies.Of<AllergyIntolerance>(), await PatientReads.CurrentLocationAsync(fhir, access, id, cancellationToken));
                if (noteId is not null)
                {
                    Document = await PatientReads.ReadAsync<DocumentReference>(fhir, access, noteId, cancellationToken);
                    if (Document.Subject?.Reference != $"Patient/{id}" || !Document.Category.Any(c => c.Coding.Any(x => x.System == ClinicalNote.Loinc && x.Code == ClinicalNote.NoteCategory.Code)))
                    {
                        // Another patient's note, or not a note: this address does not exist.
                        return NotFound();
                    }
                }

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

    /// <summary>Adds the form's errors to model state under "Input.{field}".</summary>
    protected void AddErrors(IEnumerable<(string Field, string Message)> errors)
    {
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError($"Input.{field}", message);
        }
    }

    /// <summary>The wrong-patient check: a form posted with another patient's id saves nothing.</summary>
    protected bool IsForAnotherPatient(string? postedPatientId, string id)
    {
        if (postedPatientId == id)
        {
            return false;
        }

        ModelState.AddModelError(PatientKey, "This form was opened for a different patient. Check the patient and enter the note again");
        return true;
    }
}

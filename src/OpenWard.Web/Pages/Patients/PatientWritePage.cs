using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Rules;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// What every page that writes to a patient's record shares: the patient and their banner, the
/// policy's answer for the signed-in user (a refusal is a 403 page with the reason and no form), a
/// missing patient as 404, the form's errors in model state, and the wrong-patient check.
/// </summary>
public abstract class PatientWritePage(FhirRestService fhir, AccessGate gate, TimeProvider time) : PageModel
{
    /// <summary>The model-state key of the wrong-patient error; the summary links to the confirmation paragraph.</summary>
    public const string PatientKey = "Patient";

    protected FhirRestService Fhir => fhir;

    protected TimeProvider Clock => time;

    /// <summary>Today where the hospital is, for checking dates typed into forms.</summary>
    protected DateOnly Today => DateOnly.FromDateTime(time.GetLocalNow().DateTime);

    public PatientBanner? Banner { get; private set; }

    /// <summary>Why the user may not do this for this patient; null when they may.</summary>
    public string? RefusedBecause { get; private set; }

    /// <summary>The patient as read when the page began.</summary>
    protected Patient? Record { get; private set; }

    /// <summary>The patient's allergies as read for the banner (the latest 50).</summary>
    protected IReadOnlyList<AllergyIntolerance> Allergies { get; private set; } = [];

    /// <summary>
    /// Loads the patient, asks the policy whether the user may do <paramref name="policyAction"/> on
    /// the <paramref name="category"/> part of their record, builds the banner, then does
    /// <paramref name="work"/>. A refusal, here or by the write itself, is shown with status 403.
    /// </summary>
    protected async Task<IActionResult> RunForPatientAsync(string interaction, char action, string id, DataCategory category, FhirAction policyAction, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            var result = await PageAccess.RunAsync(HttpContext, interaction, action, async access =>
            {
                var patient = Record = await PatientReads.ReadPatientAsync(fhir, gate, access, id, cancellationToken);
                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(patient, today);
                var decision = await gate.DecideForRecordAsync(access.Principal, id, category, policyAction, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    return Refused(decision.Policy.Reason);
                }

                if (access.Principal.Role is { } role && !AccessPolicy.IsPermitted(role, DataCategory.Clinical, FhirAction.Search))
                {
                    // A records manager works on demographics only: the banner shows no clinical record.
                    return await work(access);
                }

                Allergies = [.. (await PatientReads.SearchAsync(fhir, access, "AllergyIntolerance", [new("patient", id), new("_count", "50")], cancellationToken)).Of<AllergyIntolerance>()];
                Banner = PatientBanner.For(patient, today, Allergies, await PatientReads.CurrentLocationAsync(fhir, access, id, cancellationToken));
                return await work(access);
            });
            return result ?? Challenge();
        }
        catch (WriteRuleViolation e)
        {
            // A clinical rule refused the write inside its transaction (the form's own checks had passed,
            // or someone else got there first): nothing was saved, and the form says why.
            ModelState.AddModelError(PatientKey, $"Nothing was saved: {e.Message} (safety check {e.Rule.Id})");
            return Page();
        }
        catch (FhirException e) when (e.Status == 409)
        {
            // Another write to the same records at the same moment (VERSION_CONFLICT): nothing was saved.
            ModelState.AddModelError(PatientKey, $"Nothing was saved: someone else changed this record at the same moment ({e.Message}) Check the record and try again");
            return Page();
        }
        catch (FhirException e) when (e.Status == 403)
        {
            return Refused(e.Message);
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return NotFound();
        }
    }

    /// <summary>Adds the form's errors to model state under "{prefix}{field}" (the prefix is the bound form's name).</summary>
    protected void AddErrors(IEnumerable<(string Field, string Message)> errors, string prefix = "Input.")
    {
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError(prefix + field, message);
        }
    }

    /// <summary>
    /// The wrong-patient check: a form posted with another patient's id saves nothing, and the page
    /// says so under <see cref="PatientKey"/>, ending with what the user should do again (<paramref name="doAgain"/>).
    /// </summary>
    protected bool IsForAnotherPatient(string? postedPatientId, string id, string doAgain)
    {
        if (postedPatientId == id)
        {
            return false;
        }

        ModelState.AddModelError(PatientKey, $"This form was opened for a different patient. Check the patient and {doAgain}");
        return true;
    }

    /// <summary>The page itself, with status 403 and <paramref name="reason"/> in place of the form.</summary>
    protected PageResult Refused(string reason)
    {
        RefusedBecause = reason;
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}

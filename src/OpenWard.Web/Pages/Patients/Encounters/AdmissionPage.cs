using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>
/// What admitting and arranging an admission share: the policy's create check on the patient's
/// encounters, where the patient is now (in hospital, or expected on a ward), the consultants to
/// choose from, and the consultant, method, date and time fields with their checks.
/// </summary>
public abstract class AdmissionPage(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    /// <summary>Where the patient already is, when they are in hospital (then nothing is admitted or arranged).</summary>
    public string? AlreadyIn { get; private set; }

    /// <summary>The patient's current expected admission (<see cref="Admissions.ExpectedWindow"/>); null when none.</summary>
    public EncounterView? Expected { get; private set; }

    public IReadOnlyList<Practitioner> Consultants { get; private set; } = [];

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    [BindProperty] public string? PatientId { get; set; }
    [BindProperty] public string? Consultant { get; set; }
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public string? Time { get; set; }

    /// <summary>Today's date where the hospital is, as the date field shows it.</summary>
    protected string LocalDate => TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Zone).ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The time now where the hospital is, as the time field shows it.</summary>
    protected string LocalTime => TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds errors for a consultant or admission method that is not one offered (or a missing consultant when required).</summary>
    protected void ValidateConsultantAndMethod(bool consultantRequired, List<(string Field, string Message)> errors)
    {
        if ((consultantRequired || !string.IsNullOrEmpty(Consultant)) && Consultants.All(c => c.Id != Consultant))
        {
            errors.Add((nameof(Consultant), consultantRequired ? "Select the admitting consultant" : "Select the consultant from the list"));
        }

        if (!string.IsNullOrEmpty(Method) && Admissions.AdmissionMethods.All(m => m.Code != Method))
        {
            errors.Add((nameof(Method), "Select the admission method from the list"));
        }
    }

    /// <summary>Checks the policy, reads where the patient is and the consultants, then does <paramref name="work"/>.</summary>
    protected Task<IActionResult> RunAsync(string interaction, char action, string id, string alreadyInAdvice, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Administrative, FhirAction.Create, async access =>
        {
            if (await EncounterReads.CurrentStayAsync(Fhir, access, id, cancellationToken) is { } stay)
            {
                AlreadyIn = stay.Place.Name;
                if (Request.Method == "POST")
                {
                    ModelState.AddModelError(PatientKey, $"This patient is already in hospital ({AlreadyIn}): {alreadyInAdvice}");
                }
            }

            Expected = await EncounterReads.ExpectedAsync(Fhir, access, id, Clock, cancellationToken) is [var first, ..] ? first : null;
            Consultants = await EncounterReads.ConsultantsAsync(Fhir, access, cancellationToken);
            return await work(access);
        }, cancellationToken);
}

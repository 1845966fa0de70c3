using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>
/// Admit a patient to a free bed: a UK Core inpatient Encounter (in progress, class IMP) written with
/// the user's access. The bed is re-checked at save; a patient already in hospital is not admitted twice.
/// A patient expected now (<see cref="Admissions.ExpectedWindow"/>) is admitted into that planned
/// encounter, sent with If-Match on the version the form showed, so the plan does not linger.
/// </summary>
public sealed class AdmitModel(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time) : AdmissionPage(fhir, gate, time)
{
    public IReadOnlyList<WardBeds> Board { get; private set; } = [];

    [BindProperty] public string? Bed { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? ExpectedId { get; set; }
    [BindProperty] public string? ExpectedVersion { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        Date = LocalDate;
        Time = LocalTime;
        return await RunAsync("read", 'R', id, _ =>
        {
            if (Expected?.Encounter is { } expected)
            {
                Consultant = expected.Participant.Select(p => p.Individual?.Reference).FirstOrDefault(r => r?.StartsWith("Practitioner/", StringComparison.Ordinal) == true)?["Practitioner/".Length..];
                Method = (expected.Hospitalization?.GetExtensionValue<CodeableConcept>(Admissions.AdmissionMethodExtension))?.Coding.FirstOrDefault()?.Code;
                ExpectedId = expected.Id;
                ExpectedVersion = expected.Meta?.VersionId;
            }

            return Task.FromResult<IActionResult>(Page());
        }, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return await RunAsync("create", 'C', id, async access =>
        {
            if (IsForAnotherPatient(PatientId, id, "admit them again"))
            {
                PatientId = id;
                return Page();
            }

            var errors = new List<(string Field, string Message)>();
            var place = BedBoard.Choose(Board, Bed);
            if (string.IsNullOrEmpty(Bed))
            {
                errors.Add((nameof(Bed), "Select the ward and bed"));
            }
            else if (place is null)
            {
                errors.Add((nameof(Bed), "This bed has just been taken or is not a bed: select another free bed"));
            }

            ValidateConsultantAndMethod(consultantRequired: true, errors);
            if (!string.IsNullOrEmpty(Source) && Admissions.AdmissionSources.All(m => m.Code != Source))
            {
                errors.Add((nameof(Source), "Select where the patient was admitted from"));
            }

            var when = Admissions.ParseWhen(Date, Time, Clock.GetUtcNow(), Zone, "admission", nameof(Date), errors);
            AddErrors(errors, prefix: "");
            var expected = Expected?.Encounter;
            if (AlreadyIn is null && (ExpectedId != expected?.Id || (expected is not null && ExpectedVersion != expected.Meta?.VersionId)))
            {
                return ExpectedChangedMeanwhile();
            }

            if (ModelState.ErrorCount > 0 || AlreadyIn is not null)
            {
                return Page();
            }

            var request = new AdmissionRequest(id, place!.Ward.Id!, place.Bed?.Id, Consultant!, Method, Source, when!.Value, expected, ExpectedVersion);
            if (await AdmitPatient.RunAsync(Fhir, access, request, cancellationToken) == AdmissionOutcome.ExpectedChangedMeanwhile)
            {
                return ExpectedChangedMeanwhile();
            }

            // The admission makes a care relationship: forget cached answers so the ward's staff open the record at once.
            relationships.ForgetPatient(id);
            TempData["Notice"] = $"Admitted to {place.Ward.Name}, {place.Name}.";
            return RedirectToPage("/Patients/Encounters/Index", new { id });
        }, cancellationToken);
    }

    /// <summary>The expected admission was changed, admitted or cancelled after the form was opened: save nothing and show it as it is now.</summary>
    private PageResult ExpectedChangedMeanwhile()
    {
        ModelState.AddModelError(PatientKey, "Someone else changed this patient's expected admission after you opened the form. Check the details below and admit again");
        ExpectedId = Expected?.Encounter.Id;
        ExpectedVersion = Expected?.Encounter.Meta?.VersionId;
        return Page();
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunAsync(interaction, action, id, "transfer or discharge them instead", async access =>
        {
            Board = await BedBoard.FreeBedsAsync(Fhir, access, cancellationToken);
            return await work(access);
        }, cancellationToken);
}

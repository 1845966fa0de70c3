using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>
/// Arrange an admission: the patient is expected on a ward (a planned UK Core inpatient Encounter),
/// so that the ward's staff see them under "Expected" on My patients and may open their record
/// before they arrive, without break-glass. Written by someone who already cares for the patient
/// (the emergency department, the clinic); cancelled from the Encounters tab when no longer needed.
/// </summary>
public sealed class ExpectModel(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time) : AdmissionPage(fhir, gate, time)
{
    /// <summary>The most a reason may hold; longer text belongs in a clinical note.</summary>
    public const int MaximumReasonLength = 500;

    public IReadOnlyList<Location> Wards { get; private set; } = [];

    [BindProperty] public string? Ward { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        Date = LocalDate;
        return await RunAsync("read", 'R', id, _ => Task.FromResult<IActionResult>(Page()), cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return await RunAsync("create", 'C', id, async access =>
        {
            if (IsForAnotherPatient(PatientId, id, "arrange the admission again"))
            {
                PatientId = id;
                return Page();
            }

            var errors = new List<(string Field, string Message)>();
            var ward = Wards.FirstOrDefault(w => w.Id == Ward);
            if (ward is null)
            {
                errors.Add((nameof(Ward), "Select the ward the patient is expected on"));
            }

            ValidateConsultantAndMethod(consultantRequired: false, errors);
            if (Reason?.Trim().Length > MaximumReasonLength)
            {
                errors.Add((nameof(Reason), $"The reason must be {MaximumReasonLength} characters or fewer: write more in a clinical note"));
            }

            var when = Admissions.ParseExpected(Date, Time, Clock.GetUtcNow(), Zone, nameof(Date), errors);
            AddErrors(errors, prefix: "");
            if (AlreadyIn is null && Expected is not null)
            {
                ModelState.AddModelError(PatientKey, "This patient is already expected on a ward: cancel that expected admission first");
            }

            if (ModelState.ErrorCount > 0 || AlreadyIn is not null || Expected is not null)
            {
                return Page();
            }

            var expected = Admissions.Expect(id, ward!.Id!, when!.Value, string.IsNullOrEmpty(Consultant) ? null : Consultant, Method, Reason);
            await Fhir.CreateAsync(access, "Encounter", expected, null, cancellationToken);
            relationships.ForgetPatient(id);
            TempData["Notice"] = $"The patient is expected on {ward.Name} from {EncounterReads.Time(Admissions.FhirTime(when.Value), Zone)}. {ward.Name}'s staff can see them under My patients.";
            return RedirectToPage("/Patients/Encounters/Index", new { id });
        }, cancellationToken);
    }

    /// <summary>
    /// Cancels an expected admission (the patient is not coming, or is coming elsewhere): the planned
    /// encounter becomes cancelled, sent with If-Match on the version the Encounters tab showed.
    /// </summary>
    public async Task<IActionResult> OnPostCancelAsync(string id, string? encounterId, string? version, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return await RunForPatientAsync("update", 'U', id, DataCategory.Administrative, FhirAction.Update, async access =>
        {
            var expected = (await EncounterReads.ForPatientAsync(Fhir, access, id, "planned", cancellationToken)).FirstOrDefault(e => e.Encounter.Id == encounterId)?.Encounter;
            if (PatientId != id || expected is null)
            {
                TempData["Notice"] = "Nothing was cancelled: that expected admission is not this patient's, or is no longer expected. Check the patient's encounters below";
                return RedirectToPage("/Patients/Encounters/Index", new { id });
            }

            try
            {
                await Fhir.UpdateAsync(access, "Encounter", expected.Id!, Admissions.CancelExpected(expected), $"W/\"{version}\"", cancellationToken);
                relationships.ForgetPatient(id);
                TempData["Notice"] = "The expected admission was cancelled.";
            }
            catch (FhirException e) when (e.Status == 412)
            {
                TempData["Notice"] = "Nothing was cancelled: someone else changed this expected admission after you opened the page. Check it below and cancel again if it is still not needed";
            }

            return RedirectToPage("/Patients/Encounters/Index", new { id });
        }, cancellationToken);
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunAsync(interaction, action, id, "transfer them instead", async access =>
        {
            Wards = Admissions.Wards(await BedBoard.LocationsAsync(Fhir, access, cancellationToken));
            return await work(access);
        }, cancellationToken);
}

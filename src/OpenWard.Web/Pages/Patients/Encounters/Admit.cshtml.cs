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

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>
/// Admit a patient to a free bed: a UK Core inpatient Encounter (in progress, class IMP) written with
/// the user's access. The bed is re-checked at save; a patient already in hospital is not admitted twice.
/// A patient expected now (<see cref="Admissions.IsExpectedAround"/>) is admitted into that planned
/// encounter, sent with If-Match on the version the form showed, so the plan does not linger.
/// </summary>
public sealed class AdmitModel(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    /// <summary>Where the patient already is, when they are in hospital (then nothing can be admitted).</summary>
    public string? AlreadyIn { get; private set; }

    public IReadOnlyList<WardBeds> Board { get; private set; } = [];

    /// <summary>The patient's expected admission that admitting fulfils, with its ward; null when none is current.</summary>
    public EncounterView? Expected { get; private set; }

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    public IReadOnlyList<Practitioner> Consultants { get; private set; } = [];

    [BindProperty] public string? PatientId { get; set; }
    [BindProperty] public string? Bed { get; set; }
    [BindProperty] public string? Consultant { get; set; }
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? Source { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public string? Time { get; set; }
    [BindProperty] public string? ExpectedId { get; set; }
    [BindProperty] public string? ExpectedVersion { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        var now = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Clock.LocalTimeZone);
        Date = now.ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        Time = now.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
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
            var ward = BedBoard.WardOfFreeBed(Board, Bed);
            if (string.IsNullOrEmpty(Bed))
            {
                errors.Add((nameof(Bed), "Select the ward and bed"));
            }
            else if (ward is null)
            {
                errors.Add((nameof(Bed), "This bed has just been taken or is not a bed: select another free bed"));
            }

            if (Consultants.All(c => c.Id != Consultant))
            {
                errors.Add((nameof(Consultant), "Select the admitting consultant"));
            }

            if (!string.IsNullOrEmpty(Method) && Admissions.AdmissionMethods.All(m => m.Code != Method))
            {
                errors.Add((nameof(Method), "Select the admission method from the list"));
            }

            if (!string.IsNullOrEmpty(Source) && Admissions.AdmissionSources.All(m => m.Code != Source))
            {
                errors.Add((nameof(Source), "Select where the patient was admitted from"));
            }

            var when = Admissions.ParseWhen(Date, Time, Clock.GetUtcNow(), Clock.LocalTimeZone, "admission", nameof(Date), errors);
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

            var encounter = Admissions.Admit(id, ward!.Id!, Bed!, Consultant!, Method, Source, when!.Value, expected);
            if (expected is null)
            {
                await Fhir.CreateAsync(access, "Encounter", encounter, null, cancellationToken);
            }
            else
            {
                try
                {
                    await Fhir.UpdateAsync(access, "Encounter", expected.Id!, encounter, $"W/\"{ExpectedVersion}\"", cancellationToken);
                }
                catch (FhirException e) when (e.Status == 412)
                {
                    return ExpectedChangedMeanwhile();
                }
            }

            // The admission makes a care relationship: forget the cached "none" so the record opens at once.
            relationships.Forget(access.Principal.Id, id);
            TempData["Notice"] = $"Admitted to {ward.Name}, {Board.SelectMany(w => w.FreeBeds).First(b => b.Id == Bed).Name}.";
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
        RunForPatientAsync(interaction, action, id, DataCategory.Administrative, FhirAction.Create, async access =>
        {
            if (await EncounterReads.CurrentStayAsync(Fhir, access, id, cancellationToken) is { } stay)
            {
                AlreadyIn = stay.Place.Name;
                if (Request.Method == "POST")
                {
                    ModelState.AddModelError(PatientKey, $"This patient is already in hospital ({AlreadyIn}): transfer or discharge them instead");
                }
            }

            Expected = await EncounterReads.ExpectedAsync(Fhir, access, id, Clock, cancellationToken) is [var first, ..] ? first : null;
            Board = await BedBoard.FreeBedsAsync(Fhir, access, cancellationToken);
            Consultants = await EncounterReads.ConsultantsAsync(Fhir, access, cancellationToken);
            return await work(access);
        }, cancellationToken);
}

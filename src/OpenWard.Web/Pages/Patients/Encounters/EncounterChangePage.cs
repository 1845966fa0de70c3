using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>
/// What transfer and discharge share: the patient and their current encounter, the version the
/// form was opened on (posted back and sent as If-Match), and a plain message on 412.
/// </summary>
public abstract class EncounterChangePage(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    /// <summary>Set when the encounter changed since the form was opened: who changed it, and when.</summary>
    public string? ChangedMeanwhile { get; private set; }

    public EncounterView? Current { get; private set; }

    public IReadOnlyList<WardBeds> Board { get; private set; } = [];

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    [BindProperty] public string? PatientId { get; set; }
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public string? Time { get; set; }

    /// <summary>What the change is called in messages ("transfer", "discharge").</summary>
    protected abstract string What { get; }

    /// <summary>Adds the form's own errors; the date has been parsed already.</summary>
    protected abstract void Validate(List<(string Field, string Message)> errors);

    /// <summary>The changed encounter, and the notice shown afterwards.</summary>
    protected abstract (Encounter Changed, string Notice) Change(Encounter current, DateTimeOffset when);

    public async Task<IActionResult> OnGetAsync(string id, string encounterId, CancellationToken cancellationToken)
    {
        PatientId = id;
        var now = TimeZoneInfo.ConvertTime(Clock.GetUtcNow(), Clock.LocalTimeZone);
        Date = now.ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        Time = now.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return await RunAsync("read", 'R', id, encounterId, _ =>
        {
            Version = Current?.Encounter.Meta?.VersionId;
            return Task.FromResult<IActionResult>(Page());
        }, cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(string id, string encounterId, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return await RunAsync("update", 'U', id, encounterId, async access =>
        {
            if (IsForAnotherPatient(PatientId, id, "try again"))
            {
                PatientId = id;
                return Page();
            }

            if (Version != Current!.Encounter.Meta?.VersionId)
            {
                return ChangedSinceOpened();
            }

            var errors = new List<(string Field, string Message)>();
            Validate(errors);
            var when = Admissions.ParseWhen(Date, Time, Clock.GetUtcNow(), Clock.LocalTimeZone, What, nameof(Date), errors);
            if (when is { } at && Admissions.LatestMove(Current.Encounter) is { } arrived && at < arrived)
            {
                // The form takes minutes; a move recorded to the second within the minute typed is "then".
                if (at > arrived - TimeSpan.FromMinutes(1))
                {
                    when = arrived;
                }
                else
                {
                    errors.Add((nameof(Date), $"The date and time of the {What} must be after the patient arrived where they are now ({TimeZoneInfo.ConvertTime(arrived, Clock.LocalTimeZone):d/M/yyyy HH:mm})"));
                }
            }

            AddErrors(errors, prefix: "");

            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var (changed, notice) = Change(Current.Encounter, when!.Value);
            try
            {
                await Fhir.UpdateAsync(access, "Encounter", encounterId, changed, $"W/\"{Version}\"", cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                return ChangedSinceOpened();
            }

            relationships.ForgetPatient(id);
            TempData["Notice"] = notice;
            return RedirectToPage("/Patients/Encounters/Index", new { id });
        }, cancellationToken);
    }

    /// <summary>The encounter is no longer the version the form was opened on: say so, save nothing, and offer the current version.</summary>
    private PageResult ChangedSinceOpened()
    {
        var latest = Current!.Encounter.Meta;
        ChangedMeanwhile = $"Someone else changed this encounter after you opened the form (it is now version {latest?.VersionId}, last changed {EncounterReads.Time(latest?.LastUpdated?.ToString("o", System.Globalization.CultureInfo.InvariantCulture), Zone)}). Check where the patient is now and make your change again";
        ModelState.AddModelError(PatientKey, ChangedMeanwhile);
        Version = latest?.VersionId;
        return Page();
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, string encounterId, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Administrative, FhirAction.Update, async access =>
        {
            Current = (await EncounterReads.ForPatientAsync(Fhir, access, id, EncounterStates.CurrentSearchValue, cancellationToken)).FirstOrDefault(e => e.Encounter.Id == encounterId);
            if (Current is null)
            {
                return NotFound();
            }

            Board = await BedBoard.FreeBedsAsync(Fhir, access, cancellationToken);
            return await work(access);
        }, cancellationToken);
}

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
/// What transfer and discharge share: the patient and their in-progress encounter, the version the
/// form was opened on (posted back and sent as If-Match), and a plain message on 412.
/// </summary>
public abstract class EncounterChangePage(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time) : PageModel
{
    public const string PatientKey = "Patient";

    public PatientBanner? Banner { get; private set; }

    public string? RefusedBecause { get; private set; }

    /// <summary>Set when the encounter changed since the form was opened: who changed it, and when.</summary>
    public string? ChangedMeanwhile { get; private set; }

    public EncounterView? Current { get; private set; }

    public IReadOnlyList<WardBeds> Board { get; private set; } = [];

    public TimeZoneInfo Zone => time.LocalTimeZone;

    [BindProperty] public string? PatientId { get; set; }
    [BindProperty] public string? Version { get; set; }
    [BindProperty] public string? Date { get; set; }
    [BindProperty] public string? Time { get; set; }

    protected TimeProvider Clock => time;

    /// <summary>What the change is called in messages ("transfer", "discharge").</summary>
    protected abstract string What { get; }

    /// <summary>Adds the form's own errors; the date has been parsed already.</summary>
    protected abstract void Validate(List<(string Field, string Message)> errors);

    /// <summary>The changed encounter, and the notice shown afterwards.</summary>
    protected abstract (Encounter Changed, string Notice) Change(Encounter current, DateTimeOffset when);

    public async Task<IActionResult> OnGetAsync(string id, string encounterId, CancellationToken cancellationToken)
    {
        PatientId = id;
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), time.LocalTimeZone);
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
            if (PatientId != id || Current is null)
            {
                ModelState.AddModelError(PatientKey, "This form was opened for a different patient. Check the patient and try again");
                PatientId = id;
                return Page();
            }

            if (Version != Current!.Encounter.Meta?.VersionId)
            {
                return ChangedSinceOpened();
            }

            var errors = new List<(string Field, string Message)>();
            Validate(errors);
            var when = Admissions.ParseWhen(Date, Time, time.GetUtcNow(), time.LocalTimeZone, What, nameof(Date), errors);
            if (when is { } at && Admissions.LatestMove(Current.Encounter) is { } arrived && at < arrived)
            {
                // The form takes minutes; a move recorded to the second within the minute typed is "then".
                if (at > arrived - TimeSpan.FromMinutes(1))
                {
                    when = arrived;
                }
                else
                {
                    errors.Add((nameof(Date), $"The date and time of the {What} must be after the patient arrived where they are now ({TimeZoneInfo.ConvertTime(arrived, time.LocalTimeZone):d/M/yyyy HH:mm})"));
                }
            }

            foreach (var (field, message) in errors)
            {
                ModelState.AddModelError(field, message);
            }

            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var (changed, notice) = Change(Current.Encounter, when!.Value);
            try
            {
                await fhir.UpdateAsync(access, "Encounter", encounterId, changed, $"W/\"{Version}\"", cancellationToken);
            }
            catch (FhirException e) when (e.Status == 412)
            {
                return ChangedSinceOpened();
            }

            relationships.Forget(access.Principal.Id, id);
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

    private async Task<IActionResult> RunAsync(string interaction, char action, string id, string encounterId, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken)
    {
        try
        {
            var result = await PageAccess.RunAsync(HttpContext, interaction, action, async access =>
            {
                var patient = await PatientReads.ReadAsync<Patient>(fhir, access, id, cancellationToken);
                var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
                Banner = PatientBanner.DemographicsOnly(patient, today);
                var decision = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Administrative, FhirAction.Update, cancellationToken);
                if (decision.Policy.Decision != AccessDecision.Allow)
                {
                    RefusedBecause = decision.Policy.Reason;
                    Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Page();
                }

                Current = (await EncounterReads.ForPatientAsync(fhir, access, id, "in-progress", cancellationToken)).FirstOrDefault(e => e.Encounter.Id == encounterId);
                if (Current is null)
                {
                    return NotFound();
                }

                Board = await BedBoard.FreeBedsAsync(fhir, access, cancellationToken);
                Banner = await EncounterReads.BannerAsync(fhir, access, patient, today, cancellationToken);
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

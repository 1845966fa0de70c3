using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// A patient's chart summary: the banner, then (if the policy allows it) a section for each part of
/// the record, each the latest few and a link to its tab. When the signed-in member of staff has no
/// relationship with the patient (or the record is sensitive for their role), the page asks for a
/// break-glass reason instead, and grants time-limited access.
/// </summary>
/// <remarks>
/// Cheap by design (issue #4: p95 at most 250 ms for a patient with 500 encounters and 5,000
/// observations): besides what every chart page reads (ChartPageModel), one bounded, sorted search
/// per section, no totals counted. Latest vital signs come from the newest
/// <see cref="VitalSignReadings"/> vital-sign Observations, not from all of them.
/// </remarks>
public sealed class RecordModel(FhirRestService fhir, AccessGate gate, AccessFactory accessFactory, BreakGlassService breakGlass, TimeProvider time)
    : ChartPageModel(fhir, gate, time)
{

    public static readonly int[] DurationChoices = [1, 2, 4, 8, 12];

    /// <summary>How many of the newest vital-sign readings the latest of each is picked from (several rounds of a ward's observations).</summary>
    public const int VitalSignReadings = 60;

    /// <summary>How many entries each list section shows.</summary>
    public const int SectionSize = 5;

    public override ChartTab Tab => ChartTabs.Summary;

    protected override bool OffersBreakGlass => true;

    public ChartSection<Condition> Problems { get; private set; } = ChartSection.Nothing<Condition>();

    public string GpPractice { get; private set; } = PatientDisplay.NotKnown;

    public ChartSection<MedicationRequest> Prescribed { get; private set; } = ChartSection.Nothing<MedicationRequest>();

    public ChartSection<MedicationStatement> Reported { get; private set; } = ChartSection.Nothing<MedicationStatement>();

    /// <summary>The latest reading of each vital sign, out of the newest <see cref="VitalSignReadings"/>.</summary>
    public ChartSection<Observation> Vitals { get; private set; } = ChartSection.Nothing<Observation>();

    public ChartSection<DiagnosticReport> Reports { get; private set; } = ChartSection.Nothing<DiagnosticReport>();

    public ChartSection<Observation> LabResults { get; private set; } = ChartSection.Nothing<Observation>();

    public ChartSection<Hl7.Fhir.Model.Task> Tasks { get; private set; } = ChartSection.Nothing<Hl7.Fhir.Model.Task>();

    /// <summary>Open NEWS2 escalation and sepsis-screen Tasks (issue #19), soonest due first; null when the user may not search Tasks.</summary>
    public IReadOnlyList<BoardEscalation>? Escalations { get; private set; }

    /// <summary>Now, for the escalations' "due" and "overdue" words.</summary>
    public DateTimeOffset Now => Clock.GetUtcNow();

    public ChartSection<DocumentReference> Documents { get; private set; } = ChartSection.Nothing<DocumentReference>();

    public ChartSection<Composition> Compositions { get; private set; } = ChartSection.Nothing<Composition>();

    [BindProperty]
    public string? ReasonCode { get; set; }

    [BindProperty]
    public string? ReasonText { get; set; }

    [BindProperty]
    public int DurationHours { get; set; } = (int)BreakGlassReasons.DefaultDuration.TotalHours;

    [TempData]
    public string? Notice { get; set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, access => ReadSummaryAsync(access, cancellationToken), cancellationToken);

    public async Task<IActionResult> OnPostBreakGlassAsync(string id, CancellationToken cancellationToken)
    {
        var access = await accessFactory.ForPageAsync(HttpContext, new RequestDescription("break-glass", 'E', AccessFactory.Address(HttpContext)));
        if (access is null)
        {
            return Challenge();
        }

        if (!DurationChoices.Contains(DurationHours))
        {
            ModelState.AddModelError(nameof(DurationHours), "Choose how long you need access for");
        }

        if (ModelState.ErrorCount == 0)
        {
            try
            {
                var result = await breakGlass.GrantAsync(access.Principal, id, ReasonCode, ReasonText, TimeSpan.FromHours(DurationHours), AccessFactory.Address(HttpContext), cancellationToken);
                Notice = $"You have access to this record until {result.Grant.ExpiresAt.ToLocalTime():HH:mm} on {result.Grant.ExpiresAt.ToLocalTime():d MMMM}. Your reason has been recorded; the privacy officer will review it, "
                    + "and the clinicians responsible for this patient's current care will be told.";
                return RedirectToPage(new { id });
            }
            catch (BreakGlassRefusedException e)
            {
                ModelState.AddModelError(string.IsNullOrEmpty(ReasonCode) || !BreakGlassReasons.TryGet(ReasonCode, out _) ? nameof(ReasonCode) : nameof(ReasonText), e.Message);
            }
        }

        return await ShowChartAsync(id, access => ReadSummaryAsync(access, cancellationToken), cancellationToken);
    }

    /// <summary>"I am responding": the escalation is accepted, its owner the signed-in user, a note says who and when.</summary>
    public Task<IActionResult> OnPostRespondAsync(string id, string taskId, string? version, CancellationToken cancellationToken) =>
        ActOnEscalationAsync(id, taskId, version, done: false, null, cancellationToken);

    /// <summary>"Done": the escalation is completed, with the user's optional note.</summary>
    public Task<IActionResult> OnPostDoneAsync(string id, string taskId, string? version, string? note, CancellationToken cancellationToken) =>
        ActOnEscalationAsync(id, taskId, version, done: true, note, cancellationToken);

    /// <summary>
    /// A sepsis screen's steps, each at the time of pressing: "likely" (treat as sepsis: the
    /// antibiotics clock starts), "unlikely" (the screen is complete), "antibiotics" (the first dose
    /// given: the time to antibiotics is measured). The write rule keeps the tracking.
    /// </summary>
    public Task<IActionResult> OnPostSepsisAsync(string id, string taskId, string? version, string? step, CancellationToken cancellationToken) =>
        ActOnEscalationAsync(id, taskId, version, done: false, null, cancellationToken, step ?? "");

    /// <summary>The longest note "Done" keeps.</summary>
    public const int MaximumNoteLength = 1000;

    /// <summary>
    /// A responder's answer to an escalation, written as the signed-in user with If-Match on the
    /// version the page showed: two responders pressing at once cannot overwrite each other; the
    /// second is told what happened instead, and nothing of theirs is saved.
    /// </summary>
    private async Task<IActionResult> ActOnEscalationAsync(string id, string taskId, string? version, bool done, string? note, CancellationToken cancellationToken, string? sepsisStep = null)
    {
        const string Changed = "Someone else updated this escalation after you opened the page. Nothing was saved: check the escalation as it is now below, then act again if you still need to.";
        try
        {
            var result = await PageAccess.RunAsync(HttpContext, "update", 'U', async access =>
            {
                var task = await PatientReads.ReadAsync<Hl7.Fhir.Model.Task>(Fhir, access, taskId, cancellationToken);
                if (task.For?.Reference != $"Patient/{id}" || !WardBoard.IsDeterioration(task))
                {
                    return (IActionResult)NotFound(); // another patient's Task, or not an escalation: no such thing here
                }

                if (string.IsNullOrEmpty(version) || task.Meta?.VersionId != version || !EscalationTasks.IsOpen(task))
                {
                    Notice = Changed;
                    return RedirectToPage(new { id });
                }

                var now = Clock.GetUtcNow();
                var me = access.Principal;
                var who = me.PractitionerId is { } practitioner ? new ResourceReference($"Practitioner/{practitioner}", me.DisplayName) : new ResourceReference { Display = me.DisplayName };
                var at = TimeZoneInfo.ConvertTime(now, Clock.LocalTimeZone).ToString("HH:mm", CultureInfo.InvariantCulture);
                var text = note?.Trim() is { Length: > 0 } typed ? typed[..Math.Min(typed.Length, MaximumNoteLength)] : null;
                if (sepsisStep is not null)
                {
                    if (EscalationTasks.IsEscalation(task) || sepsisStep is not ("likely" or "unlikely" or "antibiotics") || (sepsisStep == "antibiotics" && SepsisScreen.OutcomeOf(task) != SepsisScreen.SepsisLikely))
                        return BadRequest();
                    if (sepsisStep == "antibiotics")
                        SepsisScreen.RecordAntibiotics(task, now);
                    else
                        SepsisScreen.RecordDecision(task, sepsisStep == "likely", now);
                    task.Owner ??= who;
                    task.LastModified = now.ToString("o", CultureInfo.InvariantCulture);
                    task.Note.Add(new Annotation
                    {
                        Author = who,
                        Time = now.ToString("o", CultureInfo.InvariantCulture),
                        Text = sepsisStep switch
                        {
                            "likely" => $"{me.DisplayName}: sepsis likely, treat now (decided at {at}).",
                            "unlikely" => $"{me.DisplayName}: sepsis unlikely (decided at {at}).",
                            _ => $"{me.DisplayName}: first antibiotics given at {at}.",
                        },
                    });
                    await Fhir.UpdateAsync(access, "Task", taskId, task, $"W/\"{version}\"", cancellationToken);
                    Notice = sepsisStep switch
                    {
                        "likely" => $"Sepsis likely recorded at {at}: the antibiotics are now due (see the screen below).",
                        "unlikely" => $"Sepsis unlikely recorded at {at}; the screen is complete.",
                        _ => $"First antibiotics recorded as given at {at}.",
                    };
                    return RedirectToPage(new { id });
                }

                task.Status = done ? Hl7.Fhir.Model.Task.TaskStatus.Completed : Hl7.Fhir.Model.Task.TaskStatus.Accepted;
                if (!done || task.Owner is null)
                {
                    task.Owner = who; // whoever responds owns it; "Done" by someone else keeps the responder
                }

                task.LastModified = now.ToString("o", CultureInfo.InvariantCulture);
                task.Note.Add(new Annotation
                {
                    Author = who,
                    Time = now.ToString("o", CultureInfo.InvariantCulture),
                    Text = done ? $"Done by {me.DisplayName} at {at}{(text is null ? "." : $": {text}")}" : $"{me.DisplayName} is responding (accepted at {at}).",
                });
                await Fhir.UpdateAsync(access, "Task", taskId, task, $"W/\"{version}\"", cancellationToken);
                Notice = done ? $"Escalation marked done at {at}." : $"You are responding to the escalation (accepted at {at}).";
                return RedirectToPage(new { id });
            });
            return result ?? Challenge();
        }
        catch (FhirException e) when (e.Status is 409 or 412)
        {
            Notice = Changed;
            return RedirectToPage(new { id });
        }
        catch (FhirException e) when (e.Status == 403)
        {
            Notice = $"Nothing was saved: {e.Message}";
            return RedirectToPage(new { id });
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return NotFound();
        }
    }

    private async Task ReadSummaryAsync(RequestAccess access, CancellationToken cancellationToken)
    {
        var count = SectionSize.ToString(CultureInfo.InvariantCulture);
        Problems = ChartSection.Of<Condition>(await SearchSectionAsync(access, "Condition", [new("clinical-status", "active"), new("_sort", "-recorded-date"), new("_count", "20")], cancellationToken));
        Prescribed = ChartSection.Of<MedicationRequest>(await SearchSectionAsync(access, "MedicationRequest", [new("status", "active,on-hold"), new("_sort", "-authoredon"), new("_count", "20")], cancellationToken));
        Reported = ChartSection.Of<MedicationStatement>(await SearchSectionAsync(access, "MedicationStatement", [new("status", "active,intended"), new("_sort", "-effective"), new("_count", "20")], cancellationToken));
        var vitals = await SearchSectionAsync(access, "Observation", [new("category", "vital-signs"), new("_sort", "-date"), new("_count", VitalSignReadings.ToString(CultureInfo.InvariantCulture))], cancellationToken);
        Vitals = vitals is null ? ChartSection.NotAllowed<Observation>() : new(ChartDisplay.LatestOfEachCode(vitals.Of<Observation>().Where(ChartDisplay.IsCurrent)), vitals.More, false);
        Reports = ChartSection.Of<DiagnosticReport>(await SearchSectionAsync(access, "DiagnosticReport", [new("_sort", "-date"), new("_count", count)], cancellationToken));
        LabResults = ChartSection.Of<Observation>(await SearchSectionAsync(access, "Observation", [new("category", "laboratory"), new("_sort", "-date"), new("_count", "10")], cancellationToken));
        Tasks = ChartSection.Of<Hl7.Fhir.Model.Task>(await SearchSectionAsync(access, "Task", [new("status", string.Join(',', PendingTaskStatuses)), new("_sort", "-authored-on"), new("_count", count)], cancellationToken));
        var escalations = await SearchSectionAsync(access, "Task", [new("code", WardBoardReads.TaskCodes), new("status", WardBoardReads.OpenStatuses), new("_count", "50")], cancellationToken);
        Escalations = escalations is null ? null : [.. escalations.Of<Hl7.Fhir.Model.Task>().Where(EscalationTasks.IsOpen).Select(WardBoard.Escalation).OrderBy(e => e.Due ?? DateTimeOffset.MaxValue)];
        Documents = ChartSection.Of<DocumentReference>(await SearchSectionAsync(access, "DocumentReference", [new("status", "current"), new("_sort", "-date"), new("_count", count)], cancellationToken));
        Compositions = ChartSection.Of<Composition>(await SearchSectionAsync(access, "Composition", [new("_sort", "-date"), new("_count", count)], cancellationToken));
        GpPractice = await GpPracticeAsync(access, cancellationToken);
    }

    /// <summary>The GP practice by the Organization's own name when OpenWard holds it, else as the patient's reference names it.</summary>
    private async Task<string> GpPracticeAsync(RequestAccess access, CancellationToken cancellationToken)
    {
        if (Patient?.GeneralPractitioner.FirstOrDefault()?.Reference is { } reference && reference.StartsWith("Organization/", StringComparison.Ordinal))
        {
            try
            {
                return (await PatientReads.ReadAsync<Organization>(Fhir, access, reference["Organization/".Length..], cancellationToken)).Name ?? PatientDisplay.GpPractice(Patient);
            }
            catch (FhirException e) when (e.Status is 403 or 404 or 410)
            {
                // Not held, or not for this user to see: the reference's own words will do.
            }
        }

        return Patient is null ? PatientDisplay.NotKnown : PatientDisplay.GpPractice(Patient);
    }

    /// <summary>
    /// Task statuses that still need doing (R4 TaskStatus, http://hl7.org/fhir/task-status: all but
    /// draft and the finished ones: rejected, cancelled, failed, completed, entered-in-error).
    /// </summary>
    public static readonly string[] PendingTaskStatuses = ["requested", "received", "accepted", "ready", "in-progress", "on-hold"];
}

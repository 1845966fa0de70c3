using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
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

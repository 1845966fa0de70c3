using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Observations;

/// <summary>
/// A doctor prescribes SpO2 scale 2 (RCP NEWS2 2017: target 88–92% for hypercapnic respiratory
/// failure, on a clinician's decision, recorded) as a Goal the NEWS2_SCORED rule recognises
/// (<see cref="News2Scored.IsScale2Prescription"/>): active, target LOINC 59408-5 with a range of
/// 88–92 %, expressed by the doctor's Practitioner, starting today. Stopping it cancels the Goal.
/// Sets recorded from then on are scored on the scale in force when they were taken; sets already
/// scored are not rescored.
/// </summary>
public sealed class Scale2Model(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    /// <summary>The scale 2 prescription in force now; null when scale 1 is used.</summary>
    public Goal? InForce { get; private set; }

    public bool MayPrescribeHere { get; private set; }

    /// <summary>The "the patient has hypercapnic respiratory failure" box.</summary>
    [BindProperty]
    public bool Hypercapnic { get; set; }

    [BindProperty]
    public string? PatientId { get; set; }

    public TimeZoneInfo Zone => Clock.LocalTimeZone;

    /// <summary>Only a doctor with a Practitioner record prescribes a target saturation.</summary>
    public static bool MayPrescribe(Principal principal) => principal.Role == StaffRole.Doctor && principal.PractitionerId is not null;

    /// <summary>The patient's SpO2 scale 2 prescription in force at <paramref name="now"/>, the latest if several; null for scale 1.</summary>
    public static async Task<Goal?> InForceAsync(FhirRestService fhir, IFhirAccess access, string patientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var goals = (await PatientReads.SearchAsync(fhir, access, "Goal", [new("patient", patientId), new("_count", "50")], cancellationToken)).Of<Goal>();
        return goals.Where(g => News2Scored.IsScale2Prescription(g, now)).OrderByDescending(g => (g.Start as Date)?.Value, StringComparer.Ordinal).FirstOrDefault();
    }

    /// <summary>"Dr Sam Patel (demo doctor) on 8-Dec-2026".</summary>
    public static string PrescribedBy(Goal goal) =>
        $"{goal.ExpressedBy?.Display ?? goal.ExpressedBy?.Reference ?? "a clinician"}{((goal.Start as Date)?.Value is { } start ? $" on {Ui.ChartDisplay.When(start, TimeZoneInfo.Utc)}" : "")}";

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        RunAsync("read", 'R', id, _ =>
        {
            PatientId = id;
            return Task.FromResult<IActionResult>(Page());
        }, cancellationToken);

    public Task<IActionResult> OnPostStartAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return RunAsync("create", 'C', id, async access =>
        {
            if (!MayPrescribeHere)
            {
                return Refused("Only a doctor can prescribe SpO2 scale 2.");
            }

            if (IsForAnotherPatient(PatientId, id, "prescribe again"))
            {
                return Page();
            }

            if (InForce is not null)
            {
                ModelState.AddModelError(nameof(Hypercapnic), "SpO2 scale 2 is already prescribed for this patient");
                return Page();
            }

            if (!Hypercapnic)
            {
                ModelState.AddModelError(nameof(Hypercapnic), "Confirm that the patient has hypercapnic respiratory failure: scale 2 is only for them");
                return Page();
            }

            var goal = new Goal
            {
                LifecycleStatus = Goal.GoalLifecycleStatus.Active,
                Description = new CodeableConcept { Text = "Target oxygen saturation 88-92% (NEWS2 SpO2 scale 2) for hypercapnic respiratory failure" },
                Subject = new ResourceReference($"Patient/{id}"),
                Start = new Date(Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ExpressedBy = new ResourceReference($"Practitioner/{access.Principal.PractitionerId}", access.Principal.DisplayName),
                StatusDate = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                Target =
                [
                    new Goal.TargetComponent
                    {
                        Measure = new CodeableConcept(VitalSigns.Loinc, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
                        Detail = new Hl7.Fhir.Model.Range
                        {
                            Low = new Quantity { Value = 88, Unit = "%", System = VitalSigns.Ucum, Code = "%" },
                            High = new Quantity { Value = 92, Unit = "%", System = VitalSigns.Ucum, Code = "%" },
                        },
                    },
                ],
            };
            await Fhir.CreateAsync(access, "Goal", goal, null, cancellationToken);
            TempData["Notice"] = "SpO2 scale 2 prescribed (target 88-92%). Sets recorded from now on are scored on scale 2.";
            return RedirectToPage("/Patients/Observations/Record", new { id });
        }, cancellationToken);
    }

    public Task<IActionResult> OnPostStopAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return RunAsync("update", 'U', id, async access =>
        {
            if (!MayPrescribeHere)
            {
                return Refused("Only a doctor can stop SpO2 scale 2.");
            }

            if (IsForAnotherPatient(PatientId, id, "stop it again"))
            {
                return Page();
            }

            var now = Clock.GetUtcNow();
            var goals = (await PatientReads.SearchAsync(Fhir, access, "Goal", [new("patient", id), new("_count", "50")], cancellationToken)).Of<Goal>();
            foreach (var goal in goals.Where(g => News2Scored.IsScale2Prescription(g, now)))
            {
                goal.LifecycleStatus = Goal.GoalLifecycleStatus.Cancelled;
                goal.StatusDate = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                goal.StatusReason = $"Stopped by {access.Principal.DisplayName}";
                await Fhir.UpdateAsync(access, "Goal", goal.Id!, goal, $"W/\"{goal.Meta?.VersionId}\"", cancellationToken);
            }

            TempData["Notice"] = "SpO2 scale 2 stopped. Sets recorded from now on are scored on scale 1.";
            return RedirectToPage("/Patients/Observations/Record", new { id });
        }, cancellationToken);
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Clinical, interaction == "read" ? FhirAction.Read : FhirAction.Create, async access =>
        {
            InForce = await InForceAsync(Fhir, access, id, Clock.GetUtcNow(), cancellationToken);
            MayPrescribeHere = MayPrescribe(access.Principal);
            return await work(access);
        }, cancellationToken);
}

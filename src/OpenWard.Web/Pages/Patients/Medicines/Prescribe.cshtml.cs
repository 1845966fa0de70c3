using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Medicines;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Medicines;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Medicines;

/// <summary>
/// Prescribe for a patient: the form, then the checks panel before signing, every time (what raised
/// an alert, what could not be checked and why, what was checked and passed). A hard stop cannot be
/// signed here; warnings need a coded reason, kept with the order. The order is written through
/// <see cref="FhirRestService"/> with the prescriber's access, so the write path checks it again
/// inside its transaction and stores every alert as a DetectedIssue.
/// </summary>
public sealed class PrescribeModel(FhirRestService fhir, AccessGate gate, TimeProvider time, MedicationRecord record, MedicationChecks checks) : PatientWritePage(fhir, gate, time)
{
    [BindProperty]
    public PrescriptionForm Input { get; set; } = new();

    /// <summary>The checks of the order as entered; null until the prescriber asks.</summary>
    public MedicationCheckResult? Result { get; private set; }

    /// <summary>For a dose per kg, the total for the patient's latest weight ("160 mg for 16 kg, weighed 7 Dec 2026").</summary>
    public string? WeightBasedTotal { get; private set; }

    public IEnumerable<string> FormularyNames => checks.Formulary.Medicines.Select(m => m.Name).Order(StringComparer.OrdinalIgnoreCase);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Input = new PrescriptionForm { PatientId = id };
        return await RunAsync("read", 'R', id, _ => Task.FromResult<IActionResult>(Page()), cancellationToken);
    }

    public async Task<IActionResult> OnPostCheckAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return await RunAsync("read", 'R', id, async access =>
        {
            if (!IsForAnotherPatient(Input.PatientId, id, "enter the prescription again"))
            {
                AddErrors(Input.Validate());
                if (ModelState.ErrorCount == 0)
                    await CheckAsync(access, id, MedicationRequest.MedicationrequestStatus.Draft, cancellationToken);
            }

            return Page();
        }, cancellationToken);
    }

    public async Task<IActionResult> OnPostSignAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return await RunAsync("create", 'C', id, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id, "enter the prescription again"))
                return Page();
            AddErrors(Input.Validate());
            if (ModelState.ErrorCount > 0)
                return Page();

            var order = await CheckAsync(access, id, MedicationRequest.MedicationrequestStatus.Active, cancellationToken);
            var result = Result!;
            if (result.HasHardStop)
            {
                ModelState.AddModelError("Input.Medicine", "This order cannot be signed: a hard stop (below) must be dealt with. Change the order");
                return Page();
            }

            var warned = result.Alerts.Where(a => a.Severity == AlertSeverity.Warning).Select(a => CheckCodes.Of(a.Category)).ToList();
            if (warned.Count > 0)
            {
                if (CdsHooks.CdsCards.OverrideReasons.All(r => r.Code != Input.OverrideReason))
                {
                    ModelState.AddModelError("Input.OverrideReason", "Choose why you are continuing despite the warnings, or change the order");
                    return Page();
                }

                var prescriber = access.Principal.PractitionerId is { } practitioner
                    ? new ResourceReference($"Practitioner/{practitioner}", access.Principal.DisplayName)
                    : new ResourceReference { Display = access.Principal.DisplayName };
                Input.DocumentOverride(order, warned, id, prescriber, Clock.GetUtcNow());
            }

            await Fhir.CreateAsync(access, "MedicationRequest", order, null, cancellationToken);
            TempData[nameof(Chart.MedicinesModel.Notice)] = $"Prescribed: {Input.Medicine!.Trim()}, {order.DosageInstruction[0].Text}.";
            return RedirectToPage("/Patients/Chart/Medicines", new { id });
        }, cancellationToken);
    }

    /// <summary>Runs the checks on the order as entered, against the record read with the user's access.</summary>
    private async Task<MedicationRequest> CheckAsync(RequestAccess access, string id, MedicationRequest.MedicationrequestStatus status, CancellationToken cancellationToken)
    {
        var order = Input.ToOrder(id, access.Principal.PractitionerId, status, Clock.GetUtcNow());
        var patient = await record.ReadAsync(access, id, new Dictionary<string, IReadOnlyList<Resource>>(), cancellationToken);
        Result = checks.Run(order, patient);
        if (Input.Unit?.EndsWith("/kg", StringComparison.Ordinal) == true && Measurements.Weight(patient) is { } weight && Input.DoseValue is { } perKg)
        {
            var unit = PrescriptionForm.Units.Single(u => u.Code == Input.Unit).Display.Replace(" per kg", "", StringComparison.Ordinal);
            WeightBasedTotal = $"{DoseFormat.Number(Input.DoseValue.Value)} {PrescriptionForm.Units.Single(u => u.Code == Input.Unit).Display} is {DoseFormat.Number(Math.Round(perKg * weight.Value, 2))} {unit} for {DoseFormat.Number(weight.Value)} kg (weighed {weight.Describe(patient.Now)})";
        }

        return order;
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Prescribing, FhirAction.Create, work, cancellationToken);
}

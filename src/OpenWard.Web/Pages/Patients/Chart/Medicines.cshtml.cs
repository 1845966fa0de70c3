using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>The Medicines tab: prescriptions (MedicationRequest) and medicines the patient reports taking (MedicationStatement), the latest 100 of each, newest first.</summary>
public sealed class MedicinesModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Medicines;

    public ChartSection<MedicationRequest> Prescribed { get; private set; } = ChartSection.Nothing<MedicationRequest>();

    public ChartSection<MedicationStatement> Reported { get; private set; } = ChartSection.Nothing<MedicationStatement>();

    /// <summary>What the last prescription saved, after the redirect from the prescribing page.</summary>
    [TempData]
    public string? Notice { get; set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        Prescribed = ChartSection.Of<MedicationRequest>(await SearchSectionAsync(access, "MedicationRequest", [new("_sort", "-authoredon"), new("_count", "100")], cancellationToken));
        Reported = ChartSection.Of<MedicationStatement>(await SearchSectionAsync(access, "MedicationStatement", [new("_sort", "-effective"), new("_count", "100")], cancellationToken));
    }, cancellationToken);
}

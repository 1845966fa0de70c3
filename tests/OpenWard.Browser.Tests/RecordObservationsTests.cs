using System.Diagnostics;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// The demo nurse records observations from the chart's Observations tab (issue #19): a full set
/// scores on the spot with its sub-scores, response band and escalation, and shows on the NEWS2
/// chart; an impossible value is a field error and saves nothing; an unusual one asks to be
/// checked first. Each page is scanned with axe. Patients of this test's own, beds 33 and 34 of
/// the nurse's ward.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordObservationsTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_nurse_records_a_full_set_and_sees_an_emergency_score_with_its_sub_scores_and_on_the_chart()
    {
        var patientId = await PatientOnTheWardAsync("aaa-obs-1", "loc-ward-01-bed-33");
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patientId}/observations");
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Record observations" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("You are recording for")).ToContainTextAsync("NHS number");
        await Assertions.Expect(nurse.Page.Locator("#spo2-scale")).ToContainTextAsync("SpO2 scale 1");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        var page = nurse.Page;
        var clock = Stopwatch.StartNew();
        await page.GetByLabel("Respiration rate").FillAsync("26");
        await page.GetByLabel("SpO2", new() { Exact = false }).First.FillAsync("91");
        await page.GetByLabel("Oxygen", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Oxygen device").FillAsync("Nasal cannula");
        await page.GetByLabel("Oxygen flow").FillAsync("2");
        await page.GetByLabel("Systolic blood pressure").FillAsync("100");
        await page.GetByLabel("Diastolic blood pressure").FillAsync("60");
        await page.GetByLabel("Pulse").FillAsync("120");
        await page.GetByLabel("Alert", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Temperature").FillAsync("38.5");
        await BrowserFixture.ScreenshotAsync(page, "record-observations");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and score" }).ClickAsync();

        // 3 + 3 + 2 + 2 + 2 + 0 + 1 (RCP NEWS2 chart 1, scale 1).
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("NEWS2 score 13");
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Recording a full set took {clock.Elapsed.TotalSeconds:0.0} s of interactions");
        await Assertions.Expect(page.Locator("#news2-band")).ToContainTextAsync("emergency response");
        var subScores = page.Locator("#news2-subscores");
        await Assertions.Expect(subScores.Locator("tr", new() { HasText = "Respiration rate" })).ToContainTextAsync("3");
        await Assertions.Expect(subScores.Locator("tr", new() { HasText = "Air or oxygen" })).ToContainTextAsync("2");
        await Assertions.Expect(subScores.Locator("tr", new() { HasText = "Temperature" })).ToContainTextAsync("1");
        await Assertions.Expect(subScores.Locator("tr", new() { HasText = "Consciousness" })).ToContainTextAsync("0");
        await Assertions.Expect(page.Locator("#escalation")).ToContainTextAsync("Critical care outreach");
        await Assertions.Expect(page.GetByText("Incomplete")).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        var saved = await ObservationsAsync(patientId);
        Assert.Equal(7, saved.Count(o => o.Meta?.Tag.Any(t => t.Code == "openward-score") != true));
        Assert.Single(saved.Select(o => (o.Effective as FhirDateTime)?.Value).Distinct());

        await page.GetByRole(AriaRole.Link, new() { Name = "Go to the observations chart" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "NEWS2 chart" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("svg.openward-news2-chart circle.openward-news2-point")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator(".openward-news2__table tbody tr")).ToContainTextAsync("High (score 7 or more): emergency response");
        await Assertions.Expect(page.Locator("table").Last.Locator("tr", new() { HasText = "Blood pressure" })).ToContainTextAsync("100/60 mmHg");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "news2-chart");
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task An_impossible_pulse_saves_nothing_and_an_unusual_saturation_is_checked_before_saving()
    {
        var patientId = await PatientOnTheWardAsync("aaa-obs-2", "loc-ward-01-bed-34");
        await using var nurse = await browser.NewPageAsync();
        // At the bedside, on a phone.
        await nurse.Page.SetViewportSizeAsync(390, 844);
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patientId}/observations/record");
        var page = nurse.Page;

        await page.GetByLabel("Pulse").FillAsync("700");
        await page.GetByLabel("Respiration rate").FillAsync("18");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and score" }).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("The pulse must be between 0 and 300 /min");
        await Assertions.Expect(page.GetByLabel("Respiration rate")).ToHaveValueAsync("18");
        Assert.Empty(await ObservationsAsync(patientId));
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("Pulse").FillAsync("88");
        await page.GetByLabel("SpO2").FillAsync("78");
        await page.GetByLabel("Air", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and score" }).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("A SpO2 of 78 % is unusual");
        await Assertions.Expect(page.GetByLabel("I have checked this value")).Not.ToBeCheckedAsync();
        Assert.Empty(await ObservationsAsync(patientId));
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("I have checked this value").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and score" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("NEWS2 score 3 (incomplete)");
        await Assertions.Expect(page.GetByText("Incomplete — missing:")).ToContainTextAsync("systolic blood pressure, consciousness (ACVPU), temperature");
        await Assertions.Expect(page.Locator("#news2-band")).ToContainTextAsync("Low to medium");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await nurse.GotoAsync($"/patients/{patientId}/observations");
        // Respiration rate, SpO2, pulse and the total: one point each.
        await Assertions.Expect(page.Locator("svg.openward-news2-chart circle.openward-news2-point")).ToHaveCountAsync(4);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task A_doctor_prescribes_SpO2_scale_2_sets_are_then_scored_on_it_and_the_doctor_stops_it()
    {
        var patientId = await PatientOnTheWardAsync("aaa-obs-3", "loc-ward-01-bed-34");
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patientId}/observations/scale2");
        await Assertions.Expect(nurse.Page.GetByText("Only a doctor can prescribe or stop SpO2 scale 2")).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Prescribe SpO2 scale 2" })).ToHaveCountAsync(0);

        await using var doctor = await browser.NewPageAsync();
        await doctor.SignInAsync("doctor");
        await doctor.GotoAsync($"/patients/{patientId}/observations/record");
        var page = doctor.Page;
        await page.GetByRole(AriaRole.Link, new() { Name = "Prescribe SpO2 scale 2" }).ClickAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Prescribe SpO2 scale 2" }).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Confirm that the patient has hypercapnic respiratory failure");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.GetByLabel("The patient has hypercapnic respiratory failure").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Prescribe SpO2 scale 2" }).ClickAsync();

        await Assertions.Expect(page.Locator("#spo2-scale")).ToContainTextAsync("SpO2 scale 2 (target 88 to 92%) is in use: prescribed by Dr Sam Patel (demo doctor) on");
        var goal = Assert.Single((await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "Goal", [new("patient", patientId)], default)).Of<Goal>());
        Assert.Equal(Goal.GoalLifecycleStatus.Active, goal.LifecycleStatus);
        Assert.StartsWith("Practitioner/", goal.ExpressedBy!.Reference, StringComparison.Ordinal);

        // On scale 2, 90% on oxygen scores 0 for SpO2 (88-92) and 2 for the oxygen.
        await page.GetByLabel("Respiration rate").FillAsync("18");
        await page.GetByLabel("SpO2").FillAsync("90");
        await page.GetByLabel("Oxygen", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Oxygen flow").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and score" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("NEWS2 score 2 (incomplete)");
        await Assertions.Expect(page.Locator("#news2-subscores tr", new() { HasText = "SpO2 (scale 2)" })).ToContainTextAsync("0");

        await doctor.GotoAsync($"/patients/{patientId}/observations/scale2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop SpO2 scale 2" }).ClickAsync();
        await Assertions.Expect(page.Locator("#spo2-scale")).ToContainTextAsync("SpO2 scale 1");
        Assert.Equal(Goal.GoalLifecycleStatus.Cancelled, (await PatientReads.ReadAsync<Goal>(Fhir, OperatorAccess.Instance, goal.Id!, default)).LifecycleStatus);
        Assert.Empty(nurse.Problems);
        Assert.Empty(doctor.Problems);
    }

    private async Task<string> PatientOnTheWardAsync(string id, string bed)
    {
        var patient = new Patient
        {
            Id = id,
            Name = [new HumanName { Family = "Observe", Given = [$"Test{id[^1]}"] }],
            Gender = AdministrativeGender.Male,
            BirthDate = "1948-05-02",
        };
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", id, patient, null, default);
        await DemoWard.AdmitAsync(browser.Services, id, bed, TimeSpan.FromDays(1));
        return id;
    }

    private async Task<List<Observation>> ObservationsAsync(string patientId) =>
        [.. (await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "Observation", [new("patient", patientId), new("_count", "100")], default)).Of<Observation>()];
}

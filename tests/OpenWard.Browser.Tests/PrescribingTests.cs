using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// The demo doctor prescribes from the chart's Medicines tab (issue #18): the checks panel shows a
/// warning, what was not checked and what passed before signing; signing a warned order needs a
/// reason, which is kept with the order's alerts; a ten-fold weight-based anticoagulant dose for a
/// child shows its total and is a hard stop that cannot be signed. Each page is scanned with axe.
/// Patients of this test's own, beds 31 and 32 of the doctor's ward.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PrescribingTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_doctor_prescribes_with_a_warning_gives_a_reason_and_the_alert_is_kept_with_it()
    {
        var patientId = await PatientOnTheWardAsync("aaa-prescribe-1", "loc-ward-01-bed-31", "1950-02-11", weightKg: null);
        await Fhir.CreateAsync(OperatorAccess.Instance, "AllergyIntolerance", new AllergyIntolerance { Code = new CodeableConcept { Text = "Penicillin" }, Patient = new ResourceReference($"Patient/{patientId}") }, null, default);
        await using var doctor = await browser.NewPageAsync();
        await doctor.SignInAsync("doctor");

        await doctor.GotoAsync($"/patients/{patientId}/medicines");
        await doctor.Page.GetByRole(AriaRole.Link, new() { Name = "Prescribe a medicine" }).ClickAsync();
        await Assertions.Expect(doctor.Page.GetByText("You are prescribing for")).ToContainTextAsync("NHS number");
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        await doctor.Page.GetByLabel("Medicine", new() { Exact = true }).FillAsync("Amoxicillin");
        await doctor.Page.GetByLabel("Dose", new() { Exact = true }).FillAsync("500");
        await doctor.Page.GetByLabel("How often").SelectOptionAsync("3d");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Check the order" }).ClickAsync();

        var warning = doctor.Page.Locator(".nhsuk-warning-callout").Filter(new() { HasText = "warning" });
        await Assertions.Expect(warning).ToContainTextAsync("Allergy: Amoxicillin contains amoxicillin");
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-warning-callout").Filter(new() { HasText = "Not checked" })).ToContainTextAsync("Do not take them as passed");
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Heading, new() { Name = "Checked and passed" })).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Page.GetByText("illustrative, not approved by a pharmacist")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the prescription" }).ClickAsync();
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Choose why you are continuing despite the warnings");
        await Assertions.Expect(doctor.Page.GetByLabel("Medicine", new() { Exact = true })).ToHaveValueAsync("Amoxicillin");
        Assert.Empty(await OrdersAsync(patientId));
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        await doctor.Page.GetByLabel("Why are you continuing despite the warnings?").SelectOptionAsync("allergy-not-true");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the prescription" }).ClickAsync();

        await Assertions.Expect(doctor.Page.GetByText("Prescribed: Amoxicillin, 500 mg three times a day.")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Amoxicillin" })).ToBeVisibleAsync();
        var order = Assert.Single(await OrdersAsync(patientId));
        Assert.Equal(MedicationRequest.MedicationrequestStatus.Active, order.Status);
        var issues = (await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "DetectedIssue", [new("patient", patientId)], default)).Of<DetectedIssue>();
        var allergy = Assert.Single(issues, i => i.Code?.Coding.Any(c => c.Code == "allergy") == true);
        Assert.Equal("allergy-not-true", allergy.Mitigation.Single().Action!.Coding.Single().Code);
        Assert.Equal("Dr Sam Patel (demo doctor)", allergy.Mitigation.Single().Author!.Display);
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);
        Assert.Empty(doctor.Problems);
    }

    [Fact]
    public async Task A_ten_fold_anticoagulant_dose_for_a_child_shows_its_total_and_cannot_be_signed()
    {
        var born = DateTime.UtcNow.AddYears(-4).AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var patientId = await PatientOnTheWardAsync("aaa-prescribe-2", "loc-ward-01-bed-32", born, weightKg: 16);
        await using var doctor = await browser.NewPageAsync();
        await doctor.SignInAsync("doctor");
        await doctor.GotoAsync($"/patients/{patientId}/medicines/prescribe");

        await doctor.Page.GetByLabel("Medicine", new() { Exact = true }).FillAsync("Enoxaparin");
        await doctor.Page.GetByLabel("Dose", new() { Exact = true }).FillAsync("10");
        await doctor.Page.GetByLabel("Dose unit", new() { Exact = true }).SelectOptionAsync("mg/kg");
        await doctor.Page.GetByLabel("Route").SelectOptionAsync("subcutaneous");
        await doctor.Page.GetByLabel("How often").SelectOptionAsync("2d");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Check the order" }).ClickAsync();

        await Assertions.Expect(doctor.Page.GetByText("10 mg per kg is 160 mg for 16 kg")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Cannot be signed");
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Overdose: Enoxaparin 10 mg/kg");
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the prescription" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        // A medicine without a dose rule says so, as plainly as an alert.
        await doctor.Page.GetByLabel("Medicine", new() { Exact = true }).FillAsync("Warfarin");
        await doctor.Page.GetByLabel("Dose", new() { Exact = true }).FillAsync("1");
        await doctor.Page.GetByLabel("Dose unit", new() { Exact = true }).SelectOptionAsync("mg");
        await doctor.Page.GetByLabel("Route").SelectOptionAsync("oral");
        await doctor.Page.GetByLabel("How often").SelectOptionAsync("1d");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Check the order" }).ClickAsync();
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-warning-callout").Filter(new() { HasText = "Not checked" })).ToContainTextAsync("no dose rule for Warfarin");
        await doctor.Page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "prescribing-not-checked.png"), FullPage = true });
        Assert.Empty(await OrdersAsync(patientId));
        Assert.Empty(doctor.Problems);
    }

    private async Task<string> PatientOnTheWardAsync(string id, string bed, string birthDate, decimal? weightKg)
    {
        var patient = new Patient
        {
            Id = id,
            Name = [new HumanName { Family = "Prescribe", Given = [$"Test{id[^1]}"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = birthDate,
        };
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", id, patient, null, default);
        if (weightKg is { } kg)
        {
            await Fhir.UpdateAsync(OperatorAccess.Instance, "Observation", $"{id}-weight", new Observation
            {
                Id = $"{id}-weight",
                Status = ObservationStatus.Final,
                Code = new CodeableConcept("http://loinc.org", "29463-7", "Body weight"),
                Subject = new ResourceReference($"Patient/{id}"),
                Effective = new FhirDateTime(DateTimeOffset.UtcNow.AddHours(-2)),
                Value = new Quantity { Value = kg, Unit = "kg", System = "http://unitsofmeasure.org", Code = "kg" },
            }, null, default);
        }

        foreach (var old in await OrdersAsync(id))
        {
            old.Status = MedicationRequest.MedicationrequestStatus.EnteredInError;
            await Fhir.UpdateAsync(OperatorAccess.Instance, "MedicationRequest", old.Id!, old, null, default);
        }

        await DemoWard.AdmitAsync(browser.Services, id, bed, TimeSpan.FromDays(1));
        return id;
    }

    private async Task<List<MedicationRequest>> OrdersAsync(string patientId) =>
        [.. (await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "MedicationRequest", [new("patient", patientId), new("status:not", "entered-in-error")], default)).Of<MedicationRequest>()];
}

using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Recording a problem, as the demo doctor does: from the Problems tab she searches for the problem,
/// saves without choosing one and is told so (keeping her search and choices), chooses a SNOMED CT
/// result with an impossible onset and is told so, then saves it with only the year it started and
/// sees it on the tab. Each page is scanned with axe. A patient of this test's own, bed 25.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordProblemTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_doctor_searches_chooses_and_records_a_coded_problem()
    {
        const string patientId = "aaa-problem-1";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", patientId, new Patient { Id = patientId, Name = [new HumanName { Family = "Problem", Given = ["Test"] }], Gender = AdministrativeGender.Female, BirthDate = "1955-02-03" }, null, default);
        await DemoWard.AdmitAsync(browser.Services, patientId, "loc-ward-01-bed-25", TimeSpan.FromDays(1));
        await using var doctor = await browser.NewPageAsync();
        await doctor.SignInAsync("doctor");

        await doctor.GotoAsync($"/patients/{patientId}/problems");
        await doctor.Page.GetByRole(AriaRole.Link, new() { Name = "Record a problem or diagnosis" }).ClickAsync();
        await Assertions.Expect(doctor.Page.GetByText("You are recording a problem for")).ToContainTextAsync("NHS number");
        await doctor.Page.GetByLabel("Find the problem").FillAsync("diab typ");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(doctor.Page.GetByLabel("Diabetes mellitus type 2")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);
        await BrowserFixture.ScreenshotAsync(doctor.Page, "record-problem");

        await doctor.Page.GetByLabel("Provisional").CheckAsync();
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Search for the problem and select it, or enter it in words");
        await Assertions.Expect(doctor.Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await Assertions.Expect(doctor.Page.GetByLabel("Provisional")).ToBeCheckedAsync();
        await Assertions.Expect(doctor.Page.GetByLabel("Diabetes mellitus type 2")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        await doctor.Page.GetByLabel("Diabetes mellitus type 2").CheckAsync();
        await doctor.Page.GetByLabel("Month").FillAsync("13");
        await doctor.Page.GetByLabel("Year").FillAsync("2019");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("The date it started must be a real date");
        await Assertions.Expect(doctor.Page.GetByLabel("Diabetes mellitus type 2")).ToBeCheckedAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);
        await doctor.Page.GetByLabel("Month").FillAsync("");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(doctor.Page.GetByText("Problem recorded: Diabetes mellitus type 2.")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Diabetes mellitus type 2" })).ToContainTextAsync("Provisional");
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Diabetes mellitus type 2" })).ToContainTextAsync("2019");
        var found = await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "Condition", [new("patient", patientId)], default);
        var saved = Assert.Single(found.Of<Condition>());
        Assert.Equal("44054006", saved.Code!.Coding.Single().Code);
        Assert.Equal("2019", Assert.IsType<FhirDateTime>(saved.Onset).Value);
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);
        Assert.Empty(doctor.Problems);
    }

    [Fact]
    public async Task A_search_with_no_match_says_so_and_the_problem_is_recorded_in_words()
    {
        const string patientId = "aaa-problem-2";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", patientId, new Patient { Id = patientId, Name = [new HumanName { Family = "Problem", Given = ["Second"] }], Gender = AdministrativeGender.Male, BirthDate = "1961-07-08" }, null, default);
        await DemoWard.AdmitAsync(browser.Services, patientId, "loc-ward-01-bed-26", TimeSpan.FromDays(1));
        await using var doctor = await browser.NewPageAsync();
        await doctor.SignInAsync("doctor");

        await doctor.GotoAsync($"/patients/{patientId}/problems/new?q=zzzz");
        await Assertions.Expect(doctor.Page.GetByText("No problems match \"zzzz\"")).ToBeVisibleAsync();
        await doctor.Page.GetByLabel("Or enter the problem in words").FillAsync("Fell from a ladder at home");
        await doctor.Page.GetByLabel("Diagnosis").CheckAsync();
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(doctor.Page.GetByText("Problem recorded: Fell from a ladder at home.")).ToBeVisibleAsync();
        var found = await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "Condition", [new("patient", patientId)], default);
        var saved = Assert.Single(found.Of<Condition>());
        Assert.Empty(saved.Code!.Coding);
        Assert.Equal("Fell from a ladder at home", saved.Code.Text);
        Assert.Equal("encounter-diagnosis", saved.Category.Single().Coding.Single().Code);
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);
        Assert.Empty(doctor.Problems);
    }

    [Fact]
    public async Task A_nurse_who_does_not_care_for_the_patient_is_refused_and_sees_no_form()
    {
        var patientId = await DemoWard.PatientWithoutNurseAsync(browser.Services);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        var response = await nurse.GotoAsync($"/patients/{patientId}/problems/new?q=diab");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot record problems for this patient" })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
    }
}

using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Terminology;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Changing a problem and marking one entered in error, as the demo doctor does from the chart's
/// Problems tab: a change without a reason is refused (keeping what she chose), a change with one is
/// saved as a new version with its reason in the history and leaves the summary's active problems;
/// a change to a problem someone else changed after she opened the form is refused and shows theirs;
/// entered in error keeps the problem in the tab, marked, without links. Each page is scanned with
/// axe. Patients of this test's own, beds 19 and 20.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EditProblemTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_doctor_resolves_a_problem_with_a_reason_and_marks_another_entered_in_error()
    {
        var patientId = await PatientOnTheWardAsync("aaa-problem-3", "loc-ward-01-bed-19");
        await RecordAsync(patientId, "195967001");
        await RecordAsync(patientId, "49436004");
        await using var doctor = await browser.NewPageAsync();
        await doctor.SignInAsync("doctor");

        await doctor.GotoAsync($"/patients/{patientId}/problems");
        await doctor.Page.GetByRole(AriaRole.Link, new() { Name = "Change Asthma" }).ClickAsync();
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Asthma");
        await Assertions.Expect(doctor.Page.GetByText("You are changing a problem record of")).ToContainTextAsync("NHS number");
        await Assertions.Expect(doctor.Page.GetByLabel("Active", new() { Exact = true })).ToBeCheckedAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        await doctor.Page.GetByLabel("Resolved").CheckAsync();
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter why you are changing the problem");
        await Assertions.Expect(doctor.Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await Assertions.Expect(doctor.Page.GetByLabel("Resolved")).ToBeCheckedAsync();
        Assert.Equal("active", (await ProblemAsync(patientId, "195967001")).ClinicalStatus!.Coding.Single().Code);
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        await doctor.Page.GetByLabel("Why are you changing it?").FillAsync("No symptoms or inhaler use for five years");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();

        await Assertions.Expect(doctor.Page.GetByText("Problem changed: Asthma.")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Asthma" })).ToContainTextAsync("Resolved");
        var changed = await ProblemAsync(patientId, "195967001");
        Assert.Equal(("2", "resolved"), (changed.Meta?.VersionId, changed.ClinicalStatus!.Coding.Single().Code));
        Assert.Equal("Changed: No symptoms or inhaler use for five years", changed.Note.Single().Text);
        await doctor.GotoAsync($"/patients/{patientId}");
        await Assertions.Expect(doctor.Page.Locator("main")).ToContainTextAsync("Atrial fibrillation");
        await Assertions.Expect(doctor.Page.Locator("main")).Not.ToContainTextAsync("Asthma");

        await doctor.GotoAsync($"/patients/{patientId}/problems");
        await doctor.Page.GetByRole(AriaRole.Link, new() { Name = "Change Asthma" }).ClickAsync();
        var history = doctor.Page.Locator("table").Filter(new() { HasText = "History of this problem" });
        await Assertions.Expect(history.Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(history).ToContainTextAsync("Changed: No symptoms or inhaler use for five years");
        await BrowserFixture.ScreenshotAsync(doctor.Page, "change-problem");

        await doctor.GotoAsync($"/patients/{patientId}/problems");
        await doctor.Page.GetByRole(AriaRole.Link, new() { Name = "Entered in error for Atrial fibrillation" }).ClickAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as entered in error" }).ClickAsync();
        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter why the problem was entered in error");
        await doctor.Page.GetByLabel("Why was it entered in error?").FillAsync("Belongs to the patient in the next bed");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as entered in error" }).ClickAsync();

        await Assertions.Expect(doctor.Page.GetByText("Marked as entered in error: Atrial fibrillation.")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Atrial fibrillation" })).ToContainTextAsync("Entered in error");
        await Assertions.Expect(doctor.Page.GetByRole(AriaRole.Link, new() { Name = "Change Atrial fibrillation" })).ToHaveCountAsync(0);
        var wrong = await ProblemAsync(patientId, "49436004");
        Assert.Null(wrong.ClinicalStatus);
        Assert.Equal("entered-in-error", wrong.VerificationStatus!.Coding.Single().Code);
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);
        Assert.Empty(doctor.Problems);
    }

    [Fact]
    public async Task A_change_to_a_problem_someone_else_changed_meanwhile_is_refused_and_shows_theirs()
    {
        var patientId = await PatientOnTheWardAsync("aaa-problem-4", "loc-ward-01-bed-20");
        var problem = await RecordAsync(patientId, "38341003");
        await using var doctor = await browser.NewPageAsync();
        await doctor.SignInAsync("doctor");
        await doctor.GotoAsync($"/patients/{patientId}/problems/{problem.Id}/edit");

        // A colleague on another computer makes it provisional after the doctor opened the form.
        var theirs = ProblemChangeForm.From(problem, patientId);
        theirs.VerificationStatus = "provisional";
        theirs.Reason = "Only one raised reading";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Condition", problem.Id!, theirs.Changed(problem, null, "Dr Other", DateTimeOffset.UtcNow), null, default);

        await doctor.Page.GetByLabel("Inactive").CheckAsync();
        await doctor.Page.GetByLabel("Why are you changing it?").FillAsync("Normal readings off treatment");
        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();

        await Assertions.Expect(doctor.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Someone else changed this problem after you opened the form");
        var warning = doctor.Page.Locator(".nhsuk-warning-callout");
        await Assertions.Expect(warning).ToContainTextAsync("Active, Provisional");
        await Assertions.Expect(warning).ToContainTextAsync("Only one raised reading");
        await Assertions.Expect(doctor.Page.GetByLabel("Inactive")).ToBeCheckedAsync();
        Assert.Equal(("2", "active"), ((await ProblemAsync(patientId, "38341003")).Meta?.VersionId, (await ProblemAsync(patientId, "38341003")).ClinicalStatus!.Coding.Single().Code));
        await BrowserFixture.AssertNoAxeViolationsAsync(doctor.Page);

        await doctor.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();
        await Assertions.Expect(doctor.Page.GetByText("Problem changed: Hypertensive disorder, systemic arterial.")).ToBeVisibleAsync();
        var saved = await ProblemAsync(patientId, "38341003");
        Assert.Equal(("3", "inactive"), (saved.Meta?.VersionId, saved.ClinicalStatus!.Coding.Single().Code));
        Assert.Equal(["Changed: Only one raised reading", "Changed: Normal readings off treatment"], saved.Note.Select(n => n.Text));
    }

    /// <summary>A patient of this test's own (illustrative), admitted now to <paramref name="bed"/> of the demo ward.</summary>
    private async Task<string> PatientOnTheWardAsync(string id, string bed)
    {
        var patient = new Patient { Id = id, Name = [new HumanName { Family = "Problem", Given = [$"Test{id[^1]}"] }], Gender = AdministrativeGender.Female, BirthDate = "1950-01-20" };
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", id, patient, null, default);
        await DemoWard.AdmitAsync(browser.Services, id, bed, TimeSpan.FromDays(1));
        return id;
    }

    /// <summary>An active, confirmed problem list item recorded as the record form would, returned as stored.</summary>
    private async Task<Condition> RecordAsync(string patientId, string code)
    {
        var form = new ProblemForm { Code = code, Category = "problem-list-item", ClinicalStatus = "active", VerificationStatus = "confirmed" };
        await Fhir.CreateAsync(OperatorAccess.Instance, "Condition", form.ToResource(ProblemTerminology.Subset(), patientId, null, DateTimeOffset.UtcNow.AddDays(-1)), null, default);
        return await ProblemAsync(patientId, code);
    }

    private async Task<Condition> ProblemAsync(string patientId, string code)
    {
        var found = await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "Condition", [new("patient", patientId), new("_count", "100")], default);
        return found.Of<Condition>().Single(c => c.Code?.Coding.Any(coding => coding.Code == code) == true);
    }
}

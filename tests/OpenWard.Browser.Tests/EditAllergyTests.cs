using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Security.Policy;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Changing an allergy and marking one entered in error, as the demo nurse does from the chart's
/// Allergies tab: a change without a reason is refused (keeping what she chose), a change with one is
/// saved as a new version with its reason in the history; a change made on an allergy someone else
/// changed after she opened the form is refused and shows theirs; entered in error takes the allergy
/// out of the banner. Each page is scanned with axe. Patients of this test's own, beds 27 and 28.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EditAllergyTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_nurse_changes_an_allergy_with_a_reason_and_then_marks_another_entered_in_error()
    {
        var patientId = await PatientOnTheNursesWardAsync("aaa-allergy-1", "loc-ward-01-bed-27");
        await RecordAsync(patientId, "Penicillin", "39579001", "severe");
        await RecordAsync(patientId, "Walnut", null, null);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        await nurse.GotoAsync($"/patients/{patientId}/allergies");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" })).ToContainTextAsync("Walnut");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Change Penicillin" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Penicillin");
        await Assertions.Expect(nurse.Page.GetByText("You are changing an allergy record of")).ToContainTextAsync("NHS number");
        await Assertions.Expect(nurse.Page.GetByLabel("Reaction (optional)")).ToHaveValueAsync("39579001");
        await Assertions.Expect(nurse.Page.GetByLabel("Severe")).ToBeCheckedAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        await nurse.Page.GetByLabel("Moderate").CheckAsync();
        await nurse.Page.GetByLabel("Low risk").CheckAsync();
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();

        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter why you are changing the allergy");
        await Assertions.Expect(nurse.Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await Assertions.Expect(nurse.Page.GetByLabel("Moderate")).ToBeCheckedAsync();
        await Assertions.Expect(nurse.Page.GetByLabel("Low risk")).ToBeCheckedAsync();
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceSeverity.Severe, (await AllergyAsync(patientId, "Penicillin")).Reaction[0].Severity);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        await nurse.Page.GetByLabel("Why are you changing it?").FillAsync("Reaction described by the patient's GP");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();

        await Assertions.Expect(nurse.Page.GetByText("Allergy changed: Penicillin.")).ToBeVisibleAsync();
        Assert.EndsWith($"/patients/{patientId}/allergies", nurse.Page.Url, StringComparison.Ordinal);
        var changed = await AllergyAsync(patientId, "Penicillin");
        Assert.Equal(("2", AllergyIntolerance.AllergyIntoleranceSeverity.Moderate, AllergyIntolerance.AllergyIntoleranceCriticality.Low), (changed.Meta?.VersionId, changed.Reaction[0].Severity, changed.Criticality));
        Assert.Equal("Changed: Reaction described by the patient's GP", changed.Note.Single().Text);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Penicillin" })).ToContainTextAsync("Anaphylaxis (Moderate)");

        // The change page now shows both versions, with the reason.
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Change Penicillin" }).ClickAsync();
        var history = nurse.Page.Locator("table").Filter(new() { HasText = "History of this allergy" });
        await Assertions.Expect(history.Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(history).ToContainTextAsync("Changed: Reaction described by the patient's GP");

        await nurse.GotoAsync($"/patients/{patientId}/allergies");
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Entered in error for Walnut" }).ClickAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as entered in error" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter why the allergy was entered in error");
        await nurse.Page.GetByLabel("Why was it entered in error?").FillAsync("Walnut allergy belongs to the patient in the next bed");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as entered in error" }).ClickAsync();

        await Assertions.Expect(nurse.Page.GetByText("Marked as entered in error: Walnut.")).ToBeVisibleAsync();
        var banner = nurse.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" });
        await Assertions.Expect(banner).ToContainTextAsync("Penicillin");
        await Assertions.Expect(banner).Not.ToContainTextAsync("Walnut");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Walnut" })).ToContainTextAsync("Entered in error");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Change Walnut" })).ToHaveCountAsync(0);
        var walnut = await AllergyAsync(patientId, "Walnut");
        Assert.Null(walnut.ClinicalStatus);
        Assert.Equal("entered-in-error", walnut.VerificationStatus!.Coding.Single().Code);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task A_change_to_an_allergy_someone_else_changed_meanwhile_is_refused_and_shows_theirs()
    {
        var patientId = await PatientOnTheNursesWardAsync("aaa-allergy-2", "loc-ward-01-bed-28");
        var allergy = await RecordAsync(patientId, "Latex", "40275004", "mild");
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patientId}/allergies/{allergy.Id}/edit");

        // A doctor on another computer confirms it as resolved after the nurse opened the form.
        var theirs = AllergyChangeForm.From(allergy, patientId);
        theirs.ClinicalStatus = "resolved";
        theirs.Reason = "Tolerated latex gloves in theatre";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "AllergyIntolerance", allergy.Id!, theirs.Changed(allergy, null, "Dr Other", DateTimeOffset.UtcNow), null, default);

        await nurse.Page.GetByLabel("High risk").CheckAsync();
        await nurse.Page.GetByLabel("Why are you changing it?").FillAsync("Patient reports worse reaction");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();

        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Someone else changed this allergy after you opened the form");
        var warning = nurse.Page.Locator(".nhsuk-warning-callout");
        await Assertions.Expect(warning).ToContainTextAsync("Nothing was saved");
        await Assertions.Expect(warning).ToContainTextAsync("Tolerated latex gloves in theatre");
        await Assertions.Expect(nurse.Page.GetByLabel("High risk")).ToBeCheckedAsync();
        await Assertions.Expect(nurse.Page.GetByLabel("Why are you changing it?")).ToHaveValueAsync("Patient reports worse reaction");
        var stored = await AllergyAsync(patientId, "Latex");
        Assert.Equal(("2", "resolved", null), (stored.Meta?.VersionId, stored.ClinicalStatus!.Coding.Single().Code, stored.Criticality));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        // Saving again is now a decision made knowing theirs, on the current version.
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save the change" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("Allergy changed: Latex.")).ToBeVisibleAsync();
        var saved = await AllergyAsync(patientId, "Latex");
        Assert.Equal(("3", AllergyIntolerance.AllergyIntoleranceCriticality.High), (saved.Meta?.VersionId, saved.Criticality));
        Assert.Equal(["Changed: Tolerated latex gloves in theatre", "Changed: Patient reports worse reaction"], saved.Note.Select(n => n.Text));
    }

    [Fact]
    public async Task Another_patients_allergy_is_not_found_at_this_patients_address()
    {
        var patientId = await PatientOnTheNursesWardAsync("aaa-allergy-2", "loc-ward-01-bed-28");
        var other = await PatientOnTheNursesWardAsync("aaa-allergy-1", "loc-ward-01-bed-27");
        var othersAllergy = await RecordAsync(other, "Aspirin", null, null);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        var response = await nurse.GotoAsync($"/patients/{patientId}/allergies/{othersAllergy.Id}/edit");

        Assert.Equal(404, response!.Status);
    }

    /// <summary>A patient of this test's own (illustrative), admitted now to <paramref name="bed"/> of the nurse's ward.</summary>
    private async Task<string> PatientOnTheNursesWardAsync(string id, string bed)
    {
        if (await DemoWard.NurseRelationshipAsync(browser.Services, id) != Relationship.None)
        {
            return id;
        }

        var patient = new Patient
        {
            Id = id,
            Name = [new HumanName { Family = "Allergy", Given = [$"Test{id[^1]}"] }],
            Gender = AdministrativeGender.Male,
            BirthDate = "1948-06-30",
        };
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", id, patient, null, default);
        await DemoWard.AdmitAsync(browser.Services, id, bed, TimeSpan.FromDays(1));
        return id;
    }

    /// <summary>An allergy recorded a day ago as the record form would, returned as stored.</summary>
    private async Task<AllergyIntolerance> RecordAsync(string patientId, string substance, string? reactionCode, string? severity)
    {
        var form = new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = substance, ReactionCode = reactionCode, Severity = severity };
        await Fhir.CreateAsync(OperatorAccess.Instance, "AllergyIntolerance", form.ToResource(patientId, null, DateTimeOffset.UtcNow.AddDays(-1)), null, default);
        return await AllergyAsync(patientId, substance);
    }

    private async Task<AllergyIntolerance> AllergyAsync(string patientId, string substance)
    {
        var found = await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "AllergyIntolerance", [new("patient", patientId), new("_count", "100")], default);
        return found.Of<AllergyIntolerance>().Single(a => a.Code?.Text == substance);
    }
}

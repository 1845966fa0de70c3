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
/// Recording an allergy, as the demo nurse does on admission: from the record of a patient on her
/// ward she opens the form, saves it without the substance and is told what is missing (keeping what
/// she typed), then saves it properly and sees the allergy in the banner. A form whose hidden patient
/// id does not match the address saves nothing. The form is scanned with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RecordAllergyTests(BrowserFixture browser)
{
    /// <summary>A bed of the nurse's ward that FindPatientTests (bed 24) does not use.</summary>
    private const string Bed = "loc-ward-01-bed-23";

    [Fact]
    public async Task The_nurse_records_an_allergy_after_fixing_a_missing_substance_and_the_banner_shows_it()
    {
        var patientId = await PatientOnTheNursesWardAsync();
        // An earlier "no known allergies", which the new allergy makes untrue.
        var noneKnown = new AllergyForm { Statement = AllergyForm.NoKnownAllergiesStatement }.ToResource(patientId, null, DateTimeOffset.UtcNow.AddDays(-30));
        await browser.Services.GetRequiredService<FhirRestService>().CreateAsync(OperatorAccess.Instance, "AllergyIntolerance", noneKnown, null, default);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        await nurse.GotoAsync($"/patients/{patientId}");
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Record an allergy or no known allergies" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Record an allergy", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.GetByText("You are recording an allergy for")).ToContainTextAsync("NHS number");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        await nurse.Page.GetByLabel("An allergy to a substance").CheckAsync();
        await nurse.Page.GetByLabel("Other reaction").FillAsync("Swollen lips");
        await nurse.Page.GetByLabel("Moderate").CheckAsync();
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select or enter the substance the patient is allergic to");
        await Assertions.Expect(nurse.Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await Assertions.Expect(nurse.Page.GetByLabel("Other reaction")).ToHaveValueAsync("Swollen lips");
        await Assertions.Expect(nurse.Page.GetByLabel("Moderate")).ToBeCheckedAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        await nurse.Page.GetByLabel("Other substance").FillAsync("Chlorhexidine");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(nurse.Page.GetByText("Allergy recorded: Chlorhexidine.")).ToBeVisibleAsync();
        Assert.EndsWith($"/patients/{patientId}", nurse.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" })).ToContainTextAsync("Chlorhexidine");
        var saved = (await AllergiesAsync(patientId)).Single(a => a.Code?.Text == "Chlorhexidine");
        Assert.Equal("Swollen lips", saved.Reaction.Single().Manifestation.Single().Text);
        Assert.Equal(AllergyIntolerance.AllergyIntoleranceSeverity.Moderate, saved.Reaction[0].Severity);
        Assert.DoesNotContain(await AllergiesAsync(patientId), a => PatientBanner.IsNoKnownAllergy(a) && PatientBanner.IsCurrent(a));

        // "No known allergies" now contradicts the record and is refused.
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Record an allergy or no known allergies" }).ClickAsync();
        await nurse.Page.GetByLabel("No known allergies").CheckAsync();
        var before = (await AllergiesAsync(patientId)).Count;
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("you cannot record no known allergies");
        Assert.Equal(before, (await AllergiesAsync(patientId)).Count);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task A_form_posted_with_another_patients_id_saves_nothing()
    {
        var patientId = await PatientOnTheNursesWardAsync();
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patientId}/allergies/new");

        await nurse.Page.Locator("input[name='Input.PatientId']").EvaluateAsync("field => field.value = 'some-other-patient'");
        await nurse.Page.GetByLabel("An allergy to a substance").CheckAsync();
        await nurse.Page.GetByLabel("Other substance").FillAsync("Wrong-patient test substance");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("This form was opened for a different patient");
        await Assertions.Expect(nurse.Page.GetByText("Nothing was saved")).ToBeVisibleAsync();
        Assert.DoesNotContain(await AllergiesAsync(patientId), a => a.Code?.Text == "Wrong-patient test substance");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
    }

    [Fact]
    public async Task A_patient_the_nurse_does_not_care_for_gets_a_clear_refusal_and_no_form()
    {
        var patientId = await DemoWard.PatientWithoutNurseAsync(browser.Services);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        var response = await nurse.GotoAsync($"/patients/{patientId}/allergies/new");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot record allergies for this patient" })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
    }

    /// <summary>A patient the nurse cares for; when there is none yet, the second-last demo patient is admitted to bed 23 of her ward.</summary>
    private async Task<string> PatientOnTheNursesWardAsync()
    {
        var patients = await DemoWard.PatientIdsAsync(browser.Services);
        foreach (var id in patients)
        {
            if (await DemoWard.NurseRelationshipAsync(browser.Services, id) != Relationship.None)
            {
                return id;
            }
        }

        await DemoWard.AdmitAsync(browser.Services, patients[^2], Bed, TimeSpan.FromDays(1));
        return patients[^2];
    }

    private async Task<IReadOnlyList<AllergyIntolerance>> AllergiesAsync(string patientId)
    {
        var found = await PatientReads.SearchAsync(browser.Services.GetRequiredService<FhirRestService>(), OperatorAccess.Instance, "AllergyIntolerance", [new("patient", patientId), new("_count", "100")], default);
        return [.. found.Of<AllergyIntolerance>()];
    }
}

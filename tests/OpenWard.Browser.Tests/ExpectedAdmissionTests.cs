using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Security.Policy;
using OpenWard.Web.Hosting;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// An admission arranged ahead: the outpatient doctor, who may see her referred patient, arranges an
/// admission to the demo ward; the demo nurse, who had no relationship with the patient, sees them
/// under "Expected" on My patients, opens their record without break-glass and admits them into the
/// same encounter. Uses bed 7 of loc-ward-01 and patients of its own. Every page is scanned with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ExpectedAdmissionTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_doctor_arranges_an_admission_and_the_nurse_admits_the_expected_patient_without_break_glass()
    {
        const string patientId = "aaa-expected-1";
        await ReferredPatientAsync(patientId, "Expected", "Ada");
        Assert.Equal(Relationship.None, await DemoWard.NurseRelationshipAsync(browser.Services, patientId));

        await using var clinic = await browser.NewPageAsync();
        await clinic.SignInAsync("clinic");
        await clinic.GotoAsync($"/patients/{patientId}/encounters");
        await clinic.Page.GetByRole(AriaRole.Link, new() { Name = "Arrange an admission" }).ClickAsync();
        await Assertions.Expect(clinic.Page.GetByText("You are arranging an admission for")).ToContainTextAsync("EXPECTED, Ada");
        await clinic.Page.Locator("#Date").FillAsync("1/1/2020");
        await clinic.Page.Locator("#Time").FillAsync("10:00");
        await clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Arrange admission" }).ClickAsync();
        var summary = clinic.Page.Locator(".nhsuk-error-summary");
        await Assertions.Expect(summary).ToContainTextAsync("Select the ward the patient is expected on");
        await Assertions.Expect(summary).ToContainTextAsync("today or later");
        await BrowserFixture.AssertNoAxeViolationsAsync(clinic.Page);

        await clinic.Page.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync("loc-ward-01");
        await clinic.Page.Locator("#Date").FillAsync(DateTime.Now.ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await clinic.Page.Locator("#Time").FillAsync("23:59");
        await clinic.Page.GetByLabel("Consultant (optional)").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await clinic.Page.GetByLabel("Reason for admission (optional)").FillAsync("Exacerbation of asthma, from clinic");
        await BrowserFixture.ScreenshotAsync(clinic.Page, "arrange-admission");
        await clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Arrange admission" }).ClickAsync();
        await Assertions.Expect(clinic.Page.GetByText("The patient is expected on")).ToBeVisibleAsync();
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Heading, new() { Name = "Inpatient encounter: planned" })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(clinic.Page);
        var planned = Assert.Single(await EncountersAsync(patientId));
        Assert.Equal(Encounter.EncounterStatus.Planned, planned.Status);

        // The nurse: the patient is expected on her ward, and their record opens without break-glass.
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync("/patients");
        var expected = nurse.Page.GetByRole(AriaRole.Table).Filter(new() { Has = nurse.Page.GetByRole(AriaRole.Columnheader, new() { Name = "Expected" }) });
        var row = expected.GetByRole(AriaRole.Row).Filter(new() { HasText = "EXPECTED, Ada" });
        await Assertions.Expect(row).ToContainTextAsync("Exacerbation of asthma, from clinic");
        await Assertions.Expect(row).ToContainTextAsync("23:59");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "my-patients-expected");
        var record = await nurse.GotoAsync($"/patients/{patientId}");
        Assert.Equal(200, record!.Status);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "You need a reason to open this record" })).ToHaveCountAsync(0);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" })).ToBeVisibleAsync();

        await nurse.GotoAsync("/patients");
        await row.GetByRole(AriaRole.Link, new() { Name = "Admit EXPECTED, Ada" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("This patient is expected on")).ToContainTextAsync("Admitting them completes this expected admission");
        await Assertions.Expect(nurse.Page.GetByLabel("Admitting consultant")).Not.ToHaveValueAsync("");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await nurse.Page.Locator("#Bed").SelectOptionAsync("loc-ward-01-bed-07");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Admit" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("Admitted to")).ToContainTextAsync("bed 7");

        // One encounter: the planned one, now in progress, with its reason; off the expected list, on the ward list.
        var admitted = Assert.Single(await EncountersAsync(patientId));
        Assert.Equal(planned.Id, admitted.Id);
        Assert.Equal(Encounter.EncounterStatus.InProgress, admitted.Status);
        Assert.Equal("Exacerbation of asthma, from clinic", admitted.ReasonCode.Single().Text);
        await nurse.GotoAsync("/patients");
        await Assertions.Expect(nurse.Page.Locator("tr", new() { HasText = "EXPECTED, Ada" })).ToContainTextAsync("Bed 7");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Admit EXPECTED, Ada" })).ToHaveCountAsync(0);
        Assert.Empty(clinic.Problems);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task A_second_admission_cannot_be_arranged_and_a_cancelled_one_leaves_the_ward_list()
    {
        const string patientId = "aaa-expected-2";
        await ReferredPatientAsync(patientId, "Cancelled", "Ben");
        await using var clinic = await browser.NewPageAsync();
        await clinic.SignInAsync("clinic");
        await clinic.GotoAsync($"/patients/{patientId}/expect");
        await clinic.Page.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync("loc-ward-01");
        await clinic.Page.Locator("#Time").FillAsync("23:58");
        await clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Arrange admission" }).ClickAsync();
        await Assertions.Expect(clinic.Page.GetByText("The patient is expected on")).ToBeVisibleAsync();

        await clinic.GotoAsync($"/patients/{patientId}/expect");
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Heading, new() { Name = "This patient is already expected" })).ToBeVisibleAsync();
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Arrange admission" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(clinic.Page);

        await clinic.GotoAsync($"/patients/{patientId}/encounters");
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Link, new() { Name = "Arrange an admission" })).ToHaveCountAsync(0);
        await clinic.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel this expected admission" }).ClickAsync();
        await Assertions.Expect(clinic.Page.GetByText("The expected admission was cancelled.")).ToBeVisibleAsync();
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Heading, new() { Name = "Inpatient encounter: cancelled" })).ToBeVisibleAsync();
        Assert.Equal(Encounter.EncounterStatus.Cancelled, Assert.Single(await EncountersAsync(patientId)).Status);

        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync("/patients");
        await Assertions.Expect(nurse.Page.GetByText("CANCELLED, Ben")).ToHaveCountAsync(0);
        Assert.Empty(clinic.Problems);
    }

    /// <summary>A patient of this test's own, referred to the outpatient doctor's team (so she may see them) and to no ward.</summary>
    private async Task ReferredPatientAsync(string patientId, string family, string given)
    {
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", patientId, new Patient { Id = patientId, Name = [new HumanName { Family = family, Given = [given] }], Gender = AdministrativeGender.Female, BirthDate = "1968-02-03" }, null, default);
        await Fhir.UpdateAsync(OperatorAccess.Instance, "ServiceRequest", $"{patientId}-referral", new ServiceRequest
        {
            Id = $"{patientId}-referral",
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference($"Patient/{patientId}"),
            ReasonCode = [new CodeableConcept { Text = "Poorly controlled asthma" }],
            Performer = [new ResourceReference($"CareTeam/{DemoClinic.TeamId}", "Respiratory outpatient team")],
        }, null, default);
    }

    private async Task<List<Encounter>> EncountersAsync(string patientId)
    {
        var search = await Fhir.SearchAsync(OperatorAccess.Instance, "Encounter", [new("patient", patientId)], false, null, default);
        return [.. search.Bundle!.Entries.Where(e => e.SearchMode == Bundle.SearchEntryMode.Match).Select(e => (Encounter)FhirSerialization.ParseJson(e.Stored!.Json!))];
    }
}

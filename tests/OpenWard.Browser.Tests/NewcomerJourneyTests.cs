using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security.Policy;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Issue #4's "done when", in one go as a newcomer would do it: the demo nurse signs in, finds a
/// patient expected on her ward by NHS number from the header, records an allergy and a note,
/// admits and transfers them, and sees it all on the chart, never asked for break-glass. Uses beds
/// 9 and 10 of loc-ward-01 and a patient of its own. Every page on the way is scanned with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NewcomerJourneyTests(BrowserFixture browser)
{
    private const string PatientId = "aaa-journey-1";

    [Fact]
    public async Task The_demo_nurse_finds_an_expected_patient_records_an_allergy_and_a_note_admits_and_transfers_them_and_sees_it_on_the_chart()
    {
        var nhsNumber = NhsNumber.WithCheckDigit("999407512");
        await ExpectedOnTheNursesWardAsync(nhsNumber);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        var page = nurse.Page;

        // Find the patient by NHS number, typed with spaces, from the header.
        var search = page.GetByLabel("Find a patient by NHS number, date of birth or name");
        await search.FillAsync(NhsNumber.Format(nhsNumber));
        await search.PressAsync("Enter");
        var result = page.Locator("tbody tr");
        await Assertions.Expect(result).ToHaveCountAsync(1);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await result.GetByRole(AriaRole.Link).ClickAsync();
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Patient" });
        await Assertions.Expect(banner).ToContainTextAsync("JOURNEY, Nell");
        await Assertions.Expect(banner).ToContainTextAsync(NhsNumber.Format(nhsNumber));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You need a reason to open this record" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // Nothing recorded yet is said in a warning colour, never left blank; then an allergy.
        await Assertions.Expect(banner.Locator(".openward-banner__allergies--not-recorded")).ToContainTextAsync("Allergies not recorded");
        await page.GetByRole(AriaRole.Link, new() { Name = "Record an allergy or no known allergies" }).ClickAsync();
        await page.GetByLabel("An allergy to a substance").CheckAsync();
        await page.GetByLabel("Other substance").FillAsync("Latex");
        await page.GetByLabel("Other reaction").FillAsync("Hives");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Allergy recorded: Latex.")).ToBeVisibleAsync();
        await Assertions.Expect(banner.Locator(".openward-banner__allergies--recorded")).ToContainTextAsync("Latex");

        // A note, signed.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" }).GetByRole(AriaRole.Link, new() { Name = "Notes", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Write a note" }).ClickAsync();
        await page.GetByLabel("Title (optional)").FillAsync("Arrival from the emergency department");
        await page.GetByLabel("Note", new() { Exact = true }).FillAsync("Arrived by trolley, alert, latex allergy band on.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign the note" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Note signed.")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // Admit into the expected admission, then transfer to the next bed.
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to notes" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" }).GetByRole(AriaRole.Link, new() { Name = "Encounters", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Admit this patient" }).ClickAsync();
        await Assertions.Expect(page.GetByText("This patient is expected on")).ToBeVisibleAsync();
        await page.Locator("#Bed").SelectOptionAsync("loc-ward-01-bed-09");
        await page.GetByLabel("Admitting consultant").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Admit" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Admitted to")).ToContainTextAsync("bed 9");
        await page.GetByRole(AriaRole.Link, new() { Name = "Transfer to another ward or bed" }).ClickAsync();
        await page.Locator("#Bed").SelectOptionAsync("loc-ward-01-bed-10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Transfer" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Transferred to")).ToContainTextAsync("bed 10");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // All of it on the chart.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" }).GetByRole(AriaRole.Link, new() { Name = "Summary", Exact = true }).ClickAsync();
        await Assertions.Expect(banner).ToContainTextAsync("bed 10");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Allergies" })).ToContainTextAsync("Latex");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Current admission" })).ToContainTextAsync("bed 10");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Recent notes and documents" })).ToContainTextAsync("Arrival from the emergency department");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" }).GetByRole(AriaRole.Link, new() { Name = "Timeline", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Latex");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Arrival from the emergency department");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        Assert.Null(await browser.Services.GetRequiredService<BreakGlassLedger>().ActiveAsync("nurse", PatientId, DateTimeOffset.UtcNow, default));
        Assert.Empty(nurse.Problems);
    }

    /// <summary>A patient of this test's own, with an NHS number, expected on the nurse's ward now (arranged as the emergency department would).</summary>
    private async Task ExpectedOnTheNursesWardAsync(string nhsNumber)
    {
        var fhir = browser.Services.GetRequiredService<FhirRestService>();
        await fhir.UpdateAsync(OperatorAccess.Instance, "Patient", PatientId, new Patient
        {
            Id = PatientId,
            Identifier = [new Identifier(NhsNumber.IdentifierSystem, nhsNumber)],
            Name = [new HumanName { Family = "Journey", Given = ["Nell"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1958-09-30",
        }, null, default);
        var expected = Admissions.Expect(PatientId, DemoStaff.Ward, DateTimeOffset.UtcNow, null, "21", "Cellulitis, from the emergency department");
        await fhir.CreateAsync(OperatorAccess.Instance, "Encounter", expected, null, default);
        await DemoWard.FreeBedsAsync(browser.Services, "loc-ward-01-bed-09", "loc-ward-01-bed-10");
        Assert.Equal(Relationship.CareRelationship, await DemoWard.NurseRelationshipAsync(browser.Services, PatientId));
    }
}

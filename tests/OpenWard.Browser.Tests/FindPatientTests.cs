using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Finding the right patient, as the demo nurse starts a shift: she signs in and lands on her ward
/// list, finds a patient from the header search by NHS number typed with spaces, and opens the
/// record under a banner that identifies the patient the NHS way. Every page is scanned with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FindPatientTests(BrowserFixture browser)
{
    /// <summary>The last bed of the nurse's ward (Acute Medical Unit, 24 beds): free with 5 demo patients.</summary>
    private const string Bed = "loc-ward-01-bed-24";

    [Fact]
    public async Task The_nurse_lands_on_her_ward_list_finds_a_patient_by_nhs_number_and_opens_the_record()
    {
        var admitted = await AdmitToTheNursesWardAsync();
        var family = admitted.Name[0].Family!.ToUpperInvariant();
        var nhsNumber = admitted.Identifier.First(i => i.System == NhsNumber.IdentifierSystem).Value!;

        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        // My patients: her ward, the admitted patient in bed 24 with the alert.
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "My patients", Level = 1 })).ToBeVisibleAsync();
        Assert.EndsWith("/patients", nurse.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Acute Medical Unit" })).ToBeVisibleAsync();
        var row = nurse.Page.Locator("tr", new() { HasText = "Bed 24" });
        await Assertions.Expect(row).ToContainTextAsync(family);
        await Assertions.Expect(row).ToContainTextAsync(NhsNumber.Format(nhsNumber));
        await Assertions.Expect(row).ToContainTextAsync("Risk of falls");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "my-patients");

        // The header search, by NHS number typed as it is written: 3-3-4 with spaces.
        await nurse.Page.GetByLabel("Find a patient by NHS number, date of birth or name").FillAsync(NhsNumber.Format(nhsNumber));
        await nurse.Page.GetByLabel("Find a patient by NHS number, date of birth or name").PressAsync("Enter");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Find a patient" })).ToBeVisibleAsync();
        var result = nurse.Page.Locator("tbody tr");
        await Assertions.Expect(result).ToHaveCountAsync(1);
        await Assertions.Expect(result).ToContainTextAsync(NhsNumber.Format(nhsNumber));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "patient-search");

        await result.GetByRole(AriaRole.Link).ClickAsync();
        var banner = nurse.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" });
        await Assertions.Expect(banner).ToContainTextAsync(family + ", " + admitted.Name[0].Given.First());
        await Assertions.Expect(banner).ToContainTextAsync(NhsNumber.Format(nhsNumber));
        await Assertions.Expect(banner).ToContainTextAsync("Acute Medical Unit bed 24");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Allergies" })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "patient-record");
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task A_wrong_nhs_number_is_explained_and_a_lower_case_name_prefix_finds_the_patient()
    {
        var patient = (await PatientsAsync())[0];
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();

        await nurse.GotoAsync("/patients/search?q=943+476+5918");
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("943 476 5918 is not a valid NHS number");
        await Assertions.Expect(nurse.Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        var family = patient.Name[0].Family!;
        var prefix = family[..3].ToLowerInvariant();
        await nurse.GotoAsync($"/patients/search?q={Uri.EscapeDataString(prefix)}");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = family.ToUpperInvariant(), Exact = false }).First).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        await nurse.GotoAsync("/patients/search?q=Zzyzx");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "No patients found" })).ToBeVisibleAsync();
        Assert.Empty(nurse.Problems);
    }

    /// <summary>
    /// Admits a demo patient to the nurse's ward now (bed 24, under the first demo consultant) with a
    /// falls alert, as the ward clerk would; illustrative data. Returns the patient.
    /// </summary>
    private async Task<Patient> AdmitToTheNursesWardAsync()
    {
        var services = browser.Services;
        var patient = (await PatientsAsync())[^1];
        await DemoWard.AdmitAsync(services, patient.Id!, Bed, TimeSpan.FromDays(2), consultant: "prac-001");
        var flag = new Flag
        {
            Status = Flag.FlagStatus.Active,
            Code = new CodeableConcept { Text = "Risk of falls" },
            Subject = new ResourceReference($"Patient/{patient.Id}"),
        };
        await services.GetRequiredService<FhirRestService>().CreateAsync(OperatorAccess.Instance, "Flag", flag, null, default);
        return patient;
    }

    private async Task<List<Patient>> PatientsAsync()
    {
        var services = browser.Services;
        var query = services.GetRequiredService<SearchQueryParser>().Parse("Patient", [], lenient: false);
        var found = await services.GetRequiredService<IResourceStore>().SearchAsync(query, default);
        return [.. found.Matches.Select(m => (Patient)FhirSerialization.ParseJson(m.Json!)).OrderBy(p => p.Id, StringComparer.Ordinal)];
    }
}

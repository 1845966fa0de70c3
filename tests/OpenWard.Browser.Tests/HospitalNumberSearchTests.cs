using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Finding a patient by hospital number from the header search, typed in lower case as people do.
/// Reads only: it uses the first demo patient by id and changes nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HospitalNumberSearchTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_header_search_finds_exactly_the_patient_with_that_hospital_number()
    {
        var patient = await FirstDemoPatientAsync();
        var hospitalNumber = PatientDisplay.HospitalNumber(patient);
        Assert.StartsWith("H", hospitalNumber, StringComparison.Ordinal);

        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        var search = nurse.Page.GetByLabel("Find a patient by NHS number, date of birth or name");
        await search.FillAsync(hospitalNumber.ToLowerInvariant());
        await search.PressAsync("Enter");

        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Find a patient", Level = 1 })).ToBeVisibleAsync();
        var result = nurse.Page.Locator("tbody tr");
        await Assertions.Expect(result).ToHaveCountAsync(1);
        await Assertions.Expect(result).ToContainTextAsync(NhsNumber.Format(patient.Identifier.First(i => i.System == NhsNumber.IdentifierSystem).Value!));
        await Assertions.Expect(result.GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"/patients/{patient.Id}");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.Empty(nurse.Problems);
    }

    private async Task<Patient> FirstDemoPatientAsync()
    {
        var id = (await DemoWard.PatientIdsAsync(browser.Services))[0];
        var stored = await browser.Services.GetRequiredService<IResourceStore>().ReadAsync("Patient", id, default);
        return (Patient)FhirSerialization.ParseJson(stored!.Json!);
    }
}

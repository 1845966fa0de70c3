using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// The nurse changes a ward patient's GP practice and contacts after registration: a half-typed
/// contact is refused with nothing saved, a contact removed and another added, the practice moved,
/// and a change saved meanwhile by someone else is shown, never overwritten. Uses bed 8 of
/// loc-ward-01 and a patient of its own. Every page is scanned with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChangeContactsTests(BrowserFixture browser)
{
    private const string PatientId = "aaa-contacts-1";

    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_nurse_moves_the_gp_practice_replaces_a_contact_and_a_stale_form_saves_nothing()
    {
        await RegisteredPatientOnTheWardAsync();
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        var page = nurse.Page;
        await nurse.GotoAsync($"/patients/{PatientId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Change GP practice or contacts" }).ClickAsync();
        await Assertions.Expect(Field(page, "GP practice (optional)")).ToHaveValueAsync("org-gp-01");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // Half a contact: refused, nothing saved, what was typed kept.
        await Field(page, "GP practice (optional)").SelectOptionAsync("org-gp-02");
        await Field(page, "Contact's phone number").FillAsync("07700 900 111");
        await Save(page).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter the contact's name");
        await Assertions.Expect(Field(page, "Contact's phone number")).ToHaveValueAsync("07700 900 111");
        await Assertions.Expect(Field(page, "GP practice (optional)")).ToHaveValueAsync("org-gp-02");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        Assert.Equal("1", (await ReadAsync()).Meta!.VersionId);

        await page.GetByLabel("Remove Jane Jackson (Next of kin, spouse), 07700 900 982").CheckAsync();
        await Field(page, "Contact's full name").FillAsync("Sam Jackson");
        await Field(page, "Who they are to the patient").SelectOptionAsync(new SelectOptionValue { Label = "Son or daughter" });
        await Field(page, "Next of kin").CheckAsync();
        await BrowserFixture.ScreenshotAsync(page, "change-contacts");
        await Save(page).ClickAsync();
        await Assertions.Expect(page.GetByText("The GP practice and contacts were saved.")).ToBeVisibleAsync();
        var summary = page.GetByRole(AriaRole.Region, new() { Name = "GP and contacts" });
        await Assertions.Expect(summary).ToContainTextAsync("Sam Jackson (Next of kin, child), 07700 900 111");
        await Assertions.Expect(summary).Not.ToContainTextAsync("Jane Jackson");
        var saved = await ReadAsync();
        Assert.Equal("Organization/org-gp-02", saved.GeneralPractitioner.Single().Reference);
        Assert.Equal("Sam Jackson", saved.Contact.Single().Name!.Text);

        // Someone else adds a contact after the nurse opened the form: her save is refused and theirs kept.
        await page.GetByRole(AriaRole.Link, new() { Name = "Change GP practice or contacts" }).ClickAsync();
        var meanwhile = (Patient)saved.DeepCopy();
        meanwhile.Contact.Add(PatientContacts.Component("Ola Nowak", "FRND", "C", "01632 960 001"));
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", PatientId, meanwhile, $"W/\"{saved.Meta!.VersionId}\"", default);
        await page.GetByLabel("Remove Sam Jackson (Next of kin, child), 07700 900 111").CheckAsync();
        await Save(page).ClickAsync();
        await Assertions.Expect(page.GetByText("Nothing was saved")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Someone else changed this patient's details");
        await Assertions.Expect(page.GetByLabel("Remove Ola Nowak (Emergency Contact, unrelated friend), 01632 960 001")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        Assert.Equal(2, (await ReadAsync()).Contact.Count);
        Assert.Empty(nurse.Problems);
    }

    private async Task RegisteredPatientOnTheWardAsync()
    {
        var patient = new RegistrationForm
        {
            Given = "Olwen",
            Family = "Contactington",
            BirthDay = "3",
            BirthMonth = "4",
            BirthYear = "1949",
            Sex = "female",
            NhsNumberUnavailableReason = RegistrationForm.NhsNumberUnavailableReasons[0].Code,
            AddressLine = "2 Park Row",
            Town = "Leeds",
            Postcode = "LS1 4AP",
            ContactName = "Jane Jackson",
            ContactRelationship = "SPS",
            ContactRole = "N",
            ContactPhone = "07700 900 982",
        }.ToResource("H9000001", new GpPractice("org-gp-01", "Beech Grove Surgery", "X99001"));
        patient.Id = PatientId;
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", PatientId, patient, null, default);
        await DemoWard.AdmitAsync(browser.Services, PatientId, "loc-ward-01-bed-08", TimeSpan.FromHours(2));
    }

    private async Task<Patient> ReadAsync() =>
        (Patient)FhirSerialization.ParseJson((await Fhir.ReadAsync(OperatorAccess.Instance, "Patient", PatientId, default)).Stored!.Json!);

    private static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    private static ILocator Save(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true });
}

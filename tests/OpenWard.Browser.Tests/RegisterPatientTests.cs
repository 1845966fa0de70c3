using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Registering a patient, as the demo ward clerk does: from Find a patient she opens the form, gets an
/// impossible date of birth explained (keeping what she typed), registers the patient, then meets the
/// duplicate check twice: a close name with the same date of birth and postcode needs a reason (kept in
/// the audit event), and an NHS number already registered is refused with a link to that record.
/// It adds made-up patients named Zanderwick (not in the demo data) and only reads the first demo patient.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class RegisterPatientTests(BrowserFixture browser)
{
    private const string Family = "Zanderwick";
    private const string Postcode = "LS6 2QT";

    [Fact]
    public async Task The_clerk_registers_a_patient_a_similar_one_only_with_a_reason_and_never_an_NHS_number_twice()
    {
        await using var clerk = await browser.NewPageAsync();
        await clerk.SignInAsync("clerk");
        var page = clerk.Page;

        await clerk.GotoAsync("/patients/search");
        await page.GetByRole(AriaRole.Link, new() { Name = "Register a patient" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Register a patient", Level = 1 })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        // 31 February does not exist.
        await FillAsync(page, "Ysolde", "31", nhsNumber: null, Postcode);
        await Register(page).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Date of birth must be a real date");
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^Error: "));
        await Assertions.Expect(Field(page, "Given name")).ToHaveValueAsync("Ysolde");
        await Assertions.Expect(Field(page, "Day")).ToHaveValueAsync("31");
        await Assertions.Expect(Field(page, "Female")).ToBeCheckedAsync();
        await Assertions.Expect(Field(page, "If there is no NHS number, why not")).ToHaveValueAsync("nhs-number-not-known");
        await Assertions.Expect(Field(page, "Postcode")).ToHaveValueAsync(Postcode);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "register-patient");

        await Field(page, "Day").FillAsync("14");
        await Register(page).ClickAsync();
        var first = await RegisteredAsync(page, "ZANDERWICK, Ysolde (Ms)");
        Assert.Equal("1987-02-14", first.BirthDate);
        Assert.Equal(RegistrationForm.UkCoreProfile, first.Meta!.Profile.Single());

        // A close name (one letter changed), the same date of birth and postcode (typed differently): possibly the same person.
        await clerk.GotoAsync("/patients/new");
        await FillAsync(page, "Isolde", "14", nhsNumber: null, "ls62qt");
        await Register(page).ClickAsync();
        await Assertions.Expect(page.GetByText("This may be a patient who is already registered")).ToBeVisibleAsync();
        var duplicates = page.GetByRole(AriaRole.Table, new() { Name = "Possible duplicates" });
        await Assertions.Expect(duplicates.GetByRole(AriaRole.Link, new() { Name = "ZANDERWICK, Ysolde (Ms)" })).ToHaveAttributeAsync("href", $"/patients/{first.Id}");
        await Assertions.Expect(duplicates).ToContainTextAsync("14-Feb-1987");
        await Assertions.Expect(duplicates).ToContainTextAsync(Postcode);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "register-patient-duplicate");

        await Register(page, "Register anyway").ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter why this is a different person from the possible duplicates");
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^Error: "));
        await Assertions.Expect(Field(page, "Given name")).ToHaveValueAsync("Isolde");
        Assert.Empty(await PatientsNamedAsync("Isolde"));
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        const string reason = "Twin sister of Ysolde; both showed their passports";
        await Field(page, "Why is this a different person?").FillAsync(reason);
        await Register(page, "Register anyway").ClickAsync();
        var second = await RegisteredAsync(page, "ZANDERWICK, Isolde (Ms)");
        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(PatientDisplay.HospitalNumber(first), PatientDisplay.HospitalNumber(second));
        var audit = await AuditEventsAsync(second.Id!);
        Assert.Contains(audit, e => e.GetStringExtension(AuditEventFactory.DetailExtension) is { } detail
            && detail.Contains(reason, StringComparison.Ordinal) && detail.Contains($"Patient/{first.Id}", StringComparison.Ordinal));

        // An NHS number already registered belongs to that patient.
        var demo = await FirstDemoPatientAsync();
        var nhsNumber = demo.Identifier.First(i => i.System == NhsNumber.IdentifierSystem).Value!;
        await clerk.GotoAsync("/patients/new");
        await FillAsync(page, "Quillan", "3", NhsNumber.Format(nhsNumber), "LS1 4AP");
        await Register(page).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync($"A patient with NHS number {NhsNumber.Format(nhsNumber)} is already registered");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Open the record of {PatientDisplay.Name(demo)}" })).ToHaveAttributeAsync("href", $"/patients/{demo.Id}");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Register anyway" })).ToHaveCountAsync(0);
        Assert.Single(await PatientsAsync([new("identifier", $"{NhsNumber.IdentifierSystem}|{nhsNumber}")]));
        Assert.Empty(await PatientsNamedAsync("Quillan"));
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        Assert.Empty(clerk.Problems);
    }

    [Fact]
    public async Task The_clerk_records_the_gp_practice_and_next_of_kin_and_the_ward_sees_them_on_the_summary()
    {
        await using var clerk = await browser.NewPageAsync();
        await clerk.SignInAsync("clerk");
        var page = clerk.Page;
        await clerk.GotoAsync("/patients/new");
        await FillAsync(page, "Wilhelmina", "9", nhsNumber: null, "LS6 3AB");
        await Field(page, "GP practice (optional)").SelectOptionAsync(new SelectOptionValue { Label = "Beech Grove Surgery (X99001)" });
        await Field(page, "Contact's full name").FillAsync("Oswin Zanderwick");
        await Register(page).ClickAsync();

        // A contact without a relationship, role or phone is not half-saved.
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select who the contact is to the patient");
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter the contact's phone number");
        await Assertions.Expect(Field(page, "GP practice (optional)")).ToHaveValueAsync("org-gp-01");
        Assert.Empty(await PatientsNamedAsync("Wilhelmina"));
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await Field(page, "Who they are to the patient").SelectOptionAsync(new SelectOptionValue { Label = "Husband, wife or civil partner" });
        await Field(page, "Next of kin").CheckAsync();
        await Field(page, "Contact's phone number").FillAsync("07700 900 982");
        await Register(page).ClickAsync();
        var patient = await RegisteredAsync(page, "ZANDERWICK, Wilhelmina (Ms)");
        Assert.Equal("Organization/org-gp-01", patient.GeneralPractitioner.Single().Reference);
        Assert.Equal("Oswin Zanderwick", patient.Contact.Single().Name!.Text);

        await DemoWard.AdmitAsync(browser.Services, patient.Id!, "loc-ward-01-bed-22", TimeSpan.FromHours(1));
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patient.Id}");
        var contacts = nurse.Page.GetByRole(AriaRole.Region, new() { Name = "GP and contacts" });
        await Assertions.Expect(contacts).ToContainTextAsync("Beech Grove Surgery");
        await Assertions.Expect(contacts).ToContainTextAsync("Oswin Zanderwick (Next of kin, spouse), 07700 900 982");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.Empty(clerk.Problems);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task A_pharmacist_who_may_not_register_patients_is_told_so_with_status_403()
    {
        await using var pharmacist = await browser.NewPageAsync();
        await pharmacist.SignInAsync("pharmacist");

        var response = await pharmacist.GotoAsync("/patients/new");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(pharmacist.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot register patients" })).ToBeVisibleAsync();
        await Assertions.Expect(pharmacist.Page.GetByRole(AriaRole.Button, new() { Name = "Register" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(pharmacist.Page);
    }

    private static ILocator Field(IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    private static ILocator Register(IPage page, string name = "Register") => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>Fills the form for a Zanderwick born on <paramref name="day"/> February 1987.</summary>
    private static async Task FillAsync(IPage page, string given, string day, string? nhsNumber, string postcode)
    {
        await Field(page, "Title (optional)").FillAsync("Ms");
        await Field(page, "Given name").FillAsync(given);
        await Field(page, "Family name").FillAsync(Family);
        await Field(page, "Day").FillAsync(day);
        await Field(page, "Month").FillAsync("2");
        await Field(page, "Year").FillAsync("1987");
        await Field(page, "Female").CheckAsync();
        if (nhsNumber is null)
        {
            await Field(page, "If there is no NHS number, why not").SelectOptionAsync("nhs-number-not-known");
        }
        else
        {
            await Field(page, "NHS number").FillAsync(nhsNumber);
        }

        await Field(page, "Address line 1").FillAsync("12 Fernleigh Row");
        await Field(page, "Town or city").FillAsync("Leeds");
        await Field(page, "Postcode").FillAsync(postcode);
    }

    /// <summary>The patient the page says it registered, after checking it landed on their record.</summary>
    private async Task<Patient> RegisteredAsync(IPage page, string name)
    {
        var notice = page.GetByText("Patient registered:");
        await Assertions.Expect(notice).ToContainTextAsync($"Patient registered: {name}, hospital number H9");
        var number = HospitalNumber().Match(await notice.InnerTextAsync()).Value;
        var patient = Assert.Single(await PatientsAsync([new("identifier", $"{PatientDisplay.HospitalNumberSystem}|{number}")]));
        Assert.EndsWith($"/patients/{patient.Id}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Patient" })).ToContainTextAsync(number);
        return patient;
    }

    private Task<IReadOnlyList<Patient>> PatientsNamedAsync(string given) => PatientsAsync([new("given", given), new("family", Family)]);

    private async Task<IReadOnlyList<Patient>> PatientsAsync(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var found = await PatientReads.SearchAsync(browser.Services.GetRequiredService<FhirRestService>(), OperatorAccess.Instance, "Patient", parameters, default);
        return [.. found.Of<Patient>()];
    }

    private async Task<IReadOnlyList<AuditEvent>> AuditEventsAsync(string patientId)
    {
        var found = await PatientReads.SearchAsync(browser.Services.GetRequiredService<FhirRestService>(), OperatorAccess.Instance, "AuditEvent", [new("patient", patientId), new("_count", "100")], default);
        return [.. found.Of<AuditEvent>()];
    }

    private async Task<Patient> FirstDemoPatientAsync()
    {
        var id = (await DemoWard.PatientIdsAsync(browser.Services))[0];
        var stored = await browser.Services.GetRequiredService<IResourceStore>().ReadAsync("Patient", id, default);
        return (Patient)FhirSerialization.ParseJson(stored!.Json!);
    }

    [GeneratedRegex("H[0-9]{7}")]
    private static partial Regex HospitalNumber();
}

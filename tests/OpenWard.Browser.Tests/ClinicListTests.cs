using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Hosting;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// My patients for outpatient staff, as the demo outpatient doctor sees it: today's clinic (seeded
/// by demo mode for today, by time) and the referrals waiting for her team (one active referral of
/// this test's own is listed, one completed is not), each patient one click from a chart she may
/// open without break-glass. The page is scanned with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClinicListTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_outpatient_doctor_sees_todays_clinic_and_her_teams_referrals_and_opens_a_chart()
    {
        const string patientId = "aaa-referral-1";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", patientId, new Patient { Id = patientId, Name = [new HumanName { Family = "Referral", Given = ["Test"] }], Gender = AdministrativeGender.Female, BirthDate = "1971-05-06" }, null, default);
        await ReferAsync("aaa-referral-active", patientId, RequestStatus.Active, "Wheeze at night");
        await ReferAsync("aaa-referral-done", patientId, RequestStatus.Completed, "Seen and discharged");
        await using var clinic = await browser.NewPageAsync();
        await clinic.SignInAsync("clinic");

        await clinic.GotoAsync("/patients");

        var today = clinic.Page.GetByRole(AriaRole.Table, new() { Name = "Today's clinic" });
        await Assertions.Expect(today.Locator("tbody tr").First).ToContainTextAsync("09:00");
        await Assertions.Expect(today.Locator("tbody tr").First).ToContainTextAsync("Medical Outpatients");
        await Assertions.Expect(today.Locator("tbody tr").First).ToContainTextAsync("Arrived");
        var referrals = clinic.Page.GetByRole(AriaRole.Table, new() { Name = "Referred to you or your team" });
        var row = referrals.GetByRole(AriaRole.Row).Filter(new() { HasText = "REFERRAL, Test" });
        await Assertions.Expect(row).ToContainTextAsync("Wheeze at night");
        await Assertions.Expect(row).ToContainTextAsync("Respiratory outpatient team");
        await Assertions.Expect(referrals).Not.ToContainTextAsync("Seen and discharged");
        await BrowserFixture.AssertNoAxeViolationsAsync(clinic.Page);
        await BrowserFixture.ScreenshotAsync(clinic.Page, "my-patients-clinic");

        var first = today.Locator("tbody tr").First.GetByRole(AriaRole.Link);
        var name = await first.InnerTextAsync();
        await first.ClickAsync();
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" })).ToContainTextAsync(name);
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" })).ToBeVisibleAsync();

        await clinic.GotoAsync("/patients");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(clinic.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" })).ToContainTextAsync("REFERRAL");
        Assert.Empty(clinic.Problems);
    }

    private Task ReferAsync(string id, string patientId, RequestStatus status, string reason) =>
        Fhir.UpdateAsync(OperatorAccess.Instance, "ServiceRequest", id, new ServiceRequest
        {
            Id = id,
            Status = status,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference($"Patient/{patientId}"),
            ReasonCode = [new CodeableConcept { Text = reason }],
            AuthoredOnElement = new FhirDateTime(DateTimeOffset.UtcNow.AddDays(-1)),
            Performer = [new ResourceReference($"CareTeam/{DemoClinic.TeamId}", "Respiratory outpatient team")],
        }, null, default);
}

using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Security.Policy;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Admission, transfer and discharge as the demo nurse does them. Uses beds 15 to 18 of loc-ward-01,
/// which no other browser test uses, and demo patients picked from the end of DemoWard.PatientIdsAsync
/// (skipping the last two, which other tests admit) that are not in hospital.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdmissionFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task Admitting_a_patient_with_no_relationship_is_refused_by_the_policy_with_a_message()
    {
        var patientId = await PatientNotInHospitalAsync(skip: 0);
        await using var clerk = await browser.NewPageAsync();
        await clerk.SignInAsync("clerk");

        var response = await clerk.GotoAsync($"/patients/{patientId}/admit");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(clerk.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot admit this patient" })).ToBeVisibleAsync();
        await Assertions.Expect(clerk.Page.GetByRole(AriaRole.Button, new() { Name = "Admit" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(clerk.Page);
    }

    [Fact]
    public async Task The_nurse_admits_transfers_and_discharges_a_patient_and_the_ward_list_and_banner_follow()
    {
        var patientId = await PatientNotInHospitalAsync(skip: 1);
        await BreakGlassForNurseAsync(patientId);
        await DemoWard.FreeBedsAsync(browser.Services, "loc-ward-01-bed-15", "loc-ward-01-bed-16", "loc-ward-01-bed-17", "loc-ward-01-bed-18");
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        await nurse.GotoAsync($"/patients/{patientId}/encounters");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Admit this patient" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("You are admitting")).ToContainTextAsync("NHS number");
        await nurse.Page.Locator("#Date").FillAsync("31/2/2026");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Admit" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Select the ward and bed");
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("must be a real date");
        await Assertions.Expect(nurse.Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        await nurse.Page.Locator("#Bed").SelectOptionAsync("loc-ward-01-bed-15");
        await nurse.Page.GetByLabel("Admitting consultant").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await nurse.Page.GetByLabel("Admission method (optional)").SelectOptionAsync("21");
        var today = DateTime.Now;
        await nurse.Page.Locator("#Date").FillAsync(today.AddDays(-1).ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await BrowserFixture.ScreenshotAsync(nurse.Page, "admit");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Admit" }).ClickAsync();

        await Assertions.Expect(nurse.Page.GetByText("Admitted to")).ToContainTextAsync("bed 15");
        var banner = nurse.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" });
        await Assertions.Expect(banner).ToContainTextAsync("bed 15");
        await nurse.GotoAsync("/patients");
        await Assertions.Expect(nurse.Page.Locator("tr", new() { HasText = "bed 15" })).ToHaveCountAsync(1);

        // Transfer to bed 16; the history keeps bed 15, completed.
        await nurse.GotoAsync($"/patients/{patientId}/encounters");
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Transfer to another ward or bed" }).ClickAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        // Another ward's occupancy is hidden from her, so its beds are not offered: only the ward, whose staff give the bed.
        await Assertions.Expect(nurse.Page.Locator("option[value^='loc-ward-02-bed-']")).ToHaveCountAsync(0);
        await Assertions.Expect(nurse.Page.Locator("option[value='ward:loc-ward-02']")).ToHaveCountAsync(1);
        await nurse.Page.Locator("#Bed").SelectOptionAsync("loc-ward-01-bed-16");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Transfer" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("Transferred to")).ToContainTextAsync("bed 16");
        await Assertions.Expect(banner).ToContainTextAsync("bed 16");
        await Assertions.Expect(nurse.Page.Locator("tr", new() { HasText = "bed 15" })).ToContainTextAsync("completed");
        await BrowserFixture.ScreenshotAsync(nurse.Page, "encounters");

        // A stale form: someone else transfers the patient after the nurse opened hers.
        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Transfer to another ward or bed" }).ClickAsync();
        var encounterId = nurse.Page.Url.Split('/')[^2];
        await TransferElsewhereAsync(encounterId, "loc-ward-01-bed-17");
        await nurse.Page.Locator("#Bed").SelectOptionAsync("loc-ward-01-bed-18");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Transfer" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Someone else changed this encounter");
        await Assertions.Expect(nurse.Page.GetByText("Nothing was saved")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.DoesNotContain(await ActiveLocationsAsync(encounterId), l => l == "Location/loc-ward-01-bed-18");

        // Bed 17 is now taken: the fresh form does not offer it and a forged post is refused.
        await nurse.GotoAsync($"/patients/{patientId}/encounters/{encounterId}/transfer");
        await Assertions.Expect(nurse.Page.Locator("option[value='loc-ward-01-bed-17']")).ToHaveCountAsync(0);
        await nurse.Page.Locator("option[value='loc-ward-01-bed-18']").EvaluateAsync("o => o.value = 'loc-ward-01-bed-17'");
        await nurse.Page.Locator("#Bed").SelectOptionAsync("loc-ward-01-bed-17");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Transfer" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("This bed has just been taken");

        // Discharge: the patient leaves the ward list.
        await nurse.GotoAsync($"/patients/{patientId}/encounters/{encounterId}/discharge");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await nurse.Page.GetByLabel("How was the patient discharged?").SelectOptionAsync("1");
        await nurse.Page.GetByLabel("Where is the patient going?").SelectOptionAsync("19");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Discharge" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("Discharged.")).ToBeVisibleAsync();
        await nurse.GotoAsync("/patients");
        await Assertions.Expect(nurse.Page.Locator("tr", new() { HasText = "bed 17" })).ToHaveCountAsync(0);
        Assert.Empty(nurse.Problems);
    }

    private async Task<string> PatientNotInHospitalAsync(int skip)
    {
        var patients = await DemoWard.PatientIdsAsync(browser.Services);
        var candidates = new List<string>();
        foreach (var id in patients.Take(patients.Count - 2).Reverse())
        {
            var search = await browser.Services.GetRequiredService<FhirRestService>().SearchAsync(OperatorAccess.Instance, "Encounter", [new("patient", id), new("status", "in-progress")], false, null, default);
            if (!search.Bundle!.Entries.Any(e => e.SearchMode == Bundle.SearchEntryMode.Match) && await DemoWard.NurseRelationshipAsync(browser.Services, id) == Relationship.None)
            {
                candidates.Add(id);
                if (candidates.Count > skip)
                {
                    return candidates[skip];
                }
            }
        }

        throw new InvalidOperationException("This test needs demo patients who are not in hospital.");
    }

    private async Task BreakGlassForNurseAsync(string patientId)
    {
        var nurse = (await browser.Services.GetRequiredService<StaffDirectory>().FindAsync("nurse", default))!.ToPrincipal();
        await browser.Services.GetRequiredService<BreakGlassService>().GrantAsync(nurse, patientId, "unplanned-attendance", null, null, null, default);
    }

    private async Task<Encounter> ReadEncounterAsync(string encounterId) =>
        (Encounter)FhirSerialization.ParseJson((await browser.Services.GetRequiredService<FhirRestService>().ReadAsync(OperatorAccess.Instance, "Encounter", encounterId, default)).Stored!.Json!);

    private async Task TransferElsewhereAsync(string encounterId, string bed)
    {
        var current = await ReadEncounterAsync(encounterId);
        var moved = Admissions.Transfer(current, "loc-ward-01", bed, DateTimeOffset.UtcNow);
        await browser.Services.GetRequiredService<FhirRestService>().UpdateAsync(OperatorAccess.Instance, "Encounter", encounterId, moved, $"W/\"{current.Meta!.VersionId}\"", default);
    }

    private async Task<IEnumerable<string?>> ActiveLocationsAsync(string encounterId) =>
        (await ReadEncounterAsync(encounterId)).Location.Where(l => l.Status == Encounter.EncounterLocationStatus.Active).Select(l => l.Location?.Reference);
}

using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// A records manager merges a duplicate registration into the record kept: finds the record to
/// keep by hospital number, sees the two side by side, is asked for a reason, merges; everything
/// of the duplicate moves (one audit event with the reason), and the duplicate says where its patient
/// is now. Then she undoes the merge and everything moves back. A record changed after the two were
/// compared saves nothing and is shown again. A nurse may not merge. Every page is scanned with axe.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MergeRecordsTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task A_records_manager_merges_a_duplicate_and_undoes_the_merge()
    {
        var (duplicate, surviving, observation) = await TwoRecordsOfOnePersonAsync("Quennell");
        // A Task is outside the R4 Patient compartment: the merge must move it too, or the duplicate's pending work is lost.
        var task = Created<Hl7.Fhir.Model.Task>(await Fhir.CreateAsync(OperatorAccess.Instance, "Task", new Hl7.Fhir.Model.Task
        {
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
            Description = "Repeat blood cultures",
            For = new ResourceReference($"Patient/{duplicate.Id}"),
        }, null, default));
        await using var records = await browser.NewPageAsync();
        await records.SignInAsync("records");
        var page = records.Page;
        Assert.EndsWith("/patients/search", page.Url, StringComparison.Ordinal);

        await records.GotoAsync($"/patients/{duplicate.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Merge this record into another" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Merge this record into another", Level = 1 })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByLabel("NHS number or hospital number of the record to keep").FillAsync(PatientDisplay.HospitalNumber(surviving));
        await page.GetByRole(AriaRole.Button, new() { Name = "Find the record to keep" }).ClickAsync();
        var compared = page.GetByRole(AriaRole.Table, new() { Name = "The two records" });
        await Assertions.Expect(compared).ToContainTextAsync(PatientDisplay.HospitalNumber(surviving));
        await Assertions.Expect(compared).ToContainTextAsync("(differs)");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "merge-records");

        await page.GetByRole(AriaRole.Button, new() { Name = "Merge the records" }).ClickAsync();
        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter the reason for merging these records");
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        Assert.Equal($"Patient/{duplicate.Id}", (await ReadAsync<Observation>(observation.Id!)).Subject!.Reference);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        const string reason = "Registered twice in ED; same person, confirmed with the GP practice";
        await page.GetByLabel("Why are these the same person?").FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge the records" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Records merged: 2 entries moved to this record.")).ToBeVisibleAsync();
        Assert.EndsWith($"/patients/{surviving.Id}", page.Url, StringComparison.Ordinal);

        Assert.Equal($"Patient/{surviving.Id}", (await ReadAsync<Observation>(observation.Id!)).Subject!.Reference);
        Assert.Equal($"Patient/{surviving.Id}", (await ReadAsync<Hl7.Fhir.Model.Task>(task.Id!)).For!.Reference);
        var retired = await ReadAsync<Patient>(duplicate.Id!);
        Assert.False(retired.Active);
        Assert.Equal($"Patient/{surviving.Id}", RecordMerge.ReplacedBy(retired));
        Assert.Contains((await ReadAsync<Patient>(surviving.Id!)).Link, l => l.Type == Patient.LinkType.Replaces && l.Other.Reference == $"Patient/{duplicate.Id}");
        // Each entry of the merge's transaction has its own event, each with the reason given.
        var mergeEvent = Assert.Single(await AuditEventsAsync(surviving.Id!), e => e.GetStringExtension(AuditEventFactory.DetailExtension)?.Contains(reason, StringComparison.Ordinal) == true
            && e.Entity.Any(entity => entity.What?.Reference == $"Observation/{observation.Id}/_history/2"));
        Assert.Equal("Morgan Reid (demo records manager)", mergeEvent.Agent[0].Who?.Display);

        // Found by its old hospital number, the duplicate says where its patient is now.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Find a patient by NHS number, date of birth or name" }).FillAsync(PatientDisplay.HospitalNumber(duplicate));
        await page.GetByRole(AriaRole.Button, new() { Name = "Find patient" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Use the record it was merged into" })).ToHaveAttributeAsync("href", $"/patients/{surviving.Id}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await records.GotoAsync($"/patients/{duplicate.Id}");
        await Assertions.Expect(page.GetByText("This record has been merged")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "the record it was merged into" })).ToHaveAttributeAsync("href", $"/patients/{surviving.Id}");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Undo the merge" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Undo the merge of this record", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(reason);
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await page.GetByLabel("Why was the merge wrong?").FillAsync("Twins: different people after all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo the merge" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Merge undone: 2 entries moved back to this record.")).ToBeVisibleAsync();

        Assert.Equal($"Patient/{duplicate.Id}", (await ReadAsync<Observation>(observation.Id!)).Subject!.Reference);
        Assert.Equal($"Patient/{duplicate.Id}", (await ReadAsync<Hl7.Fhir.Model.Task>(task.Id!)).For!.Reference);
        var restored = await ReadAsync<Patient>(duplicate.Id!);
        Assert.True(restored.Active);
        Assert.Null(RecordMerge.ReplacedBy(restored));
        Assert.DoesNotContain((await ReadAsync<Patient>(surviving.Id!)).Link, l => l.Other.Reference == $"Patient/{duplicate.Id}");
        await Assertions.Expect(page.GetByText("This record has been merged")).ToHaveCountAsync(0);
        Assert.Empty(records.Problems);
    }

    [Fact]
    public async Task A_record_changed_after_the_comparison_saves_nothing_and_is_compared_again()
    {
        var (duplicate, surviving, observation) = await TwoRecordsOfOnePersonAsync("Quorrington");
        await using var records = await browser.NewPageAsync();
        await records.SignInAsync("records");
        var page = records.Page;
        await records.GotoAsync($"/patients/{duplicate.Id}/merge");
        await page.GetByLabel("NHS number or hospital number of the record to keep").FillAsync(PatientDisplay.HospitalNumber(surviving));
        await page.GetByRole(AriaRole.Button, new() { Name = "Find the record to keep" }).ClickAsync();
        await page.GetByLabel("Why are these the same person?").FillAsync("Same person");

        // Meanwhile a clerk corrects the date of birth on the record to keep: the comparison is out of date.
        var corrected = await ReadAsync<Patient>(surviving.Id!);
        corrected.BirthDate = "1961-11-19";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", corrected.Id!, corrected, null, default);
        await page.GetByRole(AriaRole.Button, new() { Name = "Merge the records" }).ClickAsync();

        await Assertions.Expect(page.Locator(".nhsuk-error-summary")).ToContainTextAsync("One of the records changed after you compared them, so nothing was saved");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "The two records" })).ToContainTextAsync("19-Nov-1961 (differs)");
        Assert.Equal($"Patient/{duplicate.Id}", (await ReadAsync<Observation>(observation.Id!)).Subject!.Reference);
        Assert.Null(RecordMerge.ReplacedBy(await ReadAsync<Patient>(duplicate.Id!)));
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
    }

    [Fact]
    public async Task A_nurse_cannot_merge_records()
    {
        var (duplicate, _, _) = await TwoRecordsOfOnePersonAsync("Quiddington");
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        var response = await nurse.GotoAsync($"/patients/{duplicate.Id}/merge");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot merge this record" })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.Locator("main")).ToContainTextAsync("Merging patient records needs a records manager.");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Find the record to keep" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
    }

    /// <summary>Two registrations of one person (illustrative data), the duplicate with a pulse reading of its own.</summary>
    private async Task<(Patient Duplicate, Patient Surviving, Observation Observation)> TwoRecordsOfOnePersonAsync(string family)
    {
        Patient Registration(string number) => new RegistrationForm
        {
            Family = family,
            Given = "Rhiannon",
            BirthDay = "9",
            BirthMonth = "11",
            BirthYear = "1961",
            Sex = "female",
            AddressLine = "4 Kirkgate",
            Town = "Leeds",
            Postcode = "LS2 7DJ",
            NhsNumberUnavailableReason = "nhs-number-not-known",
        }.ToResource(number);

        var suffix = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var duplicate = Created<Patient>(await Fhir.CreateAsync(OperatorAccess.Instance, "Patient", Registration($"H98{suffix[..5]}"), null, default));
        var surviving = Created<Patient>(await Fhir.CreateAsync(OperatorAccess.Instance, "Patient", Registration($"H97{suffix[..5]}"), null, default));
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")],
            // A weight, not a NEWS2 input: a heart rate would bring its NEWS2 score along as a third entry.
            Code = new CodeableConcept("http://loinc.org", "29463-7", "Body weight"),
            Subject = new ResourceReference($"Patient/{duplicate.Id}"),
            Effective = new FhirDateTime(DateTimeOffset.UtcNow.AddHours(-2)),
            Value = new Quantity(72, "kg", "http://unitsofmeasure.org") { Unit = "kg" },
        };
        var created = Created<Observation>(await Fhir.CreateAsync(OperatorAccess.Instance, "Observation", observation, null, default));
        return (duplicate, surviving, created);
    }

    private static T Created<T>(FhirResponse response) where T : Resource => (T)FhirSerialization.ParseJson(response.Stored!.Json!);

    private async Task<T> ReadAsync<T>(string id) where T : Resource => await PatientReads.ReadAsync<T>(Fhir, OperatorAccess.Instance, id, default);

    private async Task<IReadOnlyList<AuditEvent>> AuditEventsAsync(string patientId)
    {
        var found = await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, "AuditEvent", [new("patient", patientId), new("_count", "100")], default);
        return [.. found.Of<AuditEvent>()];
    }
}

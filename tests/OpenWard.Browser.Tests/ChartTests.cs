using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// The chart as the demo nurse reads it: the summary of a patient on her ward shows each part of the
/// record from what was written (and not an older reading as the latest), each tab loads clean, the
/// observations and the timeline page back through older entries without losing or repeating any,
/// a tab of a patient she does not care for is refused, and two browser tabs showing two patients
/// both say so. Data is written through FhirRestService as an operator (illustrative).
/// </summary>
/// <remarks>
/// Patients of their own, so no other test's data shows here: ids sorted between the demo patients
/// pat-000003 and pat-000004 (the tests that take the first or last demo patient are not moved),
/// admitted to beds 5 and 6 of the nurse's ward (loc-ward-01), which no other test uses.
/// </remarks>
[Collection(BrowserCollection.Name)]
public sealed class ChartTests(BrowserFixture browser)
{
    private const string Summarised = "pat-000003-chart-a";
    private const string Other = "pat-000003-chart-b";

    /// <summary>Old heart-rate readings, one a day, enough for a second page of observations.</summary>
    private const int OldReadings = 52;

    private static readonly SemaphoreSlim Seeding = new(1, 1);
    private static bool _seeded;

    [Fact]
    public async Task The_summary_shows_each_part_of_the_record_and_the_latest_of_each_vital_sign()
    {
        await SeedAsync();
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        await nurse.GotoAsync($"/patients/{Summarised}");

        var page = nurse.Page;
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "SUMMARY, Olive", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(Section(page, "Active problems")).ToContainTextAsync("Type 2 diabetes mellitus");
        await Assertions.Expect(Section(page, "Active problems")).Not.ToContainTextAsync("Fractured wrist");
        await Assertions.Expect(Section(page, "Allergies")).ToContainTextAsync("Penicillin: Rash (Moderate)");
        await Assertions.Expect(Section(page, "Current medicines")).ToContainTextAsync("Metformin 500mg tablets: One tablet twice a day");
        await Assertions.Expect(Section(page, "Current medicines")).ToContainTextAsync("Ibuprofen 200mg tablets");
        await Assertions.Expect(Section(page, "Current medicines")).Not.ToContainTextAsync("Amoxicillin");
        await Assertions.Expect(Section(page, "Current admission")).ToContainTextAsync("Acute Medical Unit bed 5");
        var heartRate = Section(page, "Latest observations").Locator("tr", new() { HasText = "Heart rate" });
        await Assertions.Expect(heartRate).ToHaveCountAsync(1);
        await Assertions.Expect(heartRate).ToContainTextAsync("99 /min");
        await Assertions.Expect(Section(page, "Latest observations").Locator("tr", new() { HasText = "Blood pressure" })).ToContainTextAsync("132/84 mmHg");
        await Assertions.Expect(Section(page, "Recent results")).ToContainTextAsync("Full blood count: Final");
        await Assertions.Expect(Section(page, "Recent results")).ToContainTextAsync("Sodium: 139 mmol/L");
        await Assertions.Expect(Section(page, "Pending tasks")).ToContainTextAsync("Take blood for urea and electrolytes: Requested");
        await Assertions.Expect(Section(page, "Pending tasks")).Not.ToContainTextAsync("Done already");
        await Assertions.Expect(Section(page, "Recent notes and documents")).ToContainTextAsync("Ward round note");
        await Assertions.Expect(Section(page, "Recent notes and documents")).ToContainTextAsync("Letter from the GP");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" }).GetByRole(AriaRole.Link, new() { Name = "Summary" })).ToHaveAttributeAsync("aria-current", "page");
        await BrowserFixture.AssertNoAxeViolationsAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "chart-summary");
        Assert.Empty(nurse.Problems);
    }

    [Theory]
    [InlineData("Problems", "Problems", "Fractured wrist")]
    [InlineData("Allergies", "Allergy records", "Penicillin")]
    [InlineData("Observations", "Observations", "Heart rate")]
    [InlineData("Medicines", "Medicines", "Amoxicillin 500mg capsules")]
    [InlineData("Results", "Results", "Sodium")]
    [InlineData("Documents", "Documents", "Letter from the GP")]
    [InlineData("Timeline", "Timeline", "Chest X-ray")]
    public async Task Each_tab_of_the_chart_loads_with_its_records_and_no_accessibility_violations(string tab, string heading, string content)
    {
        await SeedAsync();
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{Summarised}");

        await nurse.Page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" }).GetByRole(AriaRole.Link, new() { Name = tab, Exact = true }).ClickAsync();
        await nurse.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.Locator("main")).ToContainTextAsync(content);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = tab, Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Region, new() { Name = "Patient" })).ToContainTextAsync("Penicillin");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task Observations_page_back_to_older_readings_newest_first()
    {
        await SeedAsync();
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{Summarised}/observations");

        // The list, not the NEWS2 chart's table above it on the first page.
        var rows = nurse.Page.Locator("table", new() { HasText = "Observations, newest first" }).Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(50);
        await Assertions.Expect(rows.First).ToContainTextAsync("Heart rate");
        await Assertions.Expect(rows.First).ToContainTextAsync("99 /min");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Newer observations" })).ToHaveCountAsync(0);

        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Older observations" }).ClickAsync();

        // 4 recent vital signs, 1 laboratory result and the old readings: 57 in all, 7 on the second page.
        await Assertions.Expect(rows).ToHaveCountAsync(4 + 1 + OldReadings - 50);
        await Assertions.Expect(rows.Last).ToContainTextAsync($"{40 + OldReadings - 1} /min"); // the oldest reading, last
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Older observations" })).ToHaveCountAsync(0);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Newer observations" })).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task The_timeline_lists_everything_newest_first_and_pages_without_losing_or_repeating_an_entry()
    {
        await SeedAsync();
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{Summarised}/timeline");

        var entries = nurse.Page.Locator(".openward-timeline__entry");
        await Assertions.Expect(entries).ToHaveCountAsync(Timeline.PageSize);
        var main = nurse.Page.Locator("main");
        foreach (var kind in new[] { "Encounter:", "Observation:", "Problem recorded:", "Allergy recorded:", "Prescribed:", "Medicine reported:", "Report:", "Document:", "Note:", "Procedure:" })
        {
            await Assertions.Expect(main).ToContainTextAsync(kind);
        }

        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "chart-timeline");
        var seen = (await entries.AllInnerTextsAsync()).ToList();
        while (await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Older entries" }).CountAsync() > 0)
        {
            await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Older entries" }).ClickAsync();
            await nurse.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            seen.AddRange(await entries.AllInnerTextsAsync());
        }

        // Every old heart-rate reading exactly once, in order from newest to oldest.
        var readings = seen.Where(e => e.Contains("Heart rate", StringComparison.Ordinal)).ToList();
        var old = Enumerable.Range(0, OldReadings).Select(i => $"{40 + i} /min").ToList();
        Assert.Equal(old, [.. readings.Select(r => old.FirstOrDefault(v => r.Contains(v, StringComparison.Ordinal))).OfType<string>()]);
        Assert.Single(seen, e => e.Contains("Chest X-ray", StringComparison.Ordinal));
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Back to the newest" })).ToBeVisibleAsync();
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task A_tab_of_a_patient_the_nurse_does_not_care_for_is_refused_and_points_to_break_glass()
    {
        var patientId = await DemoWard.PatientWithoutNurseAsync(browser.Services);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        var response = await nurse.GotoAsync($"/patients/{patientId}/medicines");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "You need a reason to open this record" })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Give a reason to open the record" })).ToHaveAttributeAsync("href", $"/patients/{patientId}");
        await Assertions.Expect(nurse.Page.Locator("table")).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
    }

    [Fact]
    public async Task Two_browser_tabs_showing_two_patients_both_warn_and_the_warning_goes_when_they_agree()
    {
        await SeedAsync();
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{Summarised}");
        var second = await nurse.Page.Context.NewPageAsync();
        await second.GotoAsync($"/patients/{Other}/problems", new() { WaitUntil = WaitUntilState.NetworkIdle });

        var first = nurse.Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "another tab" });
        await Assertions.Expect(first).ToHaveTextAsync("You have another patient's record open in another tab: SECOND, Pat");
        await Assertions.Expect(second.GetByRole(AriaRole.Alert).Filter(new() { HasText = "another tab" })).ToHaveTextAsync("You have another patient's record open in another tab: SUMMARY, Olive");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        // The second tab moves to the first tab's patient: nobody is at risk of a mix-up any more.
        await second.GotoAsync($"/patients/{Summarised}/timeline", new() { WaitUntil = WaitUntilState.NetworkIdle });
        await Assertions.Expect(first).ToHaveCountAsync(0);
        await Assertions.Expect(second.GetByRole(AriaRole.Alert).Filter(new() { HasText = "another tab" })).ToHaveCountAsync(0);
        Assert.Empty(nurse.Problems);
    }

    private static ILocator Section(IPage page, string heading) => page.GetByRole(AriaRole.Region, new() { Name = heading, Exact = true });

    /// <summary>Writes the two patients and the first one's record, once for the collection.</summary>
    private async Task SeedAsync()
    {
        await Seeding.WaitAsync();
        try
        {
            if (_seeded)
            {
                return;
            }

            await WriteAsync(Summarised, new Patient { Name = [new HumanName { Family = "Summary", Given = ["Olive"] }], Gender = AdministrativeGender.Female, BirthDate = "1950-04-02" });
            await WriteAsync(Other, new Patient { Name = [new HumanName { Family = "Second", Given = ["Pat"] }], Gender = AdministrativeGender.Male, BirthDate = "1962-11-20" });
            await DemoWard.AdmitAsync(browser.Services, Summarised, "loc-ward-01-bed-05", TimeSpan.FromDays(1));
            await DemoWard.AdmitAsync(browser.Services, Other, "loc-ward-01-bed-06", TimeSpan.FromDays(1));
            foreach (var resource in Record(Summarised, DateTimeOffset.UtcNow))
            {
                await browser.Services.GetRequiredService<FhirRestService>().CreateAsync(OperatorAccess.Instance, resource.TypeName, resource, null, default);
            }

            _seeded = true;
        }
        finally
        {
            Seeding.Release();
        }
    }

    private async Task WriteAsync(string id, Patient patient)
    {
        patient.Id = id;
        await browser.Services.GetRequiredService<FhirRestService>().UpdateAsync(OperatorAccess.Instance, "Patient", id, patient, null, default);
    }

    /// <summary>A little of everything, with an older reading that must not show as the latest, a resolved problem, a stopped medicine and a finished task.</summary>
    private static IEnumerable<Resource> Record(string patientId, DateTimeOffset now)
    {
        var subject = new ResourceReference($"Patient/{patientId}");
        string At(TimeSpan ago) => new FhirDateTime(now - ago).Value!;
        var clinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
        yield return new Condition
        {
            ClinicalStatus = new CodeableConcept(clinical, "active"),
            Code = new CodeableConcept { Text = "Type 2 diabetes mellitus" },
            Subject = subject,
            RecordedDate = At(TimeSpan.FromHours(5)),
        };
        yield return new Condition
        {
            ClinicalStatus = new CodeableConcept(clinical, "resolved"),
            Code = new CodeableConcept { Text = "Fractured wrist" },
            Subject = subject,
            RecordedDate = At(TimeSpan.FromDays(400)),
        };
        var allergy = new AllergyForm { Statement = AllergyForm.AllergyStatement, SubstanceText = "Penicillin", Reaction = "Rash", Severity = "moderate" }.ToResource(patientId, null, now.AddHours(-4));
        yield return allergy;
        yield return Prescription("Metformin 500mg tablets", MedicationRequest.MedicationrequestStatus.Active, At(TimeSpan.FromHours(3)));
        yield return Prescription("Amoxicillin 500mg capsules", MedicationRequest.MedicationrequestStatus.Stopped, At(TimeSpan.FromDays(20)));
        yield return new MedicationStatement
        {
            Status = MedicationStatement.MedicationStatusCodes.Active,
            Medication = new CodeableConcept { Text = "Ibuprofen 200mg tablets" },
            Subject = subject,
            Effective = new FhirDateTime(now.AddHours(-6)),
        };
        yield return Vital("8867-4", "Heart rate", 99, "/min", At(TimeSpan.FromHours(1)));
        yield return Vital("8867-4", "Heart rate", 120, "/min", At(TimeSpan.FromHours(2)));
        yield return Vital("9279-1", "Respiratory rate", 18, "/min", At(TimeSpan.FromHours(1)));
        var pressure = Vital("85354-9", "Blood pressure", null, null, At(TimeSpan.FromHours(1)));
        pressure.Component =
        [
            new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8480-6", "Systolic blood pressure"), Value = new Quantity(132, "mm[Hg]", "http://unitsofmeasure.org") { Unit = "mm[Hg]" } },
            new Observation.ComponentComponent { Code = new CodeableConcept("http://loinc.org", "8462-4", "Diastolic blood pressure"), Value = new Quantity(84, "mm[Hg]", "http://unitsofmeasure.org") { Unit = "mm[Hg]" } },
        ];
        yield return pressure;
        for (var i = 0; i < OldReadings; i++)
        {
            yield return Vital("8867-4", "Heart rate", 40 + i, "/min", At(TimeSpan.FromDays(10 + i)));
        }

        var sodium = Vital("2951-2", "Sodium", 139, "mmol/L", At(TimeSpan.FromHours(3)));
        sodium.Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory")];
        yield return sodium;
        yield return new DiagnosticReport
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Code = new CodeableConcept { Text = "Full blood count" },
            Subject = subject,
            Effective = new FhirDateTime(now.AddHours(-3)),
            Conclusion = "Within normal limits",
        };
        yield return Chore("Take blood for urea and electrolytes", Hl7.Fhir.Model.Task.TaskStatus.Requested);
        yield return Chore("Done already", Hl7.Fhir.Model.Task.TaskStatus.Completed);
        yield return new DocumentReference
        {
            Status = DocumentReferenceStatus.Current,
            Subject = subject,
            Date = now.AddHours(-7),
            Description = "Letter from the GP",
            Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/plain", Title = "Letter from the GP" } }],
        };
        yield return new Composition
        {
            Status = CompositionStatus.Final,
            Type = new CodeableConcept { Text = "Ward round note" },
            Subject = subject,
            Date = At(TimeSpan.FromHours(2)),
            Author = [new ResourceReference("Practitioner/prac-001")],
            Title = "Ward round note",
        };
        yield return new Procedure
        {
            Status = EventStatus.Completed,
            Code = new CodeableConcept { Text = "Chest X-ray" },
            Subject = subject,
            Performed = new FhirDateTime(now.AddHours(-8)),
        };

        MedicationRequest Prescription(string medicine, MedicationRequest.MedicationrequestStatus status, string authored) => new()
        {
            Status = status,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = medicine },
            Subject = subject,
            AuthoredOn = authored,
            DosageInstruction = [new Dosage { Text = "One tablet twice a day" }],
        };

        // LOINC codes as in the FHIR R4 vital signs profiles (hl7.org/fhir/R4/observation-vitalsigns.html).
        Observation Vital(string loinc, string name, decimal? value, string? unit, string at) => new()
        {
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs")],
            Code = new CodeableConcept("http://loinc.org", loinc, name) { Text = name },
            Subject = subject,
            Effective = new FhirDateTime(at),
            Value = value is null ? null : new Quantity(value.Value, unit, "http://unitsofmeasure.org") { Unit = unit },
        };

        Hl7.Fhir.Model.Task Chore(string what, Hl7.Fhir.Model.Task.TaskStatus status) => new()
        {
            Status = status,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
            Description = what,
            For = subject,
            AuthoredOn = At(TimeSpan.FromHours(2)),
        };
    }
}

namespace OpenWard.LoadTool.Tests;

public class LoadRunTests
{
    [Fact]
    public async Task A_one_client_one_second_read_run_on_five_patients_reports_its_reads()
    {
        var options = LoadToolCommandLine.Parse(["--patients", "5", "--clients", "1", "--duration", "1", "--warmup", "0", "--scenarios", "read"]).Options!;
        using var output = new StringWriter();

        var report = await LoadRun.RunAsync(options, output, CancellationToken.None);

        var read = Assert.Single(report.Results);
        Assert.Equal(ScenarioNames.Read, read.Name);
        Assert.True(read.Units > 0, output.ToString());
        Assert.Equal(0, read.Errors);
        Assert.Equal(read.Units, read.SortedLatencyTicks.Length);
        Assert.True(read.PercentileMilliseconds(99) >= read.PercentileMilliseconds(50));
        Assert.Contains("| read | reads | 1 |", report.ToMarkdown(DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_aimed_at_another_machine_is_refused_before_any_request()
    {
        var options = new LoadOptions { Url = new Uri("http://192.0.2.10:8080") };

        await Assert.ThrowsAsync<ArgumentException>(() => LoadRun.RunAsync(options, TextWriter.Null, CancellationToken.None));
    }

    [Fact]
    public async Task A_page_run_signs_in_as_the_demo_nurse_and_opens_the_charts_and_problem_search_of_her_ward_and_the_large_record()
    {
        var options = LoadToolCommandLine.Parse(
            ["--patients", "150", "--clients", "1", "--duration", "1", "--warmup", "0", "--scenarios", "page-my-patients,page-find,page-chart,page-problem-search,page-chart-large"]).Options!;
        using var output = new StringWriter();

        var report = await LoadRun.RunAsync(options, output, CancellationToken.None);

        // A page that is the sign-in form, the break-glass question or an error page counts as an error.
        Assert.Equal(["page-my-patients", "page-find", "page-chart", "page-problem-search", "page-chart-large"], report.Results.Select(r => r.Name));
        Assert.All(report.Results, r => Assert.True(r.Units > 0 && r.Errors == 0, $"{r.Name}: {r.Units} pages, {r.Errors} errors ({r.FirstError})\n{output}"));
        Assert.Contains($"Loaded the large record ({LargeRecord.Encounters} encounters", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("| page-chart-large | pages | 1 |", report.ToMarkdown(DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
        Assert.Contains("p95 ≤ 250 ms (#4)", report.ToMarkdown(DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }

    [Fact]
    public void The_large_record_has_500_encounters_and_5000_observations_of_one_patient_with_one_admission_in_progress_on_the_demo_ward()
    {
        var record = LargeRecord.Build(LoadRun.Seed, 10);

        var patient = Assert.IsType<Hl7.Fhir.Model.Patient>(record[0]);
        Assert.Equal(LargeRecord.PatientId, patient.Id);
        var encounters = record.OfType<Hl7.Fhir.Model.Encounter>().ToList();
        Assert.Equal(500, encounters.Count);
        Assert.Equal(5000, record.OfType<Hl7.Fhir.Model.Observation>().Count());
        var current = Assert.Single(encounters, e => e.Status == Hl7.Fhir.Model.Encounter.EncounterStatus.InProgress);
        Assert.Equal($"Location/{OpenWard.Web.Security.DemoStaff.Ward}", current.Location.Single().Location.Reference);
        Assert.All(record.Skip(1), r => Assert.DoesNotContain("pat-000011", OpenWard.Fhir.Serialization.FhirSerialization.ToJson(r), StringComparison.Ordinal));
        Assert.Equal(record.Count, record.Select(r => $"{r.TypeName}/{r.Id}").Distinct().Count());
    }
}

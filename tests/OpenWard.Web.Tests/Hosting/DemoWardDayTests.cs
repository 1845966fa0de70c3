using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Hosting;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Tests.Hosting;

/// <summary>
/// Demo mode's living ward (issue #19): started with 100 demo patients, the demo nurse's ward is
/// about 90% full, every demo inpatient was admitted in the last days and has a NEWS2 score from
/// today, the scores span the bands, some sets are overdue and an escalation is open; a second start
/// the same day adds nothing.
/// </summary>
public sealed class DemoWardDayTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-demo-ward-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_demo_ward_is_nine_tenths_full_of_patients_admitted_in_the_last_days_with_recent_scores_in_every_band()
    {
        var app = await StartAsync();
        try
        {
            var fhir = app.Services.GetRequiredService<FhirRestService>();
            var access = OperatorAccess.Instance;
            var now = DateTimeOffset.UtcNow;
            var onWard = (await PatientReads.SearchAsync(fhir, access, "Encounter", [new("status", "in-progress"), new("location", $"Location/{DemoStaff.Ward}"), new("_count", "100")], default)).Of<Encounter>().ToList();
            Assert.InRange(onWard.Count, 21, 23); // 90% of 24 beds, give or take one
            Assert.All(onWard, e => Assert.InRange(now - DateTimeOffset.Parse(e.Period!.Start!, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero, TimeSpan.FromDays(7)));

            var scores = (await PatientReads.SearchAsync(fhir, access, "Observation", [new("code", $"{VitalSigns.Snomed}|{VitalSigns.News2TotalCode}"), new("date", "ge" + now.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture)), new("_count", "1000")], default))
                .Of<Observation>().Where(News2Set.IsOwnScore).ToList();
            var latest = scores.GroupBy(s => s.Subject!.Reference).Select(g => ObservationsDue.From(g)).ToList();
            Assert.True(latest.Count >= onWard.Count, $"{latest.Count} patients scored today for {onWard.Count} on the ward");
            Assert.Equal(Enum.GetValues<News2Response>().ToHashSet(), latest.Select(d => ObservationsDue.ResponseOf(d.Score!)).ToHashSet());
            Assert.Contains(latest, d => d.IsOverdue(now));
            Assert.Contains(latest, d => !d.IsOverdue(now));
            var open = (await PatientReads.SearchAsync(fhir, access, "Task", [new("code", $"{EscalationTasks.CodeSystem}|{EscalationTasks.EscalationCode}"), new("status", "requested"), new("_count", "100")], default)).Of<Hl7.Fhir.Model.Task>().ToList();
            Assert.NotEmpty(open);

            // The same day again: nothing more.
            async Task<int> AllScoresAsync() => (await PatientReads.SearchAsync(fhir, access, "Observation", [new("code", $"{VitalSigns.Snomed}|{VitalSigns.News2TotalCode}"), new("_count", "1000")], default)).Of<Observation>().Count(News2Set.IsOwnScore);
            var before = await AllScoresAsync();
            await DemoWardDay.SeedAsync(fhir, TimeProvider.System, default);
            Assert.Equal(before, await AllScoresAsync());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private async Task<WebApplication> StartAsync()
    {
        var app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_folder}",
            "--OpenWard:DemoData=true",
            "--OpenWard:DemoPatients=100",
            "--OpenWard:Jobs:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        return app;
    }
}

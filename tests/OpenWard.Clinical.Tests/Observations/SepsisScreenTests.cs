using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;

namespace OpenWard.Clinical.Tests.Observations;

/// <summary>The sepsis screen's prompt, risk and tracking (NICE NG51 2024 1.11.5; AoMRC 2022 antibiotic timing).</summary>
public sealed class SepsisScreenTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(9, "high", 60)]
    [InlineData(7, "high", 60)]
    [InlineData(6, "moderate", 180)]
    [InlineData(5, "moderate", 180)]
    [InlineData(4, "low", 360)]
    [InlineData(1, "low", 360)]
    public void Risk_and_the_antibiotic_window_follow_the_score(int total, string risk, int minutes)
    {
        var (said, within) = SepsisScreen.RiskOf(total);
        Assert.Equal(risk, said);
        Assert.Equal(TimeSpan.FromMinutes(minutes), within);
    }

    [Fact]
    public void The_screen_is_prompted_only_with_suspected_infection_and_a_score_of_5_or_a_red_score()
    {
        var five = News2.Score(new News2Inputs(RespirationRate: 22, Pulse: 115, Temperature: 38.5m));
        var redOnly = News2.Score(new News2Inputs(SystolicBloodPressure: 88));
        var four = News2.Score(new News2Inputs(RespirationRate: 22, Pulse: 115));
        Assert.True(SepsisScreen.Prompted(five, infectionSuspected: true));
        Assert.True(SepsisScreen.Prompted(redOnly, infectionSuspected: true));
        Assert.False(SepsisScreen.Prompted(four, infectionSuspected: true));
        Assert.False(SepsisScreen.Prompted(five, infectionSuspected: false));
    }

    [Theory]
    [InlineData("2010-12-09", 15)]
    [InlineData("2010-12-08", 16)]
    [InlineData("1950-01-01", 76)]
    public void Age_is_in_whole_years_at_the_time_of_the_set(string born, int age) =>
        Assert.Equal(age, SepsisScreen.AgeAt(new Patient { BirthDate = born }, Now));

    [Fact]
    public void A_partial_birth_date_gives_no_age() => Assert.Null(SepsisScreen.AgeAt(new Patient { BirthDate = "1950" }, Now));

    [Fact]
    public void Sepsis_likely_starts_the_antibiotic_clock_and_giving_them_measures_it_against_the_target()
    {
        var task = Prompted(total: 8);
        SepsisScreen.RecordDecision(task, likely: true, Now);
        Assert.True(SepsisScreen.Track(task));
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.InProgress, task.Status);
        Assert.Equal(Now.AddHours(1), EscalationTasks.Due(task));
        Assert.Contains("antibiotics due by 11:00", task.BusinessStatus!.Text, StringComparison.Ordinal);

        SepsisScreen.RecordAntibiotics(task, Now.AddMinutes(75));
        SepsisScreen.Track(task);
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Completed, task.Status);
        Assert.Equal("Antibiotics 75 minutes after the decision (target 60): NOT met", task.BusinessStatus!.Text);
        Assert.Single(task.Output, o => o.Type.Coding[0].Code == SepsisScreen.TimeToAntibioticsOutput);
    }

    [Fact]
    public void Sepsis_unlikely_completes_the_screen_and_no_decision_tracks_nothing()
    {
        var task = Prompted(total: 5);
        Assert.False(SepsisScreen.Track(task));
        SepsisScreen.RecordDecision(task, likely: false, Now);
        Assert.True(SepsisScreen.Track(task));
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Completed, task.Status);
        Assert.Contains("sepsis unlikely", task.BusinessStatus!.Text, StringComparison.Ordinal);
        Assert.Equal(SepsisScreen.SepsisUnlikely, SepsisScreen.OutcomeOf(task));
    }

    private static Hl7.Fhir.Model.Task Prompted(int total)
    {
        // 8: respiration 26 (3), pulse 135 (3), systolic 95 (2). 5: respiration 22 (2), pulse 115 (2), temperature 38.5 (1).
        var values = total >= 7
            ? new[] { ("9279-1", 26m, "/min"), ("8867-4", 135m, "/min"), ("8480-6", 95m, "mm[Hg]") }
            : new[] { ("9279-1", 22m, "/min"), ("8867-4", 115m, "/min"), ("8310-5", 38.5m, "Cel") };
        var observations = values.Select((v, n) => new Observation
        {
            Id = $"o{n}",
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(VitalSigns.Loinc, v.Item1),
            Effective = new FhirDateTime(Now),
            Value = new Quantity(v.Item2, v.Item3),
        });
        var set = News2Set.Of("p1", Now, observations, scale2: false);
        Assert.Equal(total, set.Result.Total);
        var task = SepsisScreen.Prompt(set, 70, Now);
        Assert.Equal(total >= 7 ? 60m : 180m, ((Quantity)task.Input.Single(i => i.Type.Coding[0].Code == SepsisScreen.AntibioticsWithinInput).Value).Value);
        return task;
    }
}

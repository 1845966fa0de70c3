using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.Web.Ui;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenWard.Web.Tests.Ui;

public sealed class WardBoardTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 14, 0, 0, TimeSpan.Zero);

    private sealed record Row(string Name, int? Bed, BoardStatus Status);

    [Fact]
    public void The_latest_score_is_shown_with_its_band_in_words_and_the_trend_against_the_one_before()
    {
        var status = WardBoard.For([Score(3, "low", Now.AddHours(-5)), Score(7, "high", Now.AddMinutes(-10)), Score(1, "low", Now.AddHours(-9))], []);

        Assert.Equal(7, status.Latest!.Total);
        Assert.Equal("7, High", WardBoard.ScoreText(status.Latest));
        Assert.Equal("up from 3", WardBoard.TrendText(status));
        Assert.Equal("13:50", WardBoard.Clock(status.Latest.When, Now, London));
    }

    [Theory]
    [InlineData(6, 3, "up from 3")]
    [InlineData(2, 6, "down from 6")]
    [InlineData(4, 4, "same")]
    public void The_trend_says_up_down_or_same_against_the_previous_score(int latest, int previous, string expected)
    {
        var status = WardBoard.For([Score(previous, "low", Now.AddHours(-4)), Score(latest, "low", Now.AddHours(-1))], []);

        Assert.Equal(expected, WardBoard.TrendText(status));
    }

    [Fact]
    public void A_first_score_has_no_trend_and_an_incomplete_one_says_so()
    {
        var only = Score(2, "low", Now.AddHours(-1));
        only.Status = ObservationStatus.Preliminary;

        var status = WardBoard.For([only], []);

        Assert.Equal("first score", WardBoard.TrendText(status));
        Assert.Equal("2, Low (incomplete)", WardBoard.ScoreText(status.Latest!));
    }

    [Fact]
    public void Sender_scores_and_scores_entered_in_error_do_not_count()
    {
        var theirs = Score(9, "high", Now.AddMinutes(-5));
        theirs.Meta!.Tag.Clear();
        var wrong = Score(8, "high", Now.AddMinutes(-2));
        wrong.Status = ObservationStatus.EnteredInError;

        var status = WardBoard.For([Score(1, "low", Now.AddHours(-1)), theirs, wrong], []);

        Assert.Equal(1, status.Latest!.Total);
        Assert.Null(status.Previous);
    }

    [Fact]
    public void Observations_are_due_from_the_latest_score_and_overdue_says_by_how_long()
    {
        // Low (1-4): 4-hourly. Taken 5 h 10 min ago, due 1 h 10 min ago.
        var overdue = WardBoard.For([Score(2, "low", Now.AddHours(-5).AddMinutes(-10))], []);
        Assert.Equal("overdue by 1 h 10 min", WardBoard.DueText(overdue, Now, London));
        Assert.True(WardBoard.IsOverdue(overdue, Now));

        // Taken at 13:30 UTC (13:30 in London in December): due 17:30.
        var due = WardBoard.For([Score(2, "low", Now.AddMinutes(-30))], []);
        Assert.Equal("due 17:30", WardBoard.DueText(due, Now, London));
        Assert.False(WardBoard.IsOverdue(due, Now));
    }

    [Fact]
    public void A_patient_with_no_scores_has_no_observations_recorded_and_counts_as_overdue()
    {
        Assert.Equal("no observations recorded", WardBoard.DueText(BoardStatus.Nothing, Now, London));
        Assert.True(WardBoard.IsOverdue(BoardStatus.Nothing, Now));
        Assert.Equal("", WardBoard.TrendText(BoardStatus.Nothing));
    }

    [Theory]
    [InlineData(0.5, "under 1 min")]
    [InlineData(5, "5 min")]
    [InlineData(60, "1 h")]
    [InlineData(70, "1 h 10 min")]
    [InlineData(3 * 24 * 60, "3 days")]
    public void Spans_are_written_in_hours_and_minutes(double minutes, string expected) =>
        Assert.Equal(expected, WardBoard.Span(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void An_open_escalation_shows_its_responder_due_time_and_who_accepted_it()
    {
        var task = Escalation("esc-1", FhirTask.TaskStatus.Requested, Now.AddMinutes(-5));
        var awaiting = Assert.Single(WardBoard.For([], [task]).Escalations);
        Assert.True(awaiting.AwaitingResponse);
        Assert.Equal("Critical care outreach", awaiting.Responder);
        Assert.Equal("awaiting response", WardBoard.EscalationStateText(awaiting));
        Assert.Equal("overdue by 5 min", WardBoard.EscalationDueText(awaiting, Now, London));

        task.Status = FhirTask.TaskStatus.Accepted;
        task.Owner = new ResourceReference { Display = "Nia Evans" };
        var accepted = Assert.Single(WardBoard.For([], [task]).Escalations);
        Assert.False(accepted.AwaitingResponse);
        Assert.Equal("accepted by Nia Evans", WardBoard.EscalationStateText(accepted));
    }

    [Fact]
    public void Closed_Tasks_and_other_Tasks_are_not_escalations()
    {
        var done = Escalation("esc-1", FhirTask.TaskStatus.Completed, Now);
        var other = new FhirTask { Id = "t", Status = FhirTask.TaskStatus.Requested, Code = new CodeableConcept("http://example.org", "discharge-letter") };
        var sepsis = Escalation("sep-1", FhirTask.TaskStatus.Requested, Now.AddMinutes(30));
        sepsis.Code = new CodeableConcept(EscalationTasks.CodeSystem, EscalationTasks.SepsisScreenCode);

        var shown = Assert.Single(WardBoard.For([], [done, other, sepsis]).Escalations);
        Assert.Equal("Sepsis screen", shown.What);
        Assert.Equal("due 14:30", WardBoard.EscalationDueText(shown, Now, London));
    }

    [Fact]
    public void The_ward_is_ordered_by_unanswered_escalation_then_band_then_overdue_then_score_then_bed()
    {
        var fresh = Now.AddMinutes(-1);
        var stale = Now.AddHours(-13);
        Row[] rows =
        [
            new("routine", 1, WardBoard.For([Score(0, "routine", fresh)], [])),
            new("low-overdue", 2, WardBoard.For([Score(1, "low", stale)], [])),
            new("low-4", 3, WardBoard.For([Score(4, "low", fresh)], [])),
            new("low-2", 4, WardBoard.For([Score(2, "low", fresh)], [])),
            new("medium", 5, WardBoard.For([Score(5, "medium", fresh)], [])),
            new("high-accepted", 6, WardBoard.For([Score(8, "high", fresh)], [Escalation("a", FhirTask.TaskStatus.Accepted, Now.AddMinutes(10))])),
            new("low-medium", 7, WardBoard.For([Score(3, "low-medium", fresh)], [])),
            new("nothing", 8, BoardStatus.Nothing),
            new("medium-unanswered", 9, WardBoard.For([Score(5, "medium", fresh)], [Escalation("b", FhirTask.TaskStatus.Requested, Now.AddMinutes(10))])),
            new("low-2-no-bed", null, WardBoard.For([Score(2, "low", fresh)], [])),
            new("low-2-bed-1", 1, WardBoard.For([Score(2, "low", fresh)], [])),
        ];

        var ordered = WardBoard.Order(rows, r => r.Status, r => r.Bed, r => r.Bed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "No bed", Now);

        Assert.Equal(
            ["medium-unanswered", "high-accepted", "medium", "low-medium", "low-overdue", "low-4", "low-2-bed-1", "low-2", "low-2-no-bed", "routine", "nothing"],
            ordered.Select(r => r.Name));
    }

    [Fact]
    public void Every_band_has_words_a_symbol_and_a_colour_and_no_two_share_a_symbol()
    {
        var bands = Enum.GetValues<News2Response>();

        Assert.Equal(bands.Length, bands.Select(WardBoard.BandSymbol).Distinct().Count());
        Assert.Equal(bands.Length, bands.Select(WardBoard.BandText).Distinct().Count());
        Assert.All(bands, b => Assert.StartsWith("nhsuk-tag--", WardBoard.BandTagClass(b), StringComparison.Ordinal));
    }

    private static Observation Score(int total, string band, DateTimeOffset when) => new()
    {
        Id = $"news2-{total}-{when.ToUnixTimeSeconds()}",
        Meta = new Meta { Tag = [new Coding(News2Set.TagSystem, News2Set.OwnScoreTag)] },
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(VitalSigns.Snomed, VitalSigns.News2TotalCode),
        Effective = new FhirDateTime(when),
        Value = new Quantity { Value = total, Code = "{ScoreOf}" },
        Interpretation = [new CodeableConcept(News2Set.ResponseSystem, band)],
    };

    private static FhirTask Escalation(string id, FhirTask.TaskStatus status, DateTimeOffset due) => new()
    {
        Id = id,
        Meta = new Meta { VersionId = "1" },
        Status = status,
        Code = new CodeableConcept(EscalationTasks.CodeSystem, EscalationTasks.EscalationCode),
        PerformerType = [new CodeableConcept(EscalationTasks.LevelSystem, "emergency-response", "Critical care outreach", "Critical care outreach")],
        Restriction = new FhirTask.RestrictionComponent { Period = new Period { End = due.ToString("o", System.Globalization.CultureInfo.InvariantCulture) } },
    };
}

using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using static OpenWard.Clinical.Tests.Medicines.Prescriptions;

namespace OpenWard.Clinical.Tests.Medicines;

public sealed class DoseTimingTests
{
    [Theory]
    [InlineData(1, 1, 1)] // once a day
    [InlineData(2, 1, 2)] // BD
    [InlineData(3, 1, 3)] // TDS
    [InlineData(4, 1, 4)] // QDS
    public void Doses_per_day_from_frequency_per_day(int frequency, decimal period, decimal perDay)
    {
        Assert.Equal(perDay, DoseTiming.Frequency(new Timing { Repeat = Every(frequency, period, Timing.UnitsOfTime.D) }).Value!.PerDay);
    }

    [Theory]
    [InlineData("BID", 2)]
    [InlineData("TID", 3)]
    [InlineData("QID", 4)]
    [InlineData("Q4H", 6)]
    [InlineData("QOD", 0.5)]
    public void A_timing_abbreviation_code_says_how_often_when_repeat_does_not(string code, decimal perDay)
    {
        var timing = new Timing { Code = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation", code) };

        Assert.Equal(perDay, DoseTiming.Frequency(timing).Value!.PerDay);
        Assert.False(DoseTiming.Frequency(new Timing { Code = new CodeableConcept { Text = "as directed" } }).IsCalculated);
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(6, 4)]
    [InlineData(4, 6)]
    [InlineData(12, 2)]
    [InlineData(48, 0.5)]
    public void Every_so_many_hours_gives_doses_per_day(decimal hours, decimal perDay)
    {
        Assert.Equal(perDay, DoseTiming.Frequency(new Timing { Repeat = Every(1, hours, Timing.UnitsOfTime.H) }).Value!.PerDay);
    }

    [Fact]
    public void Once_a_week_keeps_its_weekly_count_and_a_daily_equivalent()
    {
        var weekly = DoseTiming.Frequency(new Timing { Repeat = Every(1, 1, Timing.UnitsOfTime.Wk) }).Value!;

        Assert.Equal(1m, weekly.PerWeek);
        Assert.True(weekly.IsWeeklyOrLonger);
        Assert.Equal(1m / 7m, weekly.PerDay);
    }

    [Fact]
    public void Days_of_the_week_count_doses_per_week()
    {
        var repeat = Every(1, 1, Timing.UnitsOfTime.D);
        repeat.DayOfWeek = [DaysOfWeek.Mon, DaysOfWeek.Thu];

        var frequency = DoseTiming.Frequency(new Timing { Repeat = repeat }).Value!;

        Assert.Equal(2m, frequency.PerWeek);
        Assert.True(frequency.IsWeeklyOrLonger);
    }

    [Fact]
    public void Each_time_of_day_is_one_dose()
    {
        var repeat = new Timing.RepeatComponent { TimeOfDay = ["08:00:00", "14:00:00", "22:00:00"] };

        Assert.Equal(3m, DoseTiming.Frequency(new Timing { Repeat = repeat }).Value!.PerDay);
    }

    [Fact]
    public void Times_of_day_that_agree_with_the_frequency_are_read()
    {
        var repeat = Every(2, 1, Timing.UnitsOfTime.D);
        repeat.TimeOfDay = ["08:00:00", "20:00:00"];

        Assert.Equal(2m, DoseTiming.Frequency(new Timing { Repeat = repeat }).Value!.PerDay);
    }

    [Fact]
    public void Times_of_day_that_disagree_with_the_frequency_are_not_guessed()
    {
        var repeat = Every(3, 1, Timing.UnitsOfTime.D);
        repeat.TimeOfDay = ["08:00:00", "20:00:00"];

        Assert.Equal(CannotCalculateReason.TimingNotUnderstood, DoseTiming.Frequency(new Timing { Repeat = repeat }).Reason);
    }

    [Fact]
    public void Named_times_of_day_count_one_dose_each()
    {
        var repeat = new Timing.RepeatComponent { When = [Timing.EventTiming.MORN, Timing.EventTiming.NIGHT] };

        Assert.Equal(2m, DoseTiming.Frequency(new Timing { Repeat = repeat }).Value!.PerDay);
    }

    [Fact]
    public void Before_meals_does_not_say_how_many_times()
    {
        var repeat = new Timing.RepeatComponent { When = [Timing.EventTiming.AC] };

        var result = DoseTiming.Frequency(new Timing { Repeat = repeat });

        Assert.Equal(CannotCalculateReason.TimingNotUnderstood, result.Reason);
        Assert.Contains("'AC'", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_to_values_are_read_at_their_most()
    {
        var repeat = Every(1, 4, Timing.UnitsOfTime.H);
        repeat.PeriodMax = 6;
        Assert.Equal(6m, DoseTiming.Frequency(new Timing { Repeat = repeat }).Value!.PerDay);

        var upToThree = Every(2, 1, Timing.UnitsOfTime.D);
        upToThree.FrequencyMax = 3;
        Assert.Equal(3m, DoseTiming.Frequency(new Timing { Repeat = upToThree }).Value!.PerDay);
    }

    [Fact]
    public void Missing_timing_or_frequency_is_said_plainly()
    {
        Assert.Equal(CannotCalculateReason.NoTiming, DoseTiming.Frequency(null).Reason);
        Assert.Equal(CannotCalculateReason.NoTiming, DoseTiming.Frequency(new Timing()).Reason);
        var none = DoseTiming.Frequency(new Timing { Repeat = new Timing.RepeatComponent() });
        Assert.Equal(CannotCalculateReason.NoFrequency, none.Reason);
        Assert.Contains("no frequency", none.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_monthly_period_is_not_guessed()
    {
        Assert.Equal(CannotCalculateReason.TimingNotUnderstood, DoseTiming.Frequency(new Timing { Repeat = Every(1, 1, Timing.UnitsOfTime.Mo) }).Reason);
    }
}

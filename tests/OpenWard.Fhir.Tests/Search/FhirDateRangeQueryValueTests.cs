using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search;

public class FhirDateRangeQueryValueTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static (DateTimeOffset Low, DateTimeOffset High) Range(string value)
    {
        Assert.True(FhirDateRange.TryParse(value, out var low, out var high), $"'{value}' should parse");
        Assert.Equal(TimeSpan.Zero, low.Offset);
        Assert.Equal(TimeSpan.Zero, high.Offset);
        return (low, high);
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void A_year_covers_the_whole_year()
    {
        var (low, high) = Range("2024");
        Assert.Equal(Utc(2024, 1, 1), low);
        Assert.Equal(Utc(2025, 1, 1) - Tick, high);
    }

    [Fact]
    public void A_month_covers_the_whole_month_including_a_leap_day()
    {
        var (low, high) = Range("2024-02");
        Assert.Equal(Utc(2024, 2, 1), low);
        Assert.Equal(Utc(2024, 2, 29, 23, 59, 59).AddTicks(9_999_999), high);
    }

    [Fact]
    public void A_day_covers_the_whole_day()
    {
        var (low, high) = Range("2024-03-01");
        Assert.Equal(Utc(2024, 3, 1), low);
        Assert.Equal(Utc(2024, 3, 2) - Tick, high);
    }

    [Fact]
    public void A_time_to_the_minute_covers_the_whole_minute()
    {
        var (low, high) = Range("2024-03-01T10:15Z");
        Assert.Equal(Utc(2024, 3, 1, 10, 15), low);
        Assert.Equal(Utc(2024, 3, 1, 10, 16) - Tick, high);
    }

    [Fact]
    public void A_time_to_the_second_covers_the_whole_second()
    {
        var (low, high) = Range("2024-03-01T10:15:30Z");
        Assert.Equal(Utc(2024, 3, 1, 10, 15, 30), low);
        Assert.Equal(Utc(2024, 3, 1, 10, 15, 31) - Tick, high);
    }

    [Fact]
    public void A_fraction_of_a_second_covers_its_last_digit()
    {
        var (low, high) = Range("2024-03-01T10:15:30.25Z");
        Assert.Equal(Utc(2024, 3, 1, 10, 15, 30).AddMilliseconds(250), low);
        Assert.Equal(Utc(2024, 3, 1, 10, 15, 30).AddMilliseconds(260) - Tick, high);
    }

    [Fact]
    public void A_fraction_finer_than_a_tick_is_one_tick()
    {
        var (low, high) = Range("2024-03-01T10:15:30.123456789Z");
        Assert.Equal(Utc(2024, 3, 1, 10, 15, 30).AddTicks(1_234_567), low);
        Assert.Equal(low, high);
    }

    [Fact]
    public void A_time_zone_offset_is_converted_to_utc()
    {
        var (low, high) = Range("2024-03-01T10:15:00+01:00");
        Assert.Equal(Utc(2024, 3, 1, 9, 15), low);
        Assert.Equal(Utc(2024, 3, 1, 9, 15, 1) - Tick, high);

        Assert.Equal(Utc(2024, 3, 1, 15, 45), Range("2024-03-01T10:15:00-05:30").Low);
    }

    [Fact]
    public void A_time_without_a_time_zone_is_taken_as_utc() =>
        Assert.Equal(Utc(2024, 3, 1, 10, 15), Range("2024-03-01T10:15:00").Low);

    [Fact]
    public void An_instant_converted_across_midnight_changes_day() =>
        Assert.Equal(Utc(2024, 2, 29, 23, 30), Range("2024-03-01T00:30:00+01:00").Low);

    [Fact]
    public void The_last_year_ends_at_the_last_representable_instant() =>
        Assert.Equal(DateTimeOffset.MaxValue, Range("9999").High);

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("20240")]
    [InlineData("2024-1")]
    [InlineData("2024-13")]
    [InlineData("2024-00")]
    [InlineData("2023-02-29")]
    [InlineData("2024-04-31")]
    [InlineData("2024/03/01")]
    [InlineData("2024-03-01T24:00")]
    [InlineData("2024-03-01T10:60")]
    [InlineData("2024-03-01T10")]
    [InlineData("2024-03-01Z")]
    [InlineData("2024-03-01T10:15:00+15:00")]
    [InlineData("2024-03-01T10:15:00+01:60")]
    [InlineData("2024-03-01T10:15:00.Z")]
    [InlineData("0000")]
    [InlineData("2024-03-01\n")]
    [InlineData("٢٠٢٤")]
    [InlineData("tomorrow")]
    public void Values_that_are_not_fhir_dates_are_refused(string value) =>
        Assert.False(FhirDateRange.TryParse(value, out _, out _));
}

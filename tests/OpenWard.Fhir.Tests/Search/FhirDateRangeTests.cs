using OpenWard.Fhir.Search;


namespace OpenWard.Fhir.Tests.Search;

public class FhirDateRangeTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void A_year_covers_the_whole_year()
    {
        var (low, high) = FhirDateRange.Parse("2024");

        Assert.Equal(Utc(2024, 1, 1), low);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999), high);
    }

    [Fact]
    public void A_month_covers_the_whole_month_leap_day_included()
    {
        var (low, high) = FhirDateRange.Parse("2024-02");

        Assert.Equal(Utc(2024, 2, 1), low);
        Assert.Equal(Utc(2024, 3, 1).AddTicks(-1), high);
    }

    [Fact]
    public void A_day_covers_the_whole_day()
    {
        var (low, high) = FhirDateRange.Parse("2023-08-10");

        Assert.Equal(Utc(2023, 8, 10), low);
        Assert.Equal(Utc(2023, 8, 11).AddTicks(-1), high);
    }

    [Fact]
    public void A_dateTime_with_a_zone_covers_its_second_in_UTC()
    {
        var (low, high) = FhirDateRange.Parse("2024-03-05T00:15:30-05:00");

        Assert.Equal(Utc(2024, 3, 5, 5, 15, 30), low);
        Assert.Equal(Utc(2024, 3, 5, 5, 15, 31).AddTicks(-1), high);
        Assert.Equal(TimeSpan.Zero, low.Offset);
    }

    [Fact]
    public void A_dateTime_without_a_zone_is_taken_as_UTC()
    {
        Assert.Equal(FhirDateRange.Parse("2024-03-05T10:15:30Z"), FhirDateRange.Parse("2024-03-05T10:15:30"));
    }

    [Fact]
    public void Minutes_without_seconds_cover_the_whole_minute()
    {
        var (low, high) = FhirDateRange.Parse("2024-03-05T10:15Z");

        Assert.Equal(Utc(2024, 3, 5, 10, 15), low);
        Assert.Equal(Utc(2024, 3, 5, 10, 16).AddTicks(-1), high);
    }

    [Fact]
    public void An_instant_covers_the_precision_of_its_fraction()
    {
        var (low, high) = FhirDateRange.Parse("2015-02-07T13:28:17.239+02:00");

        Assert.Equal(Utc(2015, 2, 7, 11, 28, 17).AddMilliseconds(239), low);
        Assert.Equal(Utc(2015, 2, 7, 11, 28, 17).AddMilliseconds(240).AddTicks(-1), high);
    }

    [Fact]
    public void Fraction_digits_beyond_a_tick_are_ignored()
    {
        var (low, high) = FhirDateRange.Parse("2024-03-05T10:15:30.123456789Z");

        Assert.Equal(Utc(2024, 3, 5, 10, 15, 30).AddTicks(1_234_567), low);
        Assert.Equal(low, high);
    }

    [Fact]
    public void The_last_year_ends_at_the_end_of_time()
    {
        Assert.Equal(DateTimeOffset.MaxValue, FhirDateRange.Parse("9999").High);
    }

    [Theory]
    [InlineData("")]
    [InlineData("24")]
    [InlineData("0000")]
    [InlineData("2024-13")]
    [InlineData("2023-02-29")]
    [InlineData("2024-1-05")]
    [InlineData("2024-01-05T")]
    [InlineData("2024-01-05T10")]
    [InlineData("2024-01-05T24:00:00Z")]
    [InlineData("2024-01-05T10:00:00.Z")]
    [InlineData("2024-01-05T10:00:00+15:00")]
    [InlineData("2024-01-05Z")]
    [InlineData("2024-01-05 10:00:00")]
    [InlineData("gt2024")]
    public void Anything_else_is_a_format_error(string value)
    {
        Assert.Throws<FormatException>(() => FhirDateRange.Parse(value));
        Assert.False(FhirDateRange.TryParse(value, out _));
    }
}

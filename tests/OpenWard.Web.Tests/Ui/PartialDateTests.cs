using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class PartialDateTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Theory]
    [InlineData("", "", "2019", "2019")]
    [InlineData("", "03", "2019", "2019-03")]
    [InlineData(" 7 ", "12", "2026", "2026-12-07")]
    [InlineData("29", "2", "2024", "2024-02-29")]
    [InlineData("", "12", "2026", "2026-12")]
    public void A_date_is_kept_at_the_precision_typed(string day, string month, string year, string fhir)
    {
        var (date, error) = PartialDate.Read(day, month, year, Today, "The date it started");

        Assert.Null(error);
        Assert.Equal(fhir, date!.Fhir);
    }

    [Theory]
    [InlineData("14", "", "2019", "The date it started must include a year, and a month if it has a day")]
    [InlineData("", "3", "", "The date it started must include a year, and a month if it has a day")]
    [InlineData("", "", "19", "Year must include 4 numbers")]
    [InlineData("", "", "20x9", "Year must include 4 numbers")]
    [InlineData("29", "2", "2025", "The date it started must be a real date, for example 3 2019 or 14 3 2019")]
    [InlineData("", "13", "2019", "The date it started must be a real date, for example 3 2019 or 14 3 2019")]
    [InlineData("8", "12", "2026", "The date it started must be today or in the past")]
    [InlineData("", "", "2027", "The date it started must be today or in the past")]
    public void A_date_that_cannot_be_meant_is_refused_with_the_reason(string day, string month, string year, string message)
    {
        var (date, error) = PartialDate.Read(day, month, year, Today, "The date it started");

        Assert.Null(date);
        Assert.Equal(message, error);
    }

    [Fact]
    public void Nothing_typed_is_no_date_and_no_error()
    {
        Assert.Equal((null, null), PartialDate.Read(" ", null, "", Today, "The date it started"));
    }

    [Theory]
    [InlineData("2019", null, null, "2019")]
    [InlineData("2019-03", null, "3", "2019")]
    [InlineData("2019-03-04T10:00:00Z", "4", "3", "2019")]
    [InlineData("not a date", null, null, null)]
    public void A_stored_date_goes_back_into_the_boxes(string fhir, string? day, string? month, string? year)
    {
        var boxes = DateBoxes.From(fhir);

        Assert.Equal((day, month, year), (boxes.Day, boxes.Month, boxes.Year));
    }
}

using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class PatientDisplayTests
{
    [Theory]
    [InlineData(2020, 9, 24, "24-Sep-2020")]
    [InlineData(1957, 3, 7, "7-Mar-1957")]
    public void Dates_use_the_NHS_format_with_three_letter_months(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, PatientDisplay.Date(new DateOnly(year, month, day)));
    }
}

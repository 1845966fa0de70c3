using OpenWard.Clinical.Medicines;

namespace OpenWard.Clinical.Tests.Medicines;

public sealed class DoseFormatTests
{
    [Theory]
    [InlineData("0.5", "0.5")]
    [InlineData("0.50", "0.5")]
    [InlineData("5.0", "5")]
    [InlineData("5", "5")]
    [InlineData("12.500", "12.5")]
    [InlineData("1000", "1000")]
    [InlineData("0.0001", "0.0001")]
    public void Numbers_have_a_leading_zero_and_no_trailing_zero(string value, string written)
    {
        Assert.Equal(written, DoseFormat.Number(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(500, "ug", "500 micrograms")]
    [InlineData(1, "ug", "1 microgram")]
    [InlineData(10, "[iU]", "10 units")]
    [InlineData(1, "U", "1 unit")]
    [InlineData(20, "ng", "20 nanograms")]
    [InlineData(0.5, "mg", "0.5 mg")]
    [InlineData(5, "mL", "5 mL")]
    [InlineData(2.5, "ug/kg", "2.5 micrograms/kg")]
    public void Units_that_are_misread_when_abbreviated_are_written_in_full(decimal value, string unit, string written)
    {
        var text = DoseFormat.Amount(new DoseAmount(value, unit));

        Assert.Equal(written, text);
        Assert.DoesNotMatch(@"\b(mcg|IU|U)\b|µg", text);
    }
}

using OpenWard.Clinical.Medicines;

namespace OpenWard.Clinical.Tests.Medicines;

public sealed class DoseUnitsTests
{
    [Fact]
    public void Five_hundred_micrograms_is_half_a_milligram()
    {
        Assert.Equal(new DoseAmount(0.5m, "mg"), DoseUnits.Convert(new(500m, "ug"), "mg").Value);
        Assert.Equal(new DoseAmount(500m, "ug"), DoseUnits.Convert(new(0.5m, "mg"), "ug").Value);
    }

    [Fact]
    public void Five_milligrams_is_five_thousand_micrograms_not_five_hundred()
    {
        var micrograms = DoseUnits.Convert(new(5m, "mg"), "ug").Value;

        Assert.Equal(5000m, micrograms.Value);
        Assert.NotEqual(500m, micrograms.Value);
    }

    [Theory]
    [InlineData(1, "g", "mg", 1000)]
    [InlineData(250, "mg", "g", 0.25)]
    [InlineData(1, "ug", "ng", 1000)]
    [InlineData(100, "ng", "mg", 0.0001)]
    [InlineData(0.1, "L", "mL", 100)]
    [InlineData(10, "[IU]", "[iU]", 10)]
    public void Units_of_one_kind_convert_exactly(decimal value, string from, string to, decimal expected)
    {
        Assert.Equal(expected, DoseUnits.Convert(new(value, from), to).Value.Value);
    }

    [Fact]
    public void A_ten_fold_error_stays_visible_after_conversion()
    {
        var intended = DoseUnits.Convert(new(0.5m, "mg"), "ug").Value.Value;
        var tenFold = DoseUnits.Convert(new(5m, "mg"), "ug").Value.Value;

        Assert.Equal(10m, tenFold / intended);
    }

    [Theory]
    [InlineData("mL", "mg", "a volume")]
    [InlineData("[iU]", "mg", "international units")]
    [InlineData("U", "mg", "enzyme units")]
    [InlineData("U", "[iU]", "enzyme units")]
    [InlineData("mmol", "mg", "an amount of substance")]
    public void Units_that_measure_different_things_are_not_comparable(string from, string to, string described)
    {
        var result = DoseUnits.Convert(new(5m, from), to);

        Assert.False(result.IsCalculated);
        Assert.Equal(CannotCalculateReason.UnitsNotComparable, result.Reason);
        Assert.Contains($"'{from}' ({described}) cannot be compared with '{to}'", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_unit_is_reported_not_converted()
    {
        var result = DoseUnits.Convert(new(5m, "mcg"), "mg");

        Assert.Equal(CannotCalculateReason.UnknownUnit, result.Reason);
    }
}

using System.Globalization;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// Writes doses the way safe-prescribing guidance asks: a leading zero and no trailing zero
/// (0.5, never .5 or 0.50; 5, never 5.0, which can be read as 50), and micrograms, nanograms and
/// units in full (never mcg, µg, U or IU, which are misread).
/// </summary>
public static class DoseFormat
{
    /// <summary>The number with a leading zero, no trailing zeros and at most ten decimal places.</summary>
    public static string Number(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>"500 micrograms", "1 unit", "0.5 mg", "2.5 micrograms/kg".</summary>
    public static string Amount(DoseAmount amount) => $"{Number(amount.Value)} {Unit(amount.Unit, amount.Value)}";

    private static string Unit(string ucumCode, decimal value) =>
        ucumCode.EndsWith(DosageArithmetic.PerKilogramSuffix, StringComparison.Ordinal)
            ? DoseUnits.Display(ucumCode[..^DosageArithmetic.PerKilogramSuffix.Length], value) + DosageArithmetic.PerKilogramSuffix
            : DoseUnits.Display(ucumCode, value);
}

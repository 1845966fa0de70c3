namespace OpenWard.Clinical.Medicines;

/// <summary>
/// The UCUM dose units OpenWard understands (https://ucum.org/ucum), what each measures and its
/// factor to the kind's base unit. Mass converts within mass and volume within volume; units of
/// activity never convert to mass, and international units ([iU], written [IU] too) are kept apart
/// from enzyme units (U), because UCUM defines them differently.
/// </summary>
public static class DoseUnits
{
    public const string UcumSystem = "http://unitsofmeasure.org";

    private sealed record UnitInfo(DoseUnitKind Kind, decimal FactorToBase, string Singular, string Plural);

    private static readonly Dictionary<string, UnitInfo> Known = new(StringComparer.Ordinal)
    {
        ["g"] = new(DoseUnitKind.Mass, 1m, "g", "g"),
        ["mg"] = new(DoseUnitKind.Mass, 0.001m, "mg", "mg"),
        ["ug"] = new(DoseUnitKind.Mass, 0.000001m, "microgram", "micrograms"),
        ["ng"] = new(DoseUnitKind.Mass, 0.000000001m, "nanogram", "nanograms"),
        ["L"] = new(DoseUnitKind.Volume, 1m, "L", "L"),
        ["mL"] = new(DoseUnitKind.Volume, 0.001m, "mL", "mL"),
        ["mmol"] = new(DoseUnitKind.AmountOfSubstance, 1m, "mmol", "mmol"),
        ["[iU]"] = new(DoseUnitKind.InternationalUnits, 1m, "unit", "units"),
        ["[IU]"] = new(DoseUnitKind.InternationalUnits, 1m, "unit", "units"),
        ["U"] = new(DoseUnitKind.EnzymeUnits, 1m, "unit", "units"),
    };

    /// <summary>The UCUM codes accepted, for error messages.</summary>
    public static IEnumerable<string> Codes => Known.Keys;

    public static bool IsKnown(string ucumCode) => Known.ContainsKey(ucumCode);

    public static DoseUnitKind? KindOf(string ucumCode) => Known.TryGetValue(ucumCode, out var info) ? info.Kind : null;

    /// <summary>How the unit is written for people: in full for micrograms, nanograms and units (never "mcg", "µg", "U" or "IU").</summary>
    public static string Display(string ucumCode, decimal value) =>
        Known.TryGetValue(ucumCode, out var info) ? (value == 1m ? info.Singular : info.Plural) : ucumCode;

    /// <summary>The amount in another unit, or why it cannot be: an unknown unit, or units that measure different things.</summary>
    public static Calculation<DoseAmount> Convert(DoseAmount amount, string toUnit)
    {
        if (!Known.TryGetValue(amount.Unit, out var from))
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.UnknownUnit, $"unit '{amount.Unit}' is not a UCUM dose unit OpenWard knows");
        if (!Known.TryGetValue(toUnit, out var to))
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.UnknownUnit, $"unit '{toUnit}' is not a UCUM dose unit OpenWard knows");
        if (from.Kind != to.Kind)
        {
            return Calculation.Fails<DoseAmount>(
                CannotCalculateReason.UnitsNotComparable,
                $"unit '{amount.Unit}' ({Describe(from.Kind)}) cannot be compared with '{toUnit}' ({Describe(to.Kind)})");
        }

        return Calculation.Of<DoseAmount>(new DoseAmount(amount.Value * from.FactorToBase / to.FactorToBase, toUnit));
    }

    private static string Describe(DoseUnitKind kind) => kind switch
    {
        DoseUnitKind.Mass => "a mass",
        DoseUnitKind.Volume => "a volume",
        DoseUnitKind.AmountOfSubstance => "an amount of substance",
        DoseUnitKind.InternationalUnits => "international units",
        _ => "enzyme units",
    };
}

/// <summary>What a dose unit measures; only units of the same kind convert.</summary>
public enum DoseUnitKind
{
    Mass,
    Volume,
    AmountOfSubstance,
    InternationalUnits,
    EnzymeUnits,
}

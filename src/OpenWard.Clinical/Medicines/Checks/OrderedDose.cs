using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// One dosage instruction's dose read for checking: the amount in the medicine's dose unit, per kg
/// or per m² when written so, the highest of a dose range. Units are read from the UCUM code, or
/// from the unit text where it is one of the usual spellings ("mcg" and "micrograms" are ug, "units"
/// and "IU" are international units), because a dose that cannot be read cannot be checked.
/// </summary>
internal sealed record OrderedDose(decimal Amount, string Unit, DoseBasis Basis)
{
    private static readonly Dictionary<string, string> Spellings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["g"] = "g",
        ["gram"] = "g",
        ["grams"] = "g",
        ["mg"] = "mg",
        ["milligram"] = "mg",
        ["milligrams"] = "mg",
        ["ug"] = "ug",
        ["mcg"] = "ug",
        ["µg"] = "ug",
        ["microgram"] = "ug",
        ["micrograms"] = "ug",
        ["ng"] = "ng",
        ["nanogram"] = "ng",
        ["nanograms"] = "ng",
        ["ml"] = "mL",
        ["millilitre"] = "mL",
        ["millilitres"] = "mL",
        ["l"] = "L",
        ["mmol"] = "mmol",
        ["millimole"] = "mmol",
        ["millimoles"] = "mmol",
        ["[iu]"] = "[iU]",
        ["iu"] = "[iU]",
        ["unit"] = "[iU]",
        ["units"] = "[iU]",
        ["international units"] = "[iU]",
        ["[u]"] = "U",
        ["u"] = "U",
    };

    /// <summary>The dose, or why it cannot be read.</summary>
    public static Calculation<OrderedDose> Read(Dosage dosage, FormularyMedicine medicine)
    {
        var doses = dosage.DoseAndRate.Where(d => d.Dose is not null).Select(d => d.Dose).ToList();
        if (doses.Count != 1)
        {
            return Calculation.Fails<OrderedDose>(CannotCalculateReason.NoDoseQuantity, doses.Count == 0
                ? "the order gives no dose (dosageInstruction.doseAndRate.doseQuantity)"
                : "the order gives more than one dose in one dosage instruction");
        }

        var quantity = doses[0] switch
        {
            Quantity q => q,
            Hl7.Fhir.Model.Range { High: { } high } => high,
            _ => null,
        };
        if (quantity?.Value is not { } value)
            return Calculation.Fails<OrderedDose>(CannotCalculateReason.NoDoseQuantity, "the dose has no value (a range needs its high value)");

        var written = quantity.Code ?? quantity.Unit;
        if (string.IsNullOrWhiteSpace(written))
            return Calculation.Fails<OrderedDose>(CannotCalculateReason.UnknownUnit, $"the dose {DoseFormat.Number(value)} has no unit");
        var basis = DoseBasis.Total;
        foreach (var (suffix, perBasis) in new[] { ("/kg", DoseBasis.PerKg), ("/m2", DoseBasis.PerM2), ("/m^2", DoseBasis.PerM2), ("/m²", DoseBasis.PerM2) })
        {
            if (written.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                basis = perBasis;
                written = written[..^suffix.Length];
            }
        }

        var unit = UnitOf(written, medicine.DoseUnit);
        if (unit is null)
            return Calculation.Fails<OrderedDose>(CannotCalculateReason.UnknownUnit, $"the dose unit '{written}' is not one OpenWard can compare ({string.Join(", ", DoseUnits.Codes)})");
        return Calculation.Of(new OrderedDose(value, unit, basis));
    }

    /// <summary>The UCUM code a written unit means, or null.</summary>
    public static string? UnitOf(string? written, string medicineUnit)
    {
        if (string.IsNullOrWhiteSpace(written))
            return null;
        var unit = DoseUnits.IsKnown(written) ? written : Spellings.GetValueOrDefault(written.Trim());
        // Enzyme units written for a medicine dosed in international units (heparin, insulin) mean
        // the units on its label: read them as such rather than refuse to check.
        return unit == "U" && medicineUnit is "[iU]" or "[IU]" ? "[iU]" : unit;
    }

    /// <summary>The dose in the medicine's unit, keeping its basis; or why the units cannot be compared.</summary>
    public Calculation<OrderedDose> In(string medicineUnit)
    {
        var converted = DoseUnits.Convert(new DoseAmount(Amount, Unit), medicineUnit);
        return converted.IsCalculated ? Calculation.Of(this with { Amount = converted.Value.Value, Unit = medicineUnit }) : converted.FailureAs<OrderedDose>();
    }

    public string Describe() => $"{DoseFormat.Amount(new DoseAmount(Amount, Unit))}{Basis switch { DoseBasis.PerKg => "/kg", DoseBasis.PerM2 => "/m²", _ => "" }}";
}

/// <summary>What a written dose is per: the patient, each kg of body weight, or each m² of body surface.</summary>
internal enum DoseBasis
{
    Total,
    PerKg,
    PerM2,
}

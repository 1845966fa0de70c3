using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// Dose arithmetic over one R4 Dosage (https://hl7.org/fhir/R4/dosage.html): the single dose from
/// doseAndRate.doseQuantity in its UCUM unit, converted to the unit a check compares in; the amount
/// in 24 hours from the timing, or for a dose as needed from maxDosePerPeriod; and a dose per
/// kilogram of body weight. Every result says plainly when it cannot be computed and why.
/// </summary>
public static class DosageArithmetic
{
    /// <summary>The unit suffix of a per-kilogram amount ("mg/kg").</summary>
    public const string PerKilogramSuffix = "/kg";

    /// <summary>The single dose as written, in its UCUM unit.</summary>
    public static Calculation<DoseAmount> SingleDose(Dosage dosage)
    {
        var doses = dosage.DoseAndRate.Where(d => d.Dose is not null).Select(d => d.Dose).ToList();
        if (doses.Count == 0)
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.NoDoseQuantity, "no dose quantity (doseAndRate.doseQuantity)");
        if (doses.Count > 1)
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.NoDoseQuantity, "more than one doseAndRate gives a dose: which one is meant is not said");
        return doses[0] switch
        {
            Quantity quantity => Amount(quantity, "doseAndRate.doseQuantity"),
            Hl7.Fhir.Model.Range => Calculation.Fails<DoseAmount>(CannotCalculateReason.DoseIsARange, "the dose is a range (doseAndRate.doseRange), not a single dose"),
            _ => Calculation.Fails<DoseAmount>(CannotCalculateReason.NoDoseQuantity, "no dose quantity (doseAndRate.doseQuantity)"),
        };
    }

    /// <summary>The single dose in <paramref name="unit"/>: 500 micrograms is 0.5 mg; mL or units are never mg.</summary>
    public static Calculation<DoseAmount> SingleDoseIn(Dosage dosage, string unit) => Then(SingleDose(dosage), dose => DoseUnits.Convert(dose, unit));

    public static bool IsAsNeeded(Dosage dosage) => dosage.AsNeeded switch
    {
        FhirBoolean flag => flag.Value == true,
        CodeableConcept => true, // asNeededCodeableConcept: as needed, for the reason given
        _ => false,
    };

    /// <summary>The most that may be given in 24 hours by maxDosePerPeriod, scaled to 24 hours, in <paramref name="unit"/>.</summary>
    public static Calculation<DoseAmount> MaximumPer24Hours(Dosage dosage, string unit)
    {
        if (dosage.MaxDosePerPeriod is not { } ratio)
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.NoMaximumDose, "no maxDosePerPeriod");
        if (ratio.Numerator is null || ratio.Denominator is not { Value: { } length } denominator || length <= 0)
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.NoMaximumDose, "maxDosePerPeriod lacks an amount or a period");
        decimal? hours = denominator.Code switch
        {
            "h" => length,
            "d" => length * 24m,
            "wk" => length * 168m,
            _ => null,
        };
        if (hours is null)
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.TimingNotUnderstood, $"maxDosePerPeriod's period unit '{denominator.Code}' is not h, d or wk");
        return Then(Amount(ratio.Numerator, "maxDosePerPeriod.numerator"), max => DoseUnits.Convert(max with { Value = max.Value * 24m / hours.Value }, unit));
    }

    /// <summary>
    /// The most given in 24 hours, in <paramref name="unit"/>: the single dose times doses per day
    /// (a daily equivalent for weekly regimens). For a dose as needed it is maxDosePerPeriod, or the
    /// timing's figure where that is lower; with neither it cannot be computed.
    /// </summary>
    public static Calculation<DoseAmount> AmountPer24Hours(Dosage dosage, string unit)
    {
        var byTiming = Then(SingleDoseIn(dosage, unit), dose => Then(DoseTiming.Frequency(dosage.Timing), f => Calculation.Of<DoseAmount>(dose with { Value = f.Per24Hours(dose.Value) })));
        if (!IsAsNeeded(dosage))
            return byTiming;

        var byMaximum = MaximumPer24Hours(dosage, unit);
        if (byMaximum.IsCalculated && byTiming.IsCalculated)
            return byMaximum.Value.Value <= byTiming.Value.Value ? byMaximum : byTiming;
        if (byMaximum.IsCalculated)
            return byMaximum;
        if (byTiming.IsCalculated)
            return byTiming;
        return Calculation.Fails<DoseAmount>(
            CannotCalculateReason.NoMaximumDose,
            $"the dose is as needed with no usable maxDosePerPeriod ({byMaximum.Explanation}) and no usable timing ({byTiming.Explanation})");
    }

    /// <summary>The dose per kilogram of body weight ("mg/kg"), given a weight in kilograms.</summary>
    public static Calculation<DoseAmount> PerKilogram(DoseAmount dose, decimal? weightKg)
    {
        if (weightKg is not { } weight || weight <= 0)
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.NoWeight, "no body weight in kg");
        return Calculation.Of<DoseAmount>(new DoseAmount(dose.Value / weight, dose.Unit + PerKilogramSuffix));
    }

    private static Calculation<DoseAmount> Amount(Quantity quantity, string element)
    {
        if (quantity.Value is not { } value)
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.NoDoseQuantity, $"{element} has no value");
        if (quantity.System != DoseUnits.UcumSystem || string.IsNullOrEmpty(quantity.Code))
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.UnitNotUcum, $"{element}'s unit '{quantity.Code ?? quantity.Unit}' is not coded in UCUM ({DoseUnits.UcumSystem})");
        if (!DoseUnits.IsKnown(quantity.Code))
            return Calculation.Fails<DoseAmount>(CannotCalculateReason.UnknownUnit, $"{element}'s unit '{quantity.Code}' is not a UCUM dose unit OpenWard knows");
        return Calculation.Of<DoseAmount>(new DoseAmount(value, quantity.Code));
    }

    private static Calculation<DoseAmount> Then<T>(Calculation<T> first, Func<T, Calculation<DoseAmount>> next) =>
        first.IsCalculated ? next(first.Value!) : first.FailureAs<DoseAmount>();
}

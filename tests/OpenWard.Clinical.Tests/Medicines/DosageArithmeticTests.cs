using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using static OpenWard.Clinical.Tests.Medicines.Prescriptions;

namespace OpenWard.Clinical.Tests.Medicines;

public sealed class DosageArithmeticTests
{
    [Fact]
    public void The_single_dose_is_read_in_its_UCUM_unit_and_normalised_to_the_medicines_unit()
    {
        var dosage = Dose(500m, "ug");

        Assert.Equal(new DoseAmount(500m, "ug"), DosageArithmetic.SingleDose(dosage).Value);
        Assert.Equal(new DoseAmount(0.5m, "mg"), DosageArithmetic.SingleDoseIn(dosage, "mg").Value);
    }

    [Fact]
    public void A_dose_in_mL_cannot_be_compared_with_a_limit_in_mg()
    {
        var result = DosageArithmetic.SingleDoseIn(Dose(5m, "mL"), "mg");

        Assert.Equal(CannotCalculateReason.UnitsNotComparable, result.Reason);
        Assert.Contains("unit 'mL' (a volume) cannot be compared with 'mg'", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dose_in_units_cannot_be_compared_with_mg()
    {
        Assert.Equal(CannotCalculateReason.UnitsNotComparable, DosageArithmetic.SingleDoseIn(Dose(10m, "[iU]"), "mg").Reason);
    }

    [Fact]
    public void No_dose_quantity_is_said_plainly()
    {
        var result = DosageArithmetic.SingleDose(new Dosage { Text = "one tablet" });

        Assert.Equal(CannotCalculateReason.NoDoseQuantity, result.Reason);
        Assert.Equal("no dose quantity (doseAndRate.doseQuantity)", result.Explanation);
    }

    [Fact]
    public void A_dose_range_or_a_unit_outside_UCUM_is_reported()
    {
        var range = new Dosage { DoseAndRate = [new() { Dose = new Hl7.Fhir.Model.Range { Low = Ucum(1m, "g"), High = Ucum(2m, "g") } }] };
        Assert.Equal(CannotCalculateReason.DoseIsARange, DosageArithmetic.SingleDose(range).Reason);

        var tablets = new Dosage { DoseAndRate = [new() { Dose = new Quantity { Value = 2m, Unit = "tablet", System = "http://snomed.info/sct", Code = "428673006" } }] };
        Assert.Equal(CannotCalculateReason.UnitNotUcum, DosageArithmetic.SingleDose(tablets).Reason);
    }

    [Theory]
    [InlineData(2, 1000)]
    [InlineData(3, 1500)]
    [InlineData(4, 2000)]
    public void A_regular_dose_times_doses_per_day_gives_the_amount_in_24_hours(int timesADay, decimal total)
    {
        var dosage = Dose(500m, "mg", Every(timesADay, 1, Timing.UnitsOfTime.D));

        Assert.Equal(new DoseAmount(total, "mg"), DosageArithmetic.AmountPer24Hours(dosage, "mg").Value);
    }

    [Fact]
    public void Every_8_hours_in_grams_gives_mg_per_24_hours()
    {
        var dosage = Dose(1m, "g", Every(1, 8, Timing.UnitsOfTime.H));

        Assert.Equal(new DoseAmount(3000m, "mg"), DosageArithmetic.AmountPer24Hours(dosage, "mg").Value);
    }

    [Fact]
    public void A_regular_dose_with_no_frequency_cannot_give_a_daily_amount()
    {
        var result = DosageArithmetic.AmountPer24Hours(Dose(500m, "mg"), "mg");

        Assert.Equal(CannotCalculateReason.NoTiming, result.Reason);
    }

    [Fact]
    public void As_needed_with_max_dose_per_period_gives_the_most_in_24_hours()
    {
        var dosage = Dose(1m, "g");
        dosage.AsNeeded = new FhirBoolean(true);
        dosage.MaxDosePerPeriod = new Ratio(Ucum(4m, "g"), Ucum(24m, "h"));

        Assert.True(DosageArithmetic.IsAsNeeded(dosage));
        Assert.Equal(new DoseAmount(4000m, "mg"), DosageArithmetic.AmountPer24Hours(dosage, "mg").Value);
        Assert.Equal(new DoseAmount(4000m, "mg"), DosageArithmetic.MaximumPer24Hours(dosage, "mg").Value);
    }

    [Fact]
    public void A_maximum_over_another_period_is_scaled_to_24_hours()
    {
        var dosage = Dose(10m, "mg");
        dosage.AsNeeded = new CodeableConcept(null, null, "pain");
        dosage.MaxDosePerPeriod = new Ratio(Ucum(20m, "mg"), Ucum(4m, "h"));

        Assert.Equal(new DoseAmount(120m, "mg"), DosageArithmetic.MaximumPer24Hours(dosage, "mg").Value);
    }

    [Fact]
    public void As_needed_takes_the_lower_of_the_maximum_and_the_timing()
    {
        var dosage = Dose(1m, "g", Every(1, 4, Timing.UnitsOfTime.H)); // up to 6 g by timing
        dosage.AsNeeded = new FhirBoolean(true);
        dosage.MaxDosePerPeriod = new Ratio(Ucum(4m, "g"), Ucum(1m, "d"));

        Assert.Equal(new DoseAmount(4000m, "mg"), DosageArithmetic.AmountPer24Hours(dosage, "mg").Value);
    }

    [Fact]
    public void As_needed_with_neither_maximum_nor_timing_cannot_give_a_daily_amount()
    {
        var dosage = Dose(1m, "g");
        dosage.AsNeeded = new FhirBoolean(true);

        var result = DosageArithmetic.AmountPer24Hours(dosage, "mg");

        Assert.Equal(CannotCalculateReason.NoMaximumDose, result.Reason);
        Assert.Contains("no maxDosePerPeriod", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weekly_dose_gives_a_daily_equivalent()
    {
        var dosage = Dose(7m, "mg", Every(1, 1, Timing.UnitsOfTime.Wk));

        Assert.Equal(new DoseAmount(1m, "mg"), DosageArithmetic.AmountPer24Hours(dosage, "mg").Value);
    }

    [Fact]
    public void A_dose_per_kilogram_divides_by_the_weight()
    {
        var perKg = DosageArithmetic.PerKilogram(new DoseAmount(350m, "mg"), 70m);

        Assert.Equal(new DoseAmount(5m, "mg/kg"), perKg.Value);
        Assert.Equal("5 mg/kg", DoseFormat.Amount(perKg.Value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public void A_dose_per_kilogram_without_a_weight_is_reported(int? weight)
    {
        Assert.Equal(CannotCalculateReason.NoWeight, DosageArithmetic.PerKilogram(new DoseAmount(350m, "mg"), weight).Reason);
    }
}

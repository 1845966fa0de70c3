using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;

namespace OpenWard.Clinical.Tests.Medicines;

/// <summary>Small builders for the FHIR inputs the medicines tests need.</summary>
internal static class Prescriptions
{
    public static readonly Lazy<Formulary> Starter = new(() => Formulary.Load(Formulary.StarterPath));

    public static MedicationRequest Named(string text, params Coding[] codings) => new()
    {
        Medication = new CodeableConcept { Text = text, Coding = [.. codings] },
    };

    public static MedicationRequest Coded(params Coding[] codings) => new()
    {
        Medication = new CodeableConcept { Coding = [.. codings] },
    };

    public static Quantity Ucum(decimal value, string code) => new() { Value = value, System = DoseUnits.UcumSystem, Code = code, Unit = code };

    public static Dosage Dose(decimal value, string ucum, Timing.RepeatComponent? repeat = null) => new()
    {
        DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = Ucum(value, ucum) }],
        Timing = repeat is null ? null : new Timing { Repeat = repeat },
    };

    public static Timing.RepeatComponent Every(int frequency, decimal period, Timing.UnitsOfTime unit) =>
        new() { Frequency = frequency, Period = period, PeriodUnit = unit };
}

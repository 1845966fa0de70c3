using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>A value measured on the patient, in the unit the checks use, and when.</summary>
public sealed record Measured(decimal Value, string Unit, DateTimeOffset When, string Reference)
{
    public int AgeInDays(DateTimeOffset now) => (int)Math.Floor((now - When).TotalDays);

    public string Describe(DateTimeOffset now) => $"{DoseFormat.Number(Value)} {Unit} on {When.UtcDateTime:d MMM yyyy}{(AgeInDays(now) is var days and > 0 ? $", {days} day{(days == 1 ? "" : "s")} ago" : "")}";
}

/// <summary>
/// The latest weight, height and laboratory results from a context's Observations: final, amended
/// or corrected (preliminary and mistaken results are not used), with a value, a date and a unit the
/// checks can read.
/// </summary>
public static class Measurements
{
    private static readonly HashSet<string> UsableStatuses = ["final", "amended", "corrected"];

    // A weight in kg or a height in cm above this is a typing error, not a measurement: it is not used.
    private const decimal PlausibleMaximum = 1000m;

    public static Measured? Weight(PatientContext patient) =>
        Latest(patient, PatientRecordQueries.WeightCodes, value => (value.Code ?? value.Unit) switch
        {
            "kg" => value.Value,
            "g" => value.Value / 1000m,
            "[lb_av]" => value.Value * 0.45359237m, // the international avoirdupois pound (UCUM)
            _ => null,
        }, "kg");

    public static Measured? Height(PatientContext patient) =>
        Latest(patient, PatientRecordQueries.HeightCodes, value => (value.Code ?? value.Unit) switch
        {
            "cm" => value.Value,
            "m" => value.Value * 100m,
            "[in_i]" => value.Value * 2.54m, // the international inch (UCUM)
            _ => null,
        }, "cm");

    /// <summary>
    /// The latest result of a test in the test's unit. A result in another unit is not converted:
    /// it is returned with <paramref name="unreadable"/> so the check can say why it did not compare.
    /// </summary>
    public static Measured? Lab(PatientContext patient, LabTest test, out string? unreadable)
    {
        unreadable = null;
        var codes = (test.Loinc ?? []).Select(c => $"http://loinc.org|{c}").ToArray();
        var latest = Candidates(patient, codes).FirstOrDefault();
        if (latest.Observation is null)
            return null;
        if (!SameUnit(latest.Quantity.Code ?? latest.Quantity.Unit, test.Unit!))
        {
            unreadable = $"the latest {test.Name} (Observation/{latest.Observation.Id}) is in '{latest.Quantity.Code ?? latest.Quantity.Unit}', not {test.Unit}";
            return null;
        }

        return new Measured(latest.Quantity.Value!.Value, test.Unit!, latest.When, $"Observation/{latest.Observation.Id}");
    }

    /// <summary>Body surface area by the Mosteller formula, √(height cm × weight kg / 3600) (Mosteller, N Engl J Med 1987;317:1098).</summary>
    public static decimal BodySurfaceArea(decimal heightCm, decimal weightKg) => (decimal)Math.Sqrt((double)(heightCm * weightKg / 3600m));

    private static Measured? Latest(PatientContext patient, string[] codes, Func<Quantity, decimal?> toUnit, string unit)
    {
        foreach (var (observation, quantity, when) in Candidates(patient, codes))
        {
            if (toUnit(quantity) is { } value && value > 0 && value <= PlausibleMaximum)
                return new Measured(value, unit, when, $"Observation/{observation.Id}");
        }

        return null;
    }

    private static IEnumerable<(Observation Observation, Quantity Quantity, DateTimeOffset When)> Candidates(PatientContext patient, string[] codes) =>
        patient.Observations
            .Where(o => o.Status is { } status && UsableStatuses.Contains(Hl7.Fhir.Utility.EnumUtility.GetLiteral(status)!))
            .Where(o => o.Code?.Coding.Any(c => codes.Contains($"{c.System}|{c.Code}")) == true)
            .Select(o => (Observation: o, Quantity: o.Value as Quantity, When: When(o)))
            .Where(o => o.Quantity?.Value is not null && o.When is not null)
            .Select(o => (o.Observation, o.Quantity!, o.When!.Value))
            .Where(o => o.Item3 <= patient.Now.AddHours(1))
            .OrderByDescending(o => o.Item3);

    private static DateTimeOffset? When(Observation observation) => observation.Effective switch
    {
        FhirDateTime dateTime => FhirTimes.Moment(dateTime),
        Period period => FhirTimes.Moment(period.EndElement) ?? FhirTimes.Moment(period.StartElement),
        Instant instant => instant.Value,
        _ => observation.IssuedElement?.Value,
    };

    // UCUM units compared as written, allowing for case, "^" for "*" and the eGFR unit's spellings;
    // a dimensionless test (its unit an annotation such as {INR}) takes any unit.
    private static bool SameUnit(string? given, string expected)
    {
        if (expected.StartsWith('{'))
            return true;
        if (given is null)
            return false;
        static string Normal(string u) => u.Replace('^', '*').Replace(" ", "", StringComparison.Ordinal).Replace("{1.73_m2}", "1.73m2", StringComparison.Ordinal).Replace("1.73.m2", "1.73m2", StringComparison.Ordinal).ToLowerInvariant();
        return Normal(given) == Normal(expected);
    }
}

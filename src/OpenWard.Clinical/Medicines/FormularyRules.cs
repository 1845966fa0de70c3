using System.Globalization;
using System.Text.Json.Serialization;
using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Clinical.Medicines;

// The medication-check rules of a formulary file (format version 2, docs/implementation/formulary.md),
// read as written and checked by FormularyValidation before any check uses them. Every rule says where
// it comes from ("source"); severities are "hard-stop", "warning" or "info".

/// <summary>What every finding rule has: how loud it is, what it tells the prescriber, and its public source.</summary>
public abstract class FindingRule
{
    [JsonPropertyName("severity")] public string? SeverityCode { get; init; }

    [JsonPropertyName("message")] public string? Message { get; init; }

    [JsonPropertyName("source")] public string? Source { get; init; }

    [JsonIgnore] public AlertSeverity Severity => ParseSeverity(SeverityCode) ?? AlertSeverity.Warning;

    internal static AlertSeverity? ParseSeverity(string? code) => code switch
    {
        "hard-stop" => AlertSeverity.HardStop,
        "warning" => AlertSeverity.Warning,
        "info" => AlertSeverity.Info,
        _ => null,
    };
}

/// <summary>
/// Dose limits for one medicine in one age band, by route and indication. Limits are in the
/// medicine's dose unit: per dose, per 24 hours and per week, as absolute amounts, per kg of body
/// weight and per m² of body surface area. Going over a limit is a warning; ten times over (or the
/// file's <c>defaults.hardStopFactor</c>) is a hard stop.
/// </summary>
public sealed class DoseRule
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>Words that name the indications this rule is for, matched against the order's reasonCode; none for any indication.</summary>
    [JsonPropertyName("indications")] public List<string>? Indications { get; init; }

    /// <summary>The routes this rule is for (route names, as in <see cref="MedicineRoutes"/>); none for every route.</summary>
    [JsonPropertyName("routes")] public List<string>? Routes { get; init; }

    [JsonPropertyName("age")] public AgeBand? Age { get; init; }

    /// <summary>How old a body weight may be for the per-kg limits, in days; the file default otherwise.</summary>
    [JsonPropertyName("weightMaxAgeDays")] public int? WeightMaxAgeDays { get; init; }

    [JsonPropertyName("single")] public DoseLimit? Single { get; init; }

    [JsonPropertyName("daily")] public DoseLimit? Daily { get; init; }

    [JsonPropertyName("weekly")] public DoseLimit? Weekly { get; init; }

    /// <summary>A limit on how often the medicine may be given (oral methotrexate: once a week).</summary>
    [JsonPropertyName("frequency")] public FrequencyLimit? Frequency { get; init; }

    [JsonPropertyName("source")] public string? Source { get; init; }
}

/// <summary>Upper limits of one dose or of a period's total: absolute, per kg and per m² (any may be absent).</summary>
public sealed class DoseLimit
{
    [JsonPropertyName("max")] public decimal? Max { get; init; }

    [JsonPropertyName("maxPerKg")] public decimal? MaxPerKg { get; init; }

    [JsonPropertyName("maxPerM2")] public decimal? MaxPerM2 { get; init; }

    [JsonIgnore] public bool IsEmpty => Max is null && MaxPerKg is null && MaxPerM2 is null;
}

/// <summary>At most <see cref="MaxPerWeek"/> doses a week (oral methotrexate once weekly).</summary>
public sealed class FrequencyLimit : FindingRule
{
    [JsonPropertyName("maxPerWeek")] public decimal? MaxPerWeek { get; init; }
}

/// <summary>An age band: from (inclusive) and to (exclusive), each written like "28d", "3mo", "12y".</summary>
public sealed class AgeBand
{
    [JsonPropertyName("from")] public string? From { get; init; }

    [JsonPropertyName("to")] public string? To { get; init; }

    /// <summary>Whether a patient of <paramref name="age"/> is in the band.</summary>
    public bool Contains(PatientAge age) =>
        (From is null || age.AtLeast(Ages.Parse(From)!)) && (To is null || !age.AtLeast(Ages.Parse(To)!));

    public override string ToString() => (From, To) switch
    {
        (null, null) => "any age",
        (null, { } to) => $"under {Ages.Describe(to)}",
        ({ } from, null) => $"{Ages.Describe(from)} and over",
        ({ } from, { } to) => $"{Ages.Describe(from)} to under {Ages.Describe(to)}",
    };
}

/// <summary>A route that is wrong for this medicine (vincristine intrathecally: a never event).</summary>
public sealed class RouteRule : FindingRule
{
    [JsonPropertyName("route")] public string? Route { get; init; }
}

/// <summary>A finding when renal function (eGFR, or creatinine clearance) is below a threshold, in mL/min(/1.73 m²).</summary>
public sealed class RenalRule : FindingRule
{
    [JsonPropertyName("below")] public decimal? Below { get; init; }
}

/// <summary>A finding for patients under (or at least) an age.</summary>
public sealed class AgeRule : FindingRule
{
    [JsonPropertyName("under")] public string? Under { get; init; }

    [JsonPropertyName("atLeast")] public string? AtLeast { get; init; }
}

/// <summary>A finding when the patient has an active condition named by SNOMED CT code or by words in its text.</summary>
public sealed class ConditionRule : FindingRule
{
    [JsonPropertyName("condition")] public string? Condition { get; init; }

    [JsonPropertyName("snomed")] public List<string>? Snomed { get; init; }

    [JsonPropertyName("terms")] public List<string>? Terms { get; init; }
}

/// <summary>A finding when the latest result of a laboratory test (an id of the file's labTests) is above or below a value.</summary>
public sealed class LabRule : FindingRule
{
    [JsonPropertyName("test")] public string? Test { get; init; }

    [JsonPropertyName("above")] public decimal? Above { get; init; }

    [JsonPropertyName("below")] public decimal? Below { get; init; }
}

/// <summary>Monitoring or a corollary order the medicine needs (gentamicin levels): information, or louder if the file says.</summary>
public sealed class MonitoringRule : FindingRule
{
}

/// <summary>A laboratory test the rules refer to by id, with the LOINC codes that identify its results and the unit values are compared in.</summary>
public sealed class LabTest
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("loinc")] public List<string>? Loinc { get; init; }

    /// <summary>The UCUM unit results must carry to be compared (a result in another unit is not compared, and says so).</summary>
    [JsonPropertyName("unit")] public string? Unit { get; init; }

    /// <summary>How old a result may be and still count, in days; the file default otherwise.</summary>
    [JsonPropertyName("maxAgeDays")] public int? MaxAgeDays { get; init; }

    [JsonPropertyName("source")] public string? Source { get; init; }
}

/// <summary>A named set of ingredient classes and ingredients (NSAIDs, anticoagulants), for duplication and interaction rules.</summary>
public sealed class MedicineGroup
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("classes")] public List<string>? Classes { get; init; }

    [JsonPropertyName("ingredients")] public List<string>? Ingredients { get; init; }
}

/// <summary>Two orders from the same group at once are a therapeutic duplication.</summary>
public sealed class DuplicationRule : FindingRule
{
    [JsonPropertyName("group")] public string? Group { get; init; }
}

/// <summary>
/// An interaction between anything named in <see cref="Between"/> and anything named in
/// <see cref="And"/>: each name is an ingredient, an ingredient class or a group id.
/// </summary>
public sealed class InteractionRule : FindingRule
{
    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("between")] public List<string>? Between { get; init; }

    [JsonPropertyName("and")] public List<string>? And { get; init; }
}

/// <summary>
/// A regular order and a when-needed order of one ingredient that are usual practice, not a
/// duplication (modified-release morphine with immediate-release morphine for breakthrough pain):
/// shown as information, and both still count in the daily total.
/// </summary>
public sealed class RegularWithPrnRule : FindingRule
{
    [JsonPropertyName("name")] public string? Name { get; init; }
}

/// <summary>An allergy to one thing (ingredient, class or group) that alerts on another (penicillin allergy and cephalosporins).</summary>
public sealed class CrossSensitivityRule : FindingRule
{
    [JsonPropertyName("allergy")] public string? Allergy { get; init; }

    [JsonPropertyName("alsoAlerts")] public string? AlsoAlerts { get; init; }
}

/// <summary>The file's defaults for values a rule does not give.</summary>
public sealed class RuleDefaults
{
    /// <summary>How old a body weight may be for per-kg limits, in days.</summary>
    [JsonPropertyName("weightMaxAgeDays")] public int WeightMaxAgeDays { get; init; } = 30;

    /// <summary>How old a laboratory result (eGFR included) may be, in days.</summary>
    [JsonPropertyName("labMaxAgeDays")] public int LabMaxAgeDays { get; init; } = 7;

    /// <summary>How many times over a dose limit is a hard stop rather than a warning (issue #18: ten-fold errors).</summary>
    [JsonPropertyName("hardStopFactor")] public decimal HardStopFactor { get; init; } = 10m;
}

/// <summary>Who approved the file's clinical content, and when; "illustrative" until a trust's pharmacist does.</summary>
public sealed class FormularyApproval
{
    [JsonPropertyName("status")] public string? Status { get; init; }

    [JsonPropertyName("approvedBy")] public string? ApprovedBy { get; init; }

    [JsonPropertyName("approvedOn")] public string? ApprovedOn { get; init; }

    [JsonIgnore] public bool IsApproved => Status == "approved";
}

/// <summary>A patient's age in completed days, months and years on a given day.</summary>
public readonly record struct PatientAge(int Days, int Months, int Years)
{
    public static PatientAge On(DateOnly birthDate, DateOnly today)
    {
        var months = ((today.Year - birthDate.Year) * 12) + today.Month - birthDate.Month - (today.Day < birthDate.Day ? 1 : 0);
        return new PatientAge(today.DayNumber - birthDate.DayNumber, months, months / 12);
    }

    public bool AtLeast(AgeLimit limit) => limit.Unit switch
    {
        "d" => Days >= limit.Value,
        "wk" => Days >= limit.Value * 7,
        "mo" => Months >= limit.Value,
        _ => Years >= limit.Value,
    };

    public override string ToString() => Years >= 2 ? $"{Years} years" : Months >= 1 ? $"{Months} months" : $"{Days} days";
}

/// <summary>An age written in a rule: a whole number and a unit (d, wk, mo, y).</summary>
public sealed record AgeLimit(int Value, string Unit);

/// <summary>Reads and words the ages of rules ("28d", "3mo", "12y").</summary>
public static class Ages
{
    private static readonly string[] Units = ["mo", "wk", "d", "y"];

    public static AgeLimit? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var unit = Units.FirstOrDefault(text.EndsWith);
        return unit is not null && int.TryParse(text[..^unit.Length], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? new AgeLimit(value, unit)
            : null;
    }

    public static string Describe(string text) => Parse(text) is { } age
        ? $"{age.Value} {age.Unit switch { "d" => "day", "wk" => "week", "mo" => "month", _ => "year" }}{(age.Value == 1 ? "" : "s")}"
        : text;
}

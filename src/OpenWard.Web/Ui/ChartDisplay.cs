using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace OpenWard.Web.Ui;

/// <summary>
/// How the chart's pages write what a resource says: when (CUI dates, 24-hour time, in the server's
/// time zone), observation values, medicines, and which of many readings is the latest of each kind.
/// Pure functions, so the rules are tested without a server.
/// </summary>
public static class ChartDisplay
{
    /// <summary>
    /// The start of what a resource is dated by: a dateTime, instant, date, or a Period's start (else
    /// its end); null when there is none or it cannot be read.
    /// </summary>
    public static DateTimeOffset? Instant(DataType? value) => value switch
    {
        FhirDateTime dateTime => Parse(dateTime.Value),
        Instant instant => instant.Value,
        Date date => Parse(date.Value),
        Period period => Parse(period.Start) ?? Parse(period.End),
        _ => null,
    };

    /// <summary>Reads a FHIR dateTime or date text ("2026-03-01", "2026-03-01T09:30:00+00:00"); null when it is not one.</summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return new FhirDateTime(text).ToDateTimeOffset(TimeSpan.Zero);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// "27-Mar-2026 14:05" for a time, "27-Mar-2026" for a date, "Mar-2026" or "2026" for a partial
    /// date, as precise as what was recorded and never more; "Not known" when there is nothing.
    /// </summary>
    public static string When(DataType? value, TimeZoneInfo zone) => value switch
    {
        FhirDateTime dateTime => When(dateTime.Value, zone),
        Instant instant when instant.Value is { } at => Format(at, zone),
        Date date => When(date.Value, zone),
        Period period when period.Start is not null => When(period.Start, zone),
        Period period => When(period.End, zone),
        _ => PatientDisplay.NotKnown,
    };

    public static string When(string? text, TimeZoneInfo zone)
    {
        if (string.IsNullOrEmpty(text) || Parse(text) is not { } at)
        {
            return string.IsNullOrEmpty(text) ? PatientDisplay.NotKnown : text;
        }

        return text.Length switch
        {
            4 => text,
            7 => at.ToString("MMM-yyyy", CultureInfo.InvariantCulture),
            10 => PatientDisplay.Date(DateOnly.FromDateTime(at.DateTime)),
            _ => Format(at, zone),
        };
    }

    private static string Format(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return $"{PatientDisplay.Date(DateOnly.FromDateTime(local.DateTime))} {local.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>A period as "from – to", or "from – now" while it is open.</summary>
    public static string Period(Period? period, TimeZoneInfo zone) =>
        period is null ? PatientDisplay.NotKnown : $"{When(period.Start, zone)} to {(period.End is null ? "now" : When(period.End, zone))}";

    /// <summary>
    /// An observation's value as a reader wants it: "72 /min", "37.2 °C" (units by <see cref="UnitText"/>);
    /// components sharing a unit as "120/80 mmHg" (blood pressure); coded values by their text; "Not recorded: reason" when
    /// the value is absent with a reason; "No value" otherwise.
    /// </summary>
    public static string Value(Observation observation)
    {
        if (observation.Value is { } value)
        {
            return Value(value);
        }

        var parts = observation.Component.Where(c => c.Value is not null).ToList();
        if (parts.Count > 0)
        {
            var quantities = parts.Select(c => c.Value as Quantity).ToList();
            if (quantities.All(q => q?.Value is not null) && quantities.Select(Unit).Distinct().Count() == 1)
            {
                return $"{string.Join('/', quantities.Select(q => Number(q!.Value!.Value)))} {Unit(quantities[0]!)}".TrimEnd();
            }

            return string.Join(", ", parts.Select(c => $"{PatientDisplay.Text(c.Code)} {Value(c.Value!)}"));
        }

        return observation.DataAbsentReason is { } absent ? $"Not recorded: {PatientDisplay.Text(absent)}" : "No value";
    }

    private static string Value(DataType value) => value switch
    {
        Quantity { Value: { } number } quantity => $"{Number(number)} {Unit(quantity)}".TrimEnd(),
        CodeableConcept concept => PatientDisplay.Text(concept),
        FhirString text => text.Value ?? "",
        FhirBoolean flag => flag.Value switch { true => "Yes", false => "No", _ => "" },
        Integer integer => integer.Value?.ToString(CultureInfo.InvariantCulture) ?? "",
        _ => value.ToString() ?? "",
    };

    private static string Unit(Quantity? quantity) => quantity is null ? "" : UnitText(quantity);

    /// <summary>
    /// A quantity's unit as clinicians write it: UCUM codes of bedside measurements ("mm[Hg]",
    /// "Cel", "{beats}/min") as "mmHg", "°C", "/min"; any other unit as the sender wrote it.
    /// </summary>
    public static string UnitText(Quantity quantity) => quantity.System is null or "http://unitsofmeasure.org" && quantity.Code is { } code
        ? code switch
        {
            "mm[Hg]" => "mmHg",
            "Cel" => "°C",
            "[degF]" => "°F",
            "/min" or "{beats}/min" or "{Beats}/min" or "{breaths}/min" or "{Breaths}/min" or "1/min" => "/min",
            "%" => "%",
            "kg" => "kg",
            "g" => "g",
            "cm" => "cm",
            "L/min" => "L/min",
            "mmol/L" => "mmol/L",
            "mL" => "mL",
            "{score}" or "{ScoreOf}" => "",
            _ => quantity.Unit ?? code,
        }
        : quantity.Unit ?? quantity.Code ?? "";

    private static string Number(decimal number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a reading is of, as a key: the first coding's system and code, else the text.</summary>
    public static string CodeKey(CodeableConcept? code) =>
        code?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c.Code)) is { } coding ? $"{coding.System}|{coding.Code}" : code?.Text ?? "";

    /// <summary>
    /// The latest reading of each kind (by <see cref="CodeKey"/>), whatever order they come in; readings
    /// without a time count as older than any timed one. Ordered by what they are of, for a steady table.
    /// </summary>
    public static IReadOnlyList<Observation> LatestOfEachCode(IEnumerable<Observation> observations) =>
        [.. observations
            .GroupBy(o => CodeKey(o.Code))
            .Select(g => g.OrderByDescending(o => Instant(o.Effective) ?? DateTimeOffset.MinValue).First())
            .OrderBy(o => PatientDisplay.Text(o.Code), StringComparer.OrdinalIgnoreCase)];

    /// <summary>An observation that still stands: not entered in error or cancelled.</summary>
    public static bool IsCurrent(Observation observation) =>
        observation.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled);

    /// <summary>A medicine's name: the code's text, else the reference's display; "Not known".</summary>
    public static string Medicine(DataType? medication) => medication switch
    {
        CodeableConcept concept => PatientDisplay.Text(concept),
        ResourceReference reference => reference.Display ?? PatientDisplay.NotKnown,
        _ => PatientDisplay.NotKnown,
    };

    /// <summary>How it is taken, from the first dosage's text; empty when not given.</summary>
    public static string Dosage(IEnumerable<Dosage> dosages) => dosages.FirstOrDefault(d => !string.IsNullOrWhiteSpace(d.Text))?.Text ?? "";

    /// <summary>
    /// What a document is called in lists: its description, else its attachment's title (where a
    /// clinical note keeps the title its author gave), else its type.
    /// </summary>
    public static string DocumentTitle(DocumentReference document) =>
        document.Description ?? document.Content.Select(c => c.Attachment?.Title).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? PatientDisplay.Text(document.Type);

    /// <summary>A code's code (such as a status) in words: "in-progress" as "In progress".</summary>
    public static string Words(string? code) =>
        string.IsNullOrEmpty(code) ? PatientDisplay.NotKnown : char.ToUpperInvariant(code[0]) + code[1..].Replace('-', ' ');

    /// <summary>A FHIR enumeration (Encounter.status, MedicationRequest.status) by its code, in words.</summary>
    public static string Words(Enum? value) => Words(value?.GetLiteral());

    /// <summary>The first coding's code of a status-like concept (Condition.clinicalStatus), in words.</summary>
    public static string Status(CodeableConcept? concept) => Words(concept?.Coding.FirstOrDefault()?.Code);
}

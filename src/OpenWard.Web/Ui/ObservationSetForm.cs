using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Clinical.Observations;

namespace OpenWard.Web.Ui;

/// <summary>
/// The "Record observations" form (issue #19): one set of bedside observations in fixed units,
/// any part of it, checked field by field, and written as ONE transaction Bundle of UK Core-coded
/// Observations sharing one effectiveDateTime (UKCore-Bundle-NEWS2Observations-Example: SNOMED CT
/// and LOINC codings, UCUM units, category vital-signs). The write path scores the set
/// (<see cref="News2Scored"/>); this form never scores anything itself.
/// </summary>
public sealed class ObservationSetForm
{
    public const string Snomed = VitalSigns.Snomed;
    public const string Loinc = VitalSigns.Loinc;
    public const string Ucum = VitalSigns.Ucum;

    /// <summary>ACVPU choices: the form's code, the label, and the UK Core ACVPU value (SNOMED CT).</summary>
    public static readonly IReadOnlyList<(string Code, string Label, string Snomed, string Display, Acvpu Level)> ConsciousnessLevels =
    [
        ("A", "Alert", "248234008", "Mentally alert", Acvpu.Alert),
        ("C", "New confusion", "130987000", "Acute confusion", Acvpu.NewConfusion),
        ("V", "Voice", "300202002", "Responds to voice", Acvpu.Voice),
        ("P", "Pain", "450847001", "Responds to pain", Acvpu.Pain),
        ("U", "Unresponsive", "422768004", "Unresponsive", Acvpu.Unresponsive),
    ];

    /// <summary>
    /// Values that are possible but unusual enough to ask "have you checked it?" before saving.
    /// ILLUSTRATIVE thresholds, not from NEWS2 or any guideline: a trust sets its own. Impossible
    /// values are refused outright (<see cref="VitalSignsPlausible.Limits"/>).
    /// </summary>
    public static readonly IReadOnlyDictionary<News2Parameter, (decimal Below, decimal Above)> ConfirmOutside = new Dictionary<News2Parameter, (decimal, decimal)>
    {
        [News2Parameter.OxygenSaturation] = (85, 100),
        [News2Parameter.Pulse] = (40, 140),
        [News2Parameter.RespirationRate] = (8, 30),
        [News2Parameter.SystolicBloodPressure] = (80, 220),
        [News2Parameter.Temperature] = (34, 40),
    };

    public string? PatientId { get; set; }

    /// <summary>When the form was opened (round-trip ISO 8601): the time taken, to the second, unless the user changed the date or time.</summary>
    public string? OpenedAt { get; set; }

    /// <summary>The date taken, as typed (27/3/2026), in the hospital's time zone.</summary>
    public string? Date { get; set; }

    /// <summary>The time taken, 24-hour (14:05), in the hospital's time zone.</summary>
    public string? Time { get; set; }

    public string? RespirationRate { get; set; }

    public string? OxygenSaturation { get; set; }

    /// <summary>"air" or "oxygen"; empty when not recorded.</summary>
    public string? AirOrOxygen { get; set; }

    public string? OxygenDevice { get; set; }

    public string? OxygenFlow { get; set; }

    public string? Systolic { get; set; }

    public string? Diastolic { get; set; }

    public string? Pulse { get; set; }

    /// <summary>A, C, V, P or U (<see cref="ConsciousnessLevels"/>); empty when not recorded.</summary>
    public string? Consciousness { get; set; }

    public string? Temperature { get; set; }

    public string? PainScore { get; set; }

    public string? BloodGlucose { get; set; }

    public string? UrineOutput { get; set; }

    /// <summary>The "I have checked this value" box.</summary>
    public bool Confirmed { get; set; }

    /// <summary>The unusual values the box was shown for: a tick counts only for the values it was shown with.</summary>
    public string? ConfirmedValues { get; set; }

    /// <summary>A numeric field: its form name, how it is named in messages, its unit, its range and whether it is a whole number.</summary>
    public sealed record NumberField(string Name, string Label, string Unit, decimal Low, decimal High, bool Whole, string Example, News2Parameter? Parameter);

    private static (decimal Low, decimal High) Limit(News2Parameter parameter) => (VitalSignsPlausible.Limits[parameter].Low, VitalSignsPlausible.Limits[parameter].High);

    /// <summary>The numeric fields in page order. Ranges of the NEWS2 inputs are the write rule's; the others are ILLUSTRATIVE.</summary>
    public static readonly IReadOnlyList<NumberField> NumberFields =
    [
        new(nameof(RespirationRate), "respiration rate", "/min", Limit(News2Parameter.RespirationRate).Low, Limit(News2Parameter.RespirationRate).High, true, "18", News2Parameter.RespirationRate),
        new(nameof(OxygenSaturation), "SpO2", "%", Limit(News2Parameter.OxygenSaturation).Low, Limit(News2Parameter.OxygenSaturation).High, true, "96", News2Parameter.OxygenSaturation),
        new(nameof(OxygenFlow), "oxygen flow", "L/min", 0.1m, 60, false, "2", null),
        new(nameof(Systolic), "systolic blood pressure", "mmHg", Limit(News2Parameter.SystolicBloodPressure).Low, Limit(News2Parameter.SystolicBloodPressure).High, true, "120", News2Parameter.SystolicBloodPressure),
        new(nameof(Diastolic), "diastolic blood pressure", "mmHg", 0, 300, true, "80", null),
        new(nameof(Pulse), "pulse", "/min", Limit(News2Parameter.Pulse).Low, Limit(News2Parameter.Pulse).High, true, "72", News2Parameter.Pulse),
        new(nameof(Temperature), "temperature", "°C", Limit(News2Parameter.Temperature).Low, Limit(News2Parameter.Temperature).High, false, "37.2", News2Parameter.Temperature),
        new(nameof(PainScore), "pain score", "out of 10", 0, 10, true, "3", null),
        new(nameof(BloodGlucose), "blood glucose", "mmol/L", 0, 100, false, "5.6", null),
        new(nameof(UrineOutput), "urine output", "mL", 0, 10000, true, "250", null),
    ];

    /// <summary>The field keys in page order, for the error summary.</summary>
    public static readonly string[] FieldsInPageOrder =
    [
        nameof(Date), nameof(RespirationRate), nameof(OxygenSaturation), nameof(AirOrOxygen), nameof(OxygenFlow), nameof(Systolic), nameof(Diastolic),
        nameof(Pulse), nameof(Consciousness), nameof(Temperature), nameof(PainScore), nameof(BloodGlucose), nameof(UrineOutput), nameof(Confirmed),
    ];

    public string? Text(string name) => name switch
    {
        nameof(RespirationRate) => RespirationRate,
        nameof(OxygenSaturation) => OxygenSaturation,
        nameof(OxygenFlow) => OxygenFlow,
        nameof(Systolic) => Systolic,
        nameof(Diastolic) => Diastolic,
        nameof(Pulse) => Pulse,
        nameof(Temperature) => Temperature,
        nameof(PainScore) => PainScore,
        nameof(BloodGlucose) => BloodGlucose,
        nameof(UrineOutput) => UrineOutput,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A field's number; null when empty or not a number (see <see cref="Validate"/>).</summary>
    public decimal? Number(string name) =>
        decimal.TryParse(Text(name)?.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;

    private bool Given(string name) => !string.IsNullOrWhiteSpace(Text(name));

    public bool OnOxygen => AirOrOxygen == "oxygen";

    /// <summary>The form as filled for a patient, the time taken defaulting to <paramref name="now"/>.</summary>
    public static ObservationSetForm Blank(string patientId, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        return new ObservationSetForm
        {
            PatientId = patientId,
            OpenedAt = now.ToString("o", CultureInfo.InvariantCulture),
            Date = local.ToString("d/M/yyyy", CultureInfo.InvariantCulture),
            Time = local.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The form's errors (field, message), each naming what to do. <paramref name="when"/> is the
    /// time taken: the moment the form was opened, to the second, if the date and time shown then
    /// were kept (so two sets recorded in one minute stay two sets), else the minute typed.
    /// </summary>
    public IReadOnlyList<(string Field, string Message)> Validate(DateTimeOffset now, TimeZoneInfo zone, out DateTimeOffset? when)
    {
        var errors = new List<(string Field, string Message)>();
        when = Admissions.ParseWhen(Date, Time, now, zone, "observations", nameof(Date), errors);
        if (when is { } typed && DateTimeOffset.TryParse(OpenedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var opened)
            && opened <= now && typed == new DateTimeOffset(opened.Ticks - (opened.Ticks % TimeSpan.TicksPerMinute), opened.Offset))
        {
            when = new DateTimeOffset(opened.Ticks - (opened.Ticks % TimeSpan.TicksPerSecond), opened.Offset);
        }

        foreach (var field in NumberFields)
        {
            if (!Given(field.Name) || (field.Name == nameof(OxygenFlow) && !OnOxygen))
                continue;
            if (Number(field.Name) is not { } value)
                errors.Add((field.Name, $"Enter the {field.Label} as a number, like {field.Example}"));
            else if (field.Whole && value != decimal.Truncate(value))
                errors.Add((field.Name, $"Enter the {field.Label} as a whole number, like {field.Example}"));
            else if (value < field.Low || value > field.High)
                errors.Add((field.Name, $"The {field.Label} must be between {Format(field.Low)} and {Format(field.High)} {field.Unit}: check the value and the unit"));
        }

        if (AirOrOxygen is { Length: > 0 } and not ("air" or "oxygen"))
            errors.Add((nameof(AirOrOxygen), "Choose air or oxygen"));
        if (OnOxygen && !Given(nameof(OxygenFlow)))
            errors.Add((nameof(OxygenFlow), "Enter the oxygen flow in L/min, like 2"));
        if (OxygenDevice?.Length > 100)
            errors.Add((nameof(OxygenFlow), "The oxygen device must be 100 characters or fewer"));
        if (Consciousness is { Length: > 0 } && ConsciousnessLevels.All(l => l.Code != Consciousness))
            errors.Add((nameof(Consciousness), "Choose the level of consciousness"));
        if (Number(nameof(Systolic)) is { } systolic && Number(nameof(Diastolic)) is { } diastolic && diastolic >= systolic && errors.All(e => e.Field is not (nameof(Systolic) or nameof(Diastolic))))
            errors.Add((nameof(Diastolic), "The diastolic blood pressure must be lower than the systolic: check both"));
        if (Given(nameof(Diastolic)) && !Given(nameof(Systolic)))
            errors.Add((nameof(Systolic), "Enter the systolic blood pressure as well as the diastolic"));
        if (IsEmpty)
            errors.Add((nameof(RespirationRate), "Enter at least one observation"));
        return errors;
    }

    /// <summary>Nothing measured at all.</summary>
    public bool IsEmpty => NumberFields.All(f => !Given(f.Name)) && string.IsNullOrEmpty(AirOrOxygen) && string.IsNullOrEmpty(Consciousness);

    /// <summary>The possible but unusual values (field, message), to confirm before saving. Call after <see cref="Validate"/> found no errors.</summary>
    public IReadOnlyList<(string Field, string Message)> Unusual() =>
    [
        .. from field in NumberFields
           where field.Parameter is { } p && ConfirmOutside.ContainsKey(p) && Number(field.Name) is { } v && (v < ConfirmOutside[p].Below || v > ConfirmOutside[p].Above)
           select (field.Name, $"A {field.Label} of {Format(Number(field.Name)!.Value)} {field.Unit} is unusual: check it, then tick \"I have checked this value\""),
    ];

    /// <summary>What the confirmation box stands for: the unusual values as entered.</summary>
    public string UnusualKey() => string.Join(";", Unusual().Select(u => $"{u.Field}={Format(Number(u.Field)!.Value)}"));

    /// <summary>The unusual values were confirmed, as they are now.</summary>
    public bool UnusualConfirmed() => Confirmed && ConfirmedValues == UnusualKey();

    /// <summary>The set as one transaction Bundle of Observations, all effective at <paramref name="when"/>.</summary>
    public Bundle ToBundle(string patientId, DateTimeOffset when, ResourceReference performer)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        void Add(Observation observation)
        {
            observation.Status = ObservationStatus.Final;
            observation.Category = observation.Category.Count > 0 ? observation.Category : [VitalSignsCategory()];
            observation.Subject = new ResourceReference($"Patient/{patientId}");
            observation.Effective = new FhirDateTime(when);
            observation.Performer = [performer];
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid()}",
                Resource = observation,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
            });
        }

        if (Number(nameof(RespirationRate)) is { } rr)
            Add(new Observation { Code = Code((Snomed, "86290005", "Respiratory rate"), (Loinc, "9279-1", "Respiratory rate")), Value = Quantity(rr, "breaths per minute", "/min") });
        if (Number(nameof(OxygenSaturation)) is { } spo2)
        {
            // LOINC 2708-6 and 59408-5 together, as the FHIR R4 pulse-oximetry profile asks.
            Add(new Observation
            {
                Code = Code((Snomed, "103228002", "Hemoglobin saturation with oxygen"), (Loinc, "2708-6", "Oxygen saturation in Arterial blood"), (Loinc, "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")),
                Value = Quantity(spo2, "percent", "%"),
            });
        }

        if (AirOrOxygen == "air")
            Add(new Observation { Code = Code((Snomed, VitalSigns.BreathingRoomAir, "Breathing room air")) });
        if (OnOxygen)
        {
            var oxygen = new Observation { Code = Code((Snomed, VitalSigns.PatientOnOxygen, "Patient on oxygen")) };
            if (Number(nameof(OxygenFlow)) is { } flow)
                oxygen.Component.Add(new Observation.ComponentComponent { Code = Code((Loinc, "3151-8", "Inhaled oxygen flow rate")), Value = Quantity(flow, "L/min", "L/min") });
            if (!string.IsNullOrWhiteSpace(OxygenDevice))
                oxygen.Device = new ResourceReference { Display = OxygenDevice.Trim() };
            Add(oxygen);
        }

        if (Number(nameof(Systolic)) is { } systolic)
        {
            var pressure = new Observation { Code = Code((Snomed, "75367002", "Blood pressure"), (Loinc, "85354-9", "Blood pressure panel with all children optional")) };
            pressure.Component.Add(new Observation.ComponentComponent { Code = Code((Snomed, "72313002", "Systolic arterial pressure"), (Loinc, "8480-6", "Systolic blood pressure")), Value = Quantity(systolic, "mmHg", "mm[Hg]") });
            if (Number(nameof(Diastolic)) is { } diastolic)
                pressure.Component.Add(new Observation.ComponentComponent { Code = Code((Snomed, "1091811000000102", "Diastolic arterial pressure"), (Loinc, "8462-4", "Diastolic blood pressure")), Value = Quantity(diastolic, "mmHg", "mm[Hg]") });
            Add(pressure);
        }

        if (Number(nameof(Pulse)) is { } pulse)
            Add(new Observation { Code = Code((Snomed, "78564009", "Pulse rate"), (Loinc, "8867-4", "Heart rate")), Value = Quantity(pulse, "beats per minute", "/min") });
        if (ConsciousnessLevels.FirstOrDefault(l => l.Code == Consciousness) is { Code: not null } level)
        {
            Add(new Observation
            {
                Code = Code((Snomed, "1104441000000107", "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score")),
                Value = Code((Snomed, level.Snomed, level.Display)),
            });
        }

        if (Number(nameof(Temperature)) is { } temperature)
            Add(new Observation { Code = Code((Snomed, "386725007", "Body temperature"), (Loinc, "8310-5", "Body temperature")), Value = Quantity(temperature, "°C", "Cel") });

        // Not NEWS2 inputs. LOINC 72514-3 (pain severity, 0-10 verbal numeric rating), 15074-8
        // (glucose, moles/volume, in blood) and 9187-6 (urine output).
        if (Number(nameof(PainScore)) is { } pain)
            Add(new Observation { Category = [Category("survey", "Survey")], Code = Code((Loinc, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")), Value = Quantity(pain, "score", "{score}") });
        if (Number(nameof(BloodGlucose)) is { } glucose)
            Add(new Observation { Category = [Category("laboratory", "Laboratory")], Code = Code((Loinc, "15074-8", "Glucose [Moles/volume] in Blood")), Value = Quantity(glucose, "mmol/L", "mmol/L") });
        if (Number(nameof(UrineOutput)) is { } urine)
            Add(new Observation { Category = [Category("exam", "Exam")], Code = Code((Loinc, "9187-6", "Urine output")), Value = Quantity(urine, "mL", "mL") });
        return bundle;
    }

    private static CodeableConcept VitalSignsCategory() => Category("vital-signs", "Vital Signs");

    private static CodeableConcept Category(string code, string display) => new("http://terminology.hl7.org/CodeSystem/observation-category", code, display);

    private static CodeableConcept Code(params (string System, string Code, string Display)[] codings) =>
        new() { Coding = [.. codings.Select(c => new Coding(c.System, c.Code, c.Display))], Text = codings[0].Display };

    private static Quantity Quantity(decimal value, string unit, string code) => new() { Value = value, Unit = unit, System = Ucum, Code = code };

    private static string Format(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

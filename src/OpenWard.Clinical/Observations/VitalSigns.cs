using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Observations;

/// <summary>One NEWS2 parameter read from an Observation: a number (in the unit NEWS2 uses), air or oxygen, or a level of consciousness.</summary>
/// <param name="Source">The Observation it came from, as a reference ("Observation/abc").</param>
public sealed record VitalSignReading(News2Parameter Parameter, string Source)
{
    public decimal? Number { get; init; }

    public bool? OnOxygen { get; init; }

    public Acvpu? Consciousness { get; init; }
}

/// <summary>
/// Which Observations are NEWS2 inputs, and their values in NEWS2's units. Codes are those of UK Core
/// R4 2.0.0: the vital-signs profiles' fixed LOINC codes, their SNOMED CT value sets (UKCore-RespirationRate,
/// -HeartRate, -OxygenSaturation, -BodyTemperature, -BloodPressure-Systolic, -ACVPU, -InspiredOxygen,
/// expansions in ../shared/data) less the concepts that are not a resting adult bedside measurement
/// (fetal heart rate, temperature of a neonate at birth, saturation on exertion or of an organ), and
/// the NEWS2 codes of UKCore-Bundle-NEWS2Observations-Example; LOINC 59408-5 (SpO2 by pulse oximetry),
/// 3151-8 (inhaled oxygen flow rate) and 3150-0 (inhaled oxygen concentration) as in the FHIR R4
/// pulse-oximetry profile.
/// </summary>
public static class VitalSigns
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>Royal College of Physicians NEWS2 total score (SNOMED CT), the code of the score Observation.</summary>
    public const string News2TotalCode = "1104051000000101";

    public const string BreathingRoomAir = "722742002";
    public const string PatientOnOxygen = "371825009";

    private static readonly HashSet<string> RespirationRateCodes = ["9279-1", "86290005", "271625008", "250810003"];
    private static readonly HashSet<string> PulseCodes = ["8867-4", "8889-8", "364075005", "78564009", "422119006", "429525003", "1089491000000108", "399017001", "429614003", "843941000000100", "444981005"];
    private static readonly HashSet<string> OxygenSaturationCodes = ["2708-6", "59408-5", "103228002", "431314004", "442476006", "442440005", "1097811000000106", "1097821000000100", "866661000000106", "866701000000100"];
    private static readonly HashSet<string> SaturationOnAirCodes = ["1097811000000106", "866661000000106"];
    private static readonly HashSet<string> SaturationOnOxygenCodes = ["1097821000000100", "866701000000100"];
    private static readonly HashSet<string> TemperatureCodes = ["8310-5", "8331-1", "8328-7", "415882003", "300076005", "698832009", "386725007", "431807005", "276885007", "1222808002", "415921007", "415922000", "415929009", "698831002", "415945006", "307047009", "415974002"];
    private static readonly HashSet<string> BloodPressurePanelCodes = ["85354-9", "55284-4", "75367002", "163020007", "386534000", "723237002", "251076008", "163033001", "386536003"];
    private static readonly HashSet<string> SystolicCodes = ["8480-6", "72313002", "271649006", "407556006", "163030003", "1162737008", "407554009", "400974009"];
    private static readonly HashSet<string> AcvpuCodes = ["1104441000000107"];
    private static readonly HashSet<string> OxygenFlowCodes = ["3151-8"];
    private static readonly HashSet<string> OxygenConcentrationCodes = ["3150-0"];

    /// <summary>UK Core ACVPU value set (SNOMED CT).</summary>
    private static readonly Dictionary<string, Acvpu> AcvpuValues = new(StringComparer.Ordinal)
    {
        ["248234008"] = Acvpu.Alert,
        ["130987000"] = Acvpu.NewConfusion,
        ["300202002"] = Acvpu.Voice,
        ["450847001"] = Acvpu.Pain,
        ["422768004"] = Acvpu.Unresponsive,
    };

    /// <summary>The NEWS2 sub-score codes (SNOMED CT), as components of the score Observation.</summary>
    public static string SubScoreCode(News2Parameter parameter, bool scale2) => parameter switch
    {
        News2Parameter.RespirationRate => "1104301000000104",
        News2Parameter.OxygenSaturation => scale2 ? "1104321000000108" : "1104311000000102",
        News2Parameter.AirOrOxygen => "1104331000000105",
        News2Parameter.SystolicBloodPressure => "1104341000000101",
        News2Parameter.Pulse => "1104351000000103",
        News2Parameter.Consciousness => "1104361000000100",
        News2Parameter.Temperature => "1104371000000107",
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };

    public static string SubScoreDisplay(News2Parameter parameter, bool scale2) => parameter switch
    {
        News2Parameter.RespirationRate => "Royal College of Physicians NEWS2 (National Early Warning Score 2) - respiration rate score",
        News2Parameter.OxygenSaturation => $"Royal College of Physicians NEWS2 (National Early Warning Score 2) - oxygen saturation scale {(scale2 ? 2 : 1)} score",
        News2Parameter.AirOrOxygen => "Royal College of Physicians NEWS2 (National Early Warning Score 2) - air or oxygen score",
        News2Parameter.SystolicBloodPressure => "Royal College of Physicians NEWS2 (National Early Warning Score 2) - systolic blood pressure score",
        News2Parameter.Pulse => "Royal College of Physicians NEWS2 (National Early Warning Score 2) - pulse score",
        News2Parameter.Consciousness => "Royal College of Physicians NEWS2 (National Early Warning Score 2) - consciousness score",
        News2Parameter.Temperature => "Royal College of Physicians NEWS2 (National Early Warning Score 2) - temperature score",
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };

    /// <summary>How a parameter is named to staff.</summary>
    public static string Name(News2Parameter parameter) => parameter switch
    {
        News2Parameter.RespirationRate => "respiration rate",
        News2Parameter.OxygenSaturation => "SpO2",
        News2Parameter.AirOrOxygen => "air or oxygen",
        News2Parameter.SystolicBloodPressure => "systolic blood pressure",
        News2Parameter.Pulse => "pulse",
        News2Parameter.Consciousness => "consciousness (ACVPU)",
        News2Parameter.Temperature => "temperature",
        _ => throw new ArgumentOutOfRangeException(nameof(parameter)),
    };

    /// <summary>Whether the Observation is a NEWS2 total score (anyone's).</summary>
    public static bool IsNews2Total(Observation observation) => HasCode(observation.Code, [News2TotalCode]);

    /// <summary>Whether the Observation carries any NEWS2 input, so writing it changes a set's score.</summary>
    public static bool IsInput(Observation observation) => Read(observation, out _).Count > 0 || UnreadableInput(observation);

    private static bool UnreadableInput(Observation observation) =>
        HasCode(observation.Code, RespirationRateCodes) || HasCode(observation.Code, PulseCodes) || HasCode(observation.Code, OxygenSaturationCodes)
        || HasCode(observation.Code, TemperatureCodes) || HasCode(observation.Code, BloodPressurePanelCodes) || HasCode(observation.Code, SystolicCodes)
        || HasCode(observation.Code, AcvpuCodes) || HasCode(observation.Code, [BreathingRoomAir, PatientOnOxygen]) || HasCode(observation.Code, OxygenFlowCodes) || HasCode(observation.Code, OxygenConcentrationCodes);

    /// <summary>
    /// The NEWS2 readings an Observation carries (a blood pressure panel gives its systolic component;
    /// a saturation taken "on room air" also says air). <paramref name="problems"/> lists values that
    /// are present but cannot be read (a unit NEWS2 does not use, a code outside ACVPU).
    /// </summary>
    public static IReadOnlyList<VitalSignReading> Read(Observation observation, out IReadOnlyList<string> problems)
    {
        var readings = new List<VitalSignReading>();
        var unreadable = new List<string>();
        var source = $"Observation/{observation.Id}";
        var code = observation.Code;

        if (HasCode(code, RespirationRateCodes))
            AddNumber(News2Parameter.RespirationRate, observation.Value as Quantity, PerMinute);
        if (HasCode(code, PulseCodes))
            AddNumber(News2Parameter.Pulse, observation.Value as Quantity, PerMinute);
        if (HasCode(code, OxygenSaturationCodes))
        {
            AddNumber(News2Parameter.OxygenSaturation, observation.Value as Quantity, Percent);
            if (HasCode(code, SaturationOnAirCodes))
                readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = false });
            if (HasCode(code, SaturationOnOxygenCodes))
                readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = true });
        }

        if (HasCode(code, TemperatureCodes))
            AddNumber(News2Parameter.Temperature, observation.Value as Quantity, Celsius);
        if (HasCode(code, SystolicCodes))
            AddNumber(News2Parameter.SystolicBloodPressure, observation.Value as Quantity, MillimetresOfMercury);

        foreach (var component in observation.Component)
        {
            if (HasCode(component.Code, SystolicCodes))
                AddNumber(News2Parameter.SystolicBloodPressure, component.Value as Quantity, MillimetresOfMercury);
            else if (HasCode(component.Code, OxygenFlowCodes) && Number(component.Value as Quantity, LitresPerMinute) is { } flow)
                readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = flow > 0 });
            else if (HasCode(component.Code, OxygenConcentrationCodes) && Number(component.Value as Quantity, Percent) is { } concentration)
                readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = concentration > 21 });
        }

        if (HasCode(code, [BreathingRoomAir]) || HasCode(observation.Value as CodeableConcept, [BreathingRoomAir]))
            readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = false });
        if (HasCode(code, [PatientOnOxygen]) || HasCode(observation.Value as CodeableConcept, [PatientOnOxygen]))
            readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = true });
        if (HasCode(code, OxygenFlowCodes) && Number(observation.Value as Quantity, LitresPerMinute) is { } inhaledFlow)
            readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = inhaledFlow > 0 });
        if (HasCode(code, OxygenConcentrationCodes) && Number(observation.Value as Quantity, Percent) is { } inhaledConcentration)
            readings.Add(new VitalSignReading(News2Parameter.AirOrOxygen, source) { OnOxygen = inhaledConcentration > 21 });

        if (HasCode(code, AcvpuCodes))
        {
            var value = (observation.Value as CodeableConcept)?.Coding.FirstOrDefault(c => c.System == Snomed && c.Code is not null && AcvpuValues.ContainsKey(c.Code));
            if (value is not null)
                readings.Add(new VitalSignReading(News2Parameter.Consciousness, source) { Consciousness = AcvpuValues[value.Code!] });
            else if (observation.Value is not null)
                unreadable.Add($"{source}: the level of consciousness is not coded from the UK Core ACVPU value set");
        }

        problems = unreadable;
        return readings;

        void AddNumber(News2Parameter parameter, Quantity? quantity, Func<decimal, string?, decimal?> convert)
        {
            if (quantity?.Value is null)
                return;
            if (Number(quantity, convert) is { } value)
                readings.Add(new VitalSignReading(parameter, source) { Number = value });
            else
                unreadable.Add($"{source}: {Name(parameter)} in '{quantity.Code ?? quantity.Unit}' is not in a unit NEWS2 uses");
        }
    }

    private static decimal? Number(Quantity? quantity, Func<decimal, string?, decimal?> convert) =>
        quantity?.Value is { } value ? convert(value, quantity.Code ?? quantity.Unit) : null;

    // UCUM codes and the unit texts senders commonly write; anything else is not guessed at.
    private static decimal? PerMinute(decimal value, string? unit) =>
        unit is "/min" or "{Breaths}/min" or "{breaths}/min" or "{beats}/min" or "{Beats}/min" or "beats/min" or "breaths/min" or "bpm" or "1/min" ? value : null;

    private static decimal? Percent(decimal value, string? unit) => unit is "%" ? value : null;

    private static decimal? LitresPerMinute(decimal value, string? unit) => unit is "L/min" or "l/min" ? value : null;

    private static decimal? MillimetresOfMercury(decimal value, string? unit) => unit is "mm[Hg]" or "mmHg" ? value : null;

    private static decimal? Celsius(decimal value, string? unit) => unit switch
    {
        "Cel" or "°C" => value,
        "[degF]" or "°F" => Math.Round((value - 32m) * 5m / 9m, 1),
        _ => null,
    };

    private static bool HasCode(CodeableConcept? concept, HashSet<string> codes) =>
        concept?.Coding.Any(c => c.Code is not null && (c.System is Snomed or Loinc) && codes.Contains(c.Code)) == true;
}

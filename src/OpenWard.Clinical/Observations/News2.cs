namespace OpenWard.Clinical.Observations;

/// <summary>The seven physiological parameters NEWS2 scores, in the order of the RCP chart.</summary>
public enum News2Parameter
{
    RespirationRate,
    OxygenSaturation,
    AirOrOxygen,
    SystolicBloodPressure,
    Pulse,
    Consciousness,
    Temperature,
}

/// <summary>Level of consciousness on the ACVPU scale (RCP NEWS2 2017, chart 1).</summary>
public enum Acvpu
{
    Alert,

    /// <summary>New confusion (or new disorientation or agitation); confusion known to be long-standing is recorded as Alert.</summary>
    NewConfusion,
    Voice,
    Pain,
    Unresponsive,
}

/// <summary>
/// One set of observations as NEWS2 reads them: a null value is a parameter not measured.
/// Temperature in °C; respiration and pulse per minute; SpO2 in %; blood pressure in mmHg.
/// </summary>
/// <param name="UseScale2">SpO2 scale 2 (target 88–92%), only when a clinician has prescribed it for the patient.</param>
public sealed record News2Inputs(
    decimal? RespirationRate = null,
    decimal? OxygenSaturation = null,
    bool? OnOxygen = null,
    decimal? SystolicBloodPressure = null,
    decimal? Pulse = null,
    Acvpu? Consciousness = null,
    decimal? Temperature = null,
    bool UseScale2 = false);

/// <summary>
/// The clinical response a NEWS2 score calls for (RCP NEWS2 2017, charts 3 and 4), lowest first so
/// that bands compare. Two scores of 1–4 differ only in whether one parameter scored 3.
/// </summary>
public enum News2Response
{
    /// <summary>Total 0: continue routine monitoring, at least 12-hourly.</summary>
    Routine,

    /// <summary>Total 1–4: the registered nurse assesses; at least 4–6-hourly.</summary>
    Low,

    /// <summary>Total 1–4 with 3 in one parameter: the nurse informs the medical team, who review; at least hourly.</summary>
    LowMedium,

    /// <summary>Total 5–6: urgent response, assessment by a clinician competent in acute illness; at least hourly.</summary>
    Medium,

    /// <summary>Total 7 or more: emergency response by a team with critical care competencies; continuous monitoring.</summary>
    High,
}

/// <summary>A scored set: each measured parameter's sub-score, the total of those, and what was not measured.</summary>
public sealed record News2Result(
    IReadOnlyDictionary<News2Parameter, int> SubScores,
    IReadOnlyList<News2Parameter> Missing,
    bool Scale2)
{
    public int Total => SubScores.Values.Sum();

    /// <summary>All seven parameters scored. An incomplete score is a floor, never a reassurance.</summary>
    public bool IsComplete => Missing.Count == 0;

    public bool HasRedScore => SubScores.Values.Any(s => s == 3);

    public News2Response Response => News2.ResponseFor(Total, HasRedScore);
}

/// <summary>
/// The National Early Warning Score 2 as a pure function. Source: Royal College of Physicians,
/// National Early Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in
/// the NHS, updated report of a working party, London: RCP, December 2017; chart 1 (the scoring
/// system), chart 3 (thresholds and triggers) and chart 4 (clinical response).
/// Values between the chart's whole-number (temperature: one-decimal) rows score with the row whose
/// upper bound they do not exceed: a respiration rate of 20.5 scores as 21–24.
/// </summary>
public static class News2
{
    public static News2Result Score(News2Inputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var scores = new Dictionary<News2Parameter, int>();
        var missing = new List<News2Parameter>();

        void Add(News2Parameter parameter, int? score)
        {
            if (score is { } s)
                scores[parameter] = s;
            else
                missing.Add(parameter);
        }

        Add(News2Parameter.RespirationRate, inputs.RespirationRate is { } rr ? RespirationRate(rr) : null);
        Add(News2Parameter.OxygenSaturation, inputs.OxygenSaturation is { } spo2
            ? inputs.UseScale2 ? OxygenSaturationScale2(spo2, inputs.OnOxygen) : OxygenSaturationScale1(spo2)
            : null);
        Add(News2Parameter.AirOrOxygen, inputs.OnOxygen is { } oxygen ? (oxygen ? 2 : 0) : null);
        Add(News2Parameter.SystolicBloodPressure, inputs.SystolicBloodPressure is { } sbp ? SystolicBloodPressure(sbp) : null);
        Add(News2Parameter.Pulse, inputs.Pulse is { } pulse ? Pulse(pulse) : null);
        Add(News2Parameter.Consciousness, inputs.Consciousness is { } acvpu ? (acvpu == Acvpu.Alert ? 0 : 3) : null);
        Add(News2Parameter.Temperature, inputs.Temperature is { } temperature ? Temperature(temperature) : null);
        return new News2Result(scores, missing, inputs.UseScale2);
    }

    // Chart 1: ≤8 → 3; 9–11 → 1; 12–20 → 0; 21–24 → 2; ≥25 → 3.
    public static int RespirationRate(decimal perMinute) => perMinute switch
    {
        <= 8 => 3,
        <= 11 => 1,
        <= 20 => 0,
        <= 24 => 2,
        _ => 3,
    };

    // Chart 1, SpO2 scale 1: ≤91 → 3; 92–93 → 2; 94–95 → 1; ≥96 → 0.
    public static int OxygenSaturationScale1(decimal percent) => percent switch
    {
        <= 91 => 3,
        <= 93 => 2,
        <= 95 => 1,
        _ => 0,
    };

    /// <summary>
    /// Chart 1, SpO2 scale 2 (hypercapnic respiratory failure, target 88–92%): ≤83 → 3; 84–85 → 2;
    /// 86–87 → 1; 88–92, or ≥93 on air → 0; on oxygen 93–94 → 1, 95–96 → 2, ≥97 → 3. Above 92% the
    /// score depends on air or oxygen: null when that is not known.
    /// </summary>
    public static int? OxygenSaturationScale2(decimal percent, bool? onOxygen) => percent switch
    {
        <= 83 => 3,
        <= 85 => 2,
        <= 87 => 1,
        <= 92 => 0,
        _ => onOxygen switch
        {
            null => null,
            false => 0,
            true => percent switch
            {
                <= 94 => 1,
                <= 96 => 2,
                _ => 3,
            },
        },
    };

    // Chart 1: ≤90 → 3; 91–100 → 2; 101–110 → 1; 111–219 → 0; ≥220 → 3.
    public static int SystolicBloodPressure(decimal mmHg) => mmHg switch
    {
        <= 90 => 3,
        <= 100 => 2,
        <= 110 => 1,
        <= 219 => 0,
        _ => 3,
    };

    // Chart 1: ≤40 → 3; 41–50 → 1; 51–90 → 0; 91–110 → 1; 111–130 → 2; ≥131 → 3.
    public static int Pulse(decimal perMinute) => perMinute switch
    {
        <= 40 => 3,
        <= 50 => 1,
        <= 90 => 0,
        <= 110 => 1,
        <= 130 => 2,
        _ => 3,
    };

    // Chart 1: ≤35.0 → 3; 35.1–36.0 → 1; 36.1–38.0 → 0; 38.1–39.0 → 1; ≥39.1 → 2.
    public static int Temperature(decimal celsius) => celsius switch
    {
        <= 35.0m => 3,
        <= 36.0m => 1,
        <= 38.0m => 0,
        <= 39.0m => 1,
        _ => 2,
    };

    /// <summary>Charts 3 and 4: 7 or more high; 5–6 medium; 3 in any one parameter low–medium; 1–4 low; 0 routine.</summary>
    public static News2Response ResponseFor(int total, bool redScore) => total switch
    {
        >= 7 => News2Response.High,
        >= 5 => News2Response.Medium,
        _ when redScore => News2Response.LowMedium,
        >= 1 => News2Response.Low,
        _ => News2Response.Routine,
    };

    /// <summary>
    /// Chart 4's minimum observation frequency for a response; null for continuous monitoring
    /// (the ward board treats the set as due again within the hour).
    /// </summary>
    public static TimeSpan? ObservationInterval(News2Response response) => response switch
    {
        News2Response.Routine => TimeSpan.FromHours(12),
        News2Response.Low => TimeSpan.FromHours(4), // chart 4 says 4–6-hourly: the shorter, so nobody is late by the longer
        News2Response.LowMedium or News2Response.Medium => TimeSpan.FromHours(1),
        _ => null,
    };
}

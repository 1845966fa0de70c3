using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Observations;

/// <summary>
/// One set of observations: a patient's NEWS2 inputs that share an effective time, as written by
/// a page, a monitor or another system, and the score OpenWard keeps for it. The score is an
/// Observation in the shape of UK Core's UKCore-Bundle-NEWS2Observations-Example (SNOMED CT
/// 1104051000000101, one component per sub-score, derivedFrom the inputs) with an id derived from
/// the patient and the time, so rescoring the set as more of it arrives writes a new version of the
/// same score.
/// </summary>
public sealed class News2Set
{
    /// <summary>Marks what OpenWard wrote and how a sender's own score compares with it.</summary>
    public const string TagSystem = "https://fhir.openward.example/CodeSystem/news2";
    public const string OwnScoreTag = "openward-score";
    public const string DisagreesTag = "sender-score-disagrees";

    /// <summary>The clinical response band of a score (RCP NEWS2 chart 3 and 4), as Observation.interpretation.</summary>
    public const string ResponseSystem = "https://fhir.openward.example/CodeSystem/news2-clinical-response";

    private News2Set(string patientId, DateTimeOffset when, IReadOnlyList<Observation> inputs, IReadOnlyList<Observation> senderScores, bool scale2)
    {
        PatientId = patientId;
        When = when;
        Inputs = inputs;
        SenderScores = senderScores;
        var problems = new List<string>();
        var readings = new List<VitalSignReading>();
        foreach (var input in inputs)
        {
            readings.AddRange(VitalSigns.Read(input, out var unreadable));
            problems.AddRange(unreadable);
        }

        Problems = problems;
        Result = News2.Score(Combine(readings, scale2));
    }

    public string PatientId { get; }

    public DateTimeOffset When { get; }

    public IReadOnlyList<Observation> Inputs { get; }

    /// <summary>NEWS2 totals sent by others for this set: kept as sent, compared, never trusted.</summary>
    public IReadOnlyList<Observation> SenderScores { get; }

    public News2Result Result { get; }

    /// <summary>Values present but unreadable (a unit NEWS2 does not use): their parameter counts as missing, and the score says why.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>The id of OpenWard's score for a patient's set at a time: the same for every write of the set.</summary>
    public static string ScoreId(string patientId, DateTimeOffset when)
    {
        var key = $"{patientId}|{when.UtcTicks.ToString(CultureInfo.InvariantCulture)}";
        return "news2-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    public string ScoreReference => $"Observation/{ScoreId(PatientId, When)}";

    /// <summary>Whether OpenWard wrote this Observation as a set's score.</summary>
    public static bool IsOwnScore(Resource resource) => resource.Meta?.Tag.Any(t => t.System == TagSystem && t.Code == OwnScoreTag) == true;

    /// <summary>The time an Observation was taken, when it gives one to the second or better.</summary>
    public static DateTimeOffset? EffectiveTime(Observation observation) => observation.Effective switch
    {
        FhirDateTime { Value.Length: > 10 } time when time.TryToDateTimeOffset(out var at) => at,
        Instant { Value: { } at } => at,
        Period { Start.Length: > 10 } period when new FhirDateTime(period.Start).TryToDateTimeOffset(out var start) => start,
        _ => null,
    };

    /// <summary>
    /// The set made of <paramref name="candidates"/> that share <paramref name="when"/> exactly:
    /// usable inputs (not entered in error or cancelled) and the totals others sent.
    /// </summary>
    public static News2Set Of(string patientId, DateTimeOffset when, IEnumerable<Observation> candidates, bool scale2)
    {
        var inputs = new List<Observation>();
        var senderScores = new List<Observation>();
        foreach (var observation in candidates)
        {
            if (observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled
                || EffectiveTime(observation) != when
                || IsOwnScore(observation))
            {
                continue;
            }

            if (VitalSigns.IsNews2Total(observation))
                senderScores.Add(observation);
            else if (VitalSigns.IsInput(observation))
                inputs.Add(observation);
        }

        return new News2Set(patientId, when, inputs, senderScores, scale2);
    }

    /// <summary>A sender's total that is not OpenWard's: a different number, or a score for a set OpenWard finds incomplete.</summary>
    public bool Disagrees(Observation senderScore) =>
        (senderScore.Value as Quantity)?.Value is not { } sent || sent != Result.Total || !Result.IsComplete;

    /// <summary>OpenWard's score for the set, as a UK Core-shaped NEWS2 total Observation.</summary>
    public Observation ScoreObservation(DateTimeOffset now)
    {
        var result = Result;
        var score = new Observation
        {
            Id = ScoreId(PatientId, When),
            Meta = new Meta { Tag = [new Coding(TagSystem, OwnScoreTag, "NEWS2 scored by OpenWard")] },
            // An incomplete set's score is a floor that more observations may raise: preliminary until all seven are in.
            Status = result.IsComplete ? ObservationStatus.Final : ObservationStatus.Preliminary,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")],
            Code = new CodeableConcept(VitalSigns.Snomed, VitalSigns.News2TotalCode, "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score"),
            Subject = new ResourceReference($"Patient/{PatientId}"),
            Effective = new FhirDateTime(When),
            Issued = now,
            Value = ScoreQuantity(result.Total),
            Method = new CodeableConcept { Text = $"Calculated by OpenWard from the RCP NEWS2 (2017) chart, SpO2 scale {(result.Scale2 ? 2 : 1)}" },
            Interpretation = [Interpretation(result)],
            DerivedFrom = [.. Inputs.Select(i => new ResourceReference($"Observation/{i.Id}"))],
        };

        foreach (var parameter in Enum.GetValues<News2Parameter>())
        {
            var component = new Observation.ComponentComponent
            {
                Code = new CodeableConcept(VitalSigns.Snomed, VitalSigns.SubScoreCode(parameter, result.Scale2), VitalSigns.SubScoreDisplay(parameter, result.Scale2)),
            };
            if (result.SubScores.TryGetValue(parameter, out var subScore))
                component.Value = ScoreQuantity(subScore);
            else
                component.DataAbsentReason = new CodeableConcept("http://terminology.hl7.org/CodeSystem/data-absent-reason", "not-performed", "Not Performed");
            score.Component.Add(component);
        }

        if (!result.IsComplete)
            score.Note.Add(new Annotation { Text = $"Incomplete: {result.Missing.Count} of 7 parameters missing ({string.Join(", ", result.Missing.Select(VitalSigns.Name))}). The score counts only what was measured." });
        foreach (var problem in Problems)
            score.Note.Add(new Annotation { Text = $"Not used: {problem}." });
        foreach (var sent in SenderScores.Where(Disagrees))
        {
            var value = (sent.Value as Quantity)?.Value;
            score.Note.Add(new Annotation { Text = $"The sender's score Observation/{sent.Id} says {(value is null ? "nothing readable" : value.Value.ToString(CultureInfo.InvariantCulture))}; OpenWard scores {result.Total}{(result.IsComplete ? "" : " (incomplete)")} from the same set. Check the observations." });
        }

        return score;
    }

    /// <summary>Tags (or untags) a sender's score as disagreeing with OpenWard's; true when that changed it.</summary>
    public bool Flag(Observation senderScore)
    {
        senderScore.Meta ??= new Meta();
        var flagged = senderScore.Meta.Tag.Any(t => t.System == TagSystem && t.Code == DisagreesTag);
        var disagrees = Disagrees(senderScore);
        if (flagged == disagrees)
            return false;
        if (disagrees)
            senderScore.Meta.Tag.Add(new Coding(TagSystem, DisagreesTag, "Disagrees with the score OpenWard calculated for the same observations"));
        else
            senderScore.Meta.Tag.RemoveAll(t => t.System == TagSystem && t.Code == DisagreesTag);
        return true;
    }

    public static CodeableConcept Interpretation(News2Result result)
    {
        var (code, display) = result.Response switch
        {
            News2Response.Routine => ("routine", "Score 0: routine monitoring"),
            News2Response.Low => ("low", "Score 1-4: low; registered nurse to assess"),
            News2Response.LowMedium => ("low-medium", "3 in one parameter: low-medium; urgent ward-based response"),
            News2Response.Medium => ("medium", "Score 5-6: medium; urgent response"),
            _ => ("high", "Score 7 or more: high; emergency response"),
        };
        return new CodeableConcept(ResponseSystem, code, display, result.IsComplete ? display : $"{display} (incomplete set: may be higher)");
    }

    private static Quantity ScoreQuantity(int value) => new() { Value = value, Unit = "ScoreOf", System = VitalSigns.Ucum, Code = "{ScoreOf}" };

    /// <summary>
    /// One value per parameter. Where the set holds two readings of one parameter (two systems sent
    /// a pulse), the one that scores higher is used: a duplicate never lowers a score.
    /// </summary>
    private static News2Inputs Combine(List<VitalSignReading> readings, bool scale2)
    {
        decimal? Worst(News2Parameter parameter, Func<decimal, int> score) =>
            readings.Where(r => r.Parameter == parameter && r.Number is not null).Select(r => r.Number!.Value).OrderByDescending(score).ThenBy(v => v).Cast<decimal?>().FirstOrDefault();

        var oxygen = readings.Where(r => r.Parameter == News2Parameter.AirOrOxygen && r.OnOxygen is not null).Select(r => r.OnOxygen!.Value).ToList();
        bool? onOxygen = oxygen.Count == 0 ? null : oxygen.Any(o => o);
        var consciousness = readings.Where(r => r.Consciousness is not null).Select(r => r.Consciousness!.Value).ToList();
        return new News2Inputs(
            RespirationRate: Worst(News2Parameter.RespirationRate, News2.RespirationRate),
            OxygenSaturation: Worst(News2Parameter.OxygenSaturation, spo2 => scale2 ? News2.OxygenSaturationScale2(spo2, onOxygen) ?? 0 : News2.OxygenSaturationScale1(spo2)),
            OnOxygen: onOxygen,
            SystolicBloodPressure: Worst(News2Parameter.SystolicBloodPressure, News2.SystolicBloodPressure),
            Pulse: Worst(News2Parameter.Pulse, News2.Pulse),
            Consciousness: consciousness.Count == 0 ? null : consciousness.Max(),
            Temperature: Worst(News2Parameter.Temperature, News2.Temperature),
            UseScale2: scale2);
    }
}

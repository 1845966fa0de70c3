using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Observations;

/// <summary>When a patient's next set of observations is due, from their latest NEWS2 score.</summary>
/// <param name="Score">The latest score OpenWard calculated; null when the patient has none.</param>
/// <param name="Due">When the next set is due; null when there has been no set.</param>
public sealed record ObservationsDue(Observation? Score, DateTimeOffset? Due)
{
    /// <summary>
    /// RCP NEWS2 (2017) chart 4's minimum frequency from the latest score: 12-hourly at 0, 4-hourly at
    /// 1–4 (chart 4 says 4–6: the shorter), hourly at a red score or 5–6. At 7 or more chart 4 asks for
    /// continuous monitoring: a set recorded by hand is then due every 15 minutes (ILLUSTRATIVE; a
    /// trust's policy decides).
    /// </summary>
    public static TimeSpan Interval(News2Response response) => News2.ObservationInterval(response) ?? TimeSpan.FromMinutes(15);

    /// <summary>The schedule from the patient's scores (OpenWard's own, any order); the newest by effective time counts.</summary>
    public static ObservationsDue From(IEnumerable<Observation> scores)
    {
        var latest = scores.Where(News2Set.IsOwnScore)
            .Select(s => (Score: s, When: News2Set.EffectiveTime(s)))
            .Where(s => s.When is not null)
            .OrderByDescending(s => s.When)
            .FirstOrDefault();
        if (latest.Score is null)
            return new ObservationsDue(null, null);
        return new ObservationsDue(latest.Score, latest.When + Interval(ResponseOf(latest.Score)));
    }

    public bool IsOverdue(DateTimeOffset now) => Due is { } due && due < now;

    /// <summary>The response band a stored score was given (its interpretation), or Routine if it has none.</summary>
    public static News2Response ResponseOf(Observation score) =>
        score.Interpretation.SelectMany(i => i.Coding).FirstOrDefault(c => c.System == News2Set.ResponseSystem)?.Code switch
        {
            "high" => News2Response.High,
            "medium" => News2Response.Medium,
            "low-medium" => News2Response.LowMedium,
            "low" => News2Response.Low,
            _ => News2Response.Routine,
        };

    /// <summary>The total of a stored score, if it has one.</summary>
    public static int? TotalOf(Observation score) => (score.Value as Quantity)?.Value is { } total ? (int)total : null;
}

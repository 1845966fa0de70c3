using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;

namespace OpenWard.Web.Ui;

/// <summary>The latest NEWS2 score of a patient as the ward board shows it.</summary>
/// <param name="Total">The total; null when the stored score has no number.</param>
/// <param name="Band">The clinical response band the score was given (its interpretation).</param>
/// <param name="Incomplete">The set missed parameters: the score is a floor, not the whole story.</param>
/// <param name="When">When the set was taken.</param>
public sealed record BoardScore(int? Total, News2Response Band, bool Incomplete, DateTimeOffset When);

/// <summary>An open escalation or sepsis-screen Task as the board and the chart show it.</summary>
/// <param name="TaskId">The Task's id.</param>
/// <param name="Version">The version shown, sent back as If-Match when someone responds.</param>
/// <param name="What">"NEWS2 escalation", "Sepsis screen".</param>
/// <param name="Responder">Who is asked to respond (the Task's performerType), in words.</param>
/// <param name="Due">When the response is due (restriction.period.end).</param>
/// <param name="AwaitingResponse">Nobody has accepted or started it yet.</param>
/// <param name="Owner">Who accepted it (Task.owner), when someone has.</param>
/// <param name="Status">The Task's status in words.</param>
public sealed record BoardEscalation(string TaskId, string? Version, string What, string Responder, DateTimeOffset? Due, bool AwaitingResponse, string? Owner, string Status)
{
    /// <summary>For a sepsis screen: its outcome so far (null before the decision); null for a NEWS2 escalation.</summary>
    public SepsisProgress? Sepsis { get; init; }
}

/// <summary>Where a sepsis screen is: decided or not, and what its tracking says (time to antibiotics).</summary>
public sealed record SepsisProgress(string? Outcome, string? Tracking);

/// <summary>One patient's line on the board: what is known of their NEWS2 and escalations, in words and as sort keys.</summary>
public sealed record BoardStatus(BoardScore? Latest, BoardScore? Previous, DateTimeOffset? Due, IReadOnlyList<BoardEscalation> Escalations)
{
    public static readonly BoardStatus Nothing = new(null, null, null, []);

    /// <summary>An escalation nobody has responded to yet: these patients head the list.</summary>
    public bool AwaitingResponse => Escalations.Any(e => e.AwaitingResponse);
}

/// <summary>
/// The ward board (issue #19, "Spot the deteriorating patient"): each in-hospital patient's latest
/// NEWS2, its trend, when observations are due, and open escalations, in words (colour is never the
/// only signal), and the ward's patients ordered by risk. Pure: the page reads the scores and Tasks
/// (one search each per ward) and this class decides what they say and in which order.
/// </summary>
/// <remarks>
/// Order: an open escalation awaiting response first; then band (High, Medium, Low-medium, Low,
/// Routine, then no score); then overdue observations (a patient with none recorded counts as
/// overdue: nobody has looked yet); then the higher score; then bed. The NEWS2 scoring, bands, the
/// observation interval and escalation are not decided here (OpenWard.Clinical.Observations).
/// </remarks>
public static class WardBoard
{
    /// <summary>A board's status from one patient's stored NEWS2 scores (OpenWard's own are used, any order) and Tasks (open ones are used).</summary>
    public static BoardStatus For(IEnumerable<Observation> scores, IEnumerable<Hl7.Fhir.Model.Task> tasks)
    {
        var own = scores
            .Where(s => News2Set.IsOwnScore(s) && s.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled))
            .Select(s => (Score: s, When: News2Set.EffectiveTime(s)))
            .Where(s => s.When is not null)
            .OrderByDescending(s => s.When)
            .Take(2)
            .Select(s => Score(s.Score, s.When!.Value))
            .ToList();
        var due = ObservationsDue.From(scores.Where(s => s.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled))).Due;
        var escalations = tasks.Where(IsDeterioration).Where(EscalationTasks.IsOpen).Select(Escalation).OrderBy(e => e.Due ?? DateTimeOffset.MaxValue).ToList();
        return new BoardStatus(own.ElementAtOrDefault(0), own.ElementAtOrDefault(1), due, escalations);
    }

    /// <summary>An escalation or a sepsis-screen prompt: the Tasks the board and the chart's Escalations region show.</summary>
    public static bool IsDeterioration(Hl7.Fhir.Model.Task task) =>
        task.Code?.Coding.Any(c => c.System == EscalationTasks.CodeSystem && c.Code is EscalationTasks.EscalationCode or EscalationTasks.SepsisScreenCode) == true;

    public static BoardEscalation Escalation(Hl7.Fhir.Model.Task task)
    {
        var what = EscalationTasks.IsEscalation(task) ? "NEWS2 escalation" : "Sepsis screen";
        var responder = task.PerformerType.Select(p => p.Text ?? p.Coding.FirstOrDefault()?.Display).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t)) ?? "Not assigned";
        var owner = task.Owner is { } o ? o.Display ?? o.Reference : null;
        return new BoardEscalation(task.Id ?? "", task.Meta?.VersionId, what, responder, EscalationTasks.Due(task), EscalationTasks.AwaitingResponse(task), owner, ChartDisplay.Words(task.Status))
        {
            Sepsis = EscalationTasks.IsEscalation(task) ? null : new SepsisProgress(SepsisScreen.OutcomeOf(task), task.BusinessStatus?.Text),
        };
    }

    private static BoardScore Score(Observation score, DateTimeOffset when) =>
        new(ObservationsDue.TotalOf(score), ObservationsDue.ResponseOf(score), score.Status == ObservationStatus.Preliminary, when);

    /// <summary>Band in words: "High", "Medium", "Low-medium", "Low", "Routine".</summary>
    public static string BandText(News2Response band) => band switch
    {
        News2Response.High => "High",
        News2Response.Medium => "Medium",
        News2Response.LowMedium => "Low-medium",
        News2Response.Low => "Low",
        _ => "Routine",
    };

    /// <summary>The nhsuk tag colour of a band. The band is always written beside it, and each tag has a distinct symbol too.</summary>
    public static string BandTagClass(News2Response band) => band switch
    {
        News2Response.High => "nhsuk-tag--red",
        News2Response.Medium => "nhsuk-tag--orange",
        News2Response.LowMedium => "nhsuk-tag--yellow",
        News2Response.Low => "nhsuk-tag--blue",
        _ => "nhsuk-tag--grey",
    };

    /// <summary>A symbol per band (shape and count, so a colour-blind reader or a grey-scale screen still tells them apart); hidden from screen readers, which read the band.</summary>
    public static string BandSymbol(News2Response band) => band switch
    {
        News2Response.High => "▲▲▲",
        News2Response.Medium => "▲▲",
        News2Response.LowMedium => "▲",
        News2Response.Low => "●",
        _ => "○",
    };

    /// <summary>"7, High", "3, Low (incomplete)".</summary>
    public static string ScoreText(BoardScore score) =>
        $"{(score.Total is { } total ? total.ToString(CultureInfo.InvariantCulture) : "No total")}, {BandText(score.Band)}{(score.Incomplete ? " (incomplete)" : "")}";

    /// <summary>"up from 3", "down from 6", "same"; "first score" with no earlier one; empty with no score.</summary>
    public static string TrendText(BoardStatus status) => (status.Latest?.Total, status.Previous?.Total) switch
    {
        (null, _) when status.Latest is null => "",
        (_, null) when status.Previous is null => "first score",
        ({ } now, { } before) when now > before => $"up from {before.ToString(CultureInfo.InvariantCulture)}",
        ({ } now, { } before) when now < before => $"down from {before.ToString(CultureInfo.InvariantCulture)}",
        _ => "same",
    };

    /// <summary>"no observations recorded", "due 14:30", "overdue by 1 h 10 min".</summary>
    public static string DueText(BoardStatus status, DateTimeOffset now, TimeZoneInfo zone) => status.Due switch
    {
        null => "no observations recorded",
        { } due when due < now => $"overdue by {Span(now - due)}",
        { } due => $"due {Clock(due, now, zone)}",
    };

    public static bool IsOverdue(BoardStatus status, DateTimeOffset now) => status.Due is not { } due || due < now;

    /// <summary>"due 14:30", "overdue by 5 min", or nothing when the Task has no due time.</summary>
    public static string EscalationDueText(BoardEscalation escalation, DateTimeOffset now, TimeZoneInfo zone) => escalation.Due switch
    {
        null => "",
        { } due when due < now => $"overdue by {Span(now - due)}",
        { } due => $"due {Clock(due, now, zone)}",
    };

    /// <summary>"awaiting response", or "accepted by Nurse Alex Jones", or the status in words.</summary>
    public static string EscalationStateText(BoardEscalation escalation) => escalation switch
    {
        { AwaitingResponse: true } => "awaiting response",
        { Owner: { } owner } => $"{escalation.Status.ToLowerInvariant()} by {owner}",
        _ => escalation.Status.ToLowerInvariant(),
    };

    /// <summary>"14:30" today, "Tue 8 Dec 14:30" another day, in the hospital's time zone.</summary>
    public static string Clock(DateTimeOffset at, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        return local.Date == today ? local.ToString("HH:mm", CultureInfo.InvariantCulture) : local.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>"1 h 10 min", "2 h", "5 min", "under 1 min"; days above 48 hours ("3 days").</summary>
    public static string Span(TimeSpan span)
    {
        var minutes = (int)span.TotalMinutes;
        if (minutes < 1)
            return "under 1 min";
        if (minutes >= 48 * 60)
            return $"{(minutes / (24 * 60)).ToString(CultureInfo.InvariantCulture)} days";
        var (hours, rest) = (minutes / 60, minutes % 60);
        return (hours, rest) switch
        {
            (0, _) => $"{rest.ToString(CultureInfo.InvariantCulture)} min",
            (_, 0) => $"{hours.ToString(CultureInfo.InvariantCulture)} h",
            _ => $"{hours.ToString(CultureInfo.InvariantCulture)} h {rest.ToString(CultureInfo.InvariantCulture)} min",
        };
    }

    /// <summary>Rank of a band for ordering: High first, no score last.</summary>
    public static int BandRank(BoardScore? score) => score?.Band switch
    {
        News2Response.High => 0,
        News2Response.Medium => 1,
        News2Response.LowMedium => 2,
        News2Response.Low => 3,
        News2Response.Routine => 4,
        _ => 5,
    };

    /// <summary>
    /// The ward's patients by risk: escalation awaiting response, band, overdue, score (higher
    /// first), then bed number (no bed last) and bed name.
    /// </summary>
    public static IReadOnlyList<T> Order<T>(IEnumerable<T> rows, Func<T, BoardStatus> status, Func<T, int?> bedNumber, Func<T, string> bed, DateTimeOffset now) =>
        [.. rows
            .OrderBy(r => status(r).AwaitingResponse ? 0 : 1)
            .ThenBy(r => BandRank(status(r).Latest))
            .ThenBy(r => IsOverdue(status(r), now) ? 0 : 1)
            .ThenByDescending(r => status(r).Latest?.Total ?? -1)
            .ThenBy(r => bedNumber(r) ?? int.MaxValue)
            .ThenBy(r => bed(r), StringComparer.Ordinal)];
}

/// <summary>What the board's cells partial (Pages/Shared/_WardBoardCells.cshtml) needs: a patient's status, now, and the hospital's time zone.</summary>
public sealed record WardBoardCells(BoardStatus Status, DateTimeOffset Now, TimeZoneInfo Zone);

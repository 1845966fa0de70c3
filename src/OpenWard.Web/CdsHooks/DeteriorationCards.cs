using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using FhirTask = Hl7.Fhir.Model.Task;

namespace OpenWard.Web.CdsHooks;

/// <summary>
/// The CDS Hooks 2.0 cards of the <c>patient-view</c> service: the deterioration warnings OpenWard shows
/// itself, for another system. From the latest NEWS2 score OpenWard calculated: <c>critical</c> at 7 or
/// more, <c>warning</c> at 5–6 or 3 in one parameter (none for a low or routine score); a <c>warning</c>
/// when the next set of observations is overdue (<see cref="ObservationsDue"/>); a <c>critical</c> card
/// for each open sepsis screen Task; an <c>info</c> card for what could not be read. No card means
/// nothing to say. Each carries <c>extension.openward.category</c>.
/// </summary>
public static class DeteriorationCards
{
    public const string Source = "OpenWard deterioration warnings (NEWS2)";

    public static IReadOnlyList<JsonObject> For(PatientView view, TimeZoneInfo zone)
    {
        var cards = new List<JsonObject>();
        var scores = view.Scores.Where(s => News2Set.IsOwnScore(s) && s.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled)).ToList();
        var due = ObservationsDue.From(scores);
        var openTasks = view.Tasks.Where(t => EscalationTasks.IsOpen(t) && IsFor(t, view.PatientId)).ToList();
        if (due.Score is { } latest && Score(latest, openTasks, view.Now, zone) is { } scoreCard)
            cards.Add(scoreCard);
        if (due.Score is { } last && due.IsOverdue(view.Now))
            cards.Add(Overdue(last, due.Due!.Value, view.Now, zone));
        foreach (var task in openTasks.Where(IsSepsisScreen).OrderBy(t => EscalationTasks.Due(t) ?? DateTimeOffset.MaxValue))
            cards.Add(SepsisScreen(task, view.Now, zone));
        if (view.NotRead.Count > 0)
            cards.Add(NotChecked(view.NotRead));
        return cards;
    }

    public static bool IsSepsisScreen(FhirTask task) =>
        task.Code?.Coding.Any(c => c.System == EscalationTasks.CodeSystem && c.Code == EscalationTasks.SepsisScreenCode) == true;

    private static JsonObject? Score(Observation score, List<FhirTask> openTasks, DateTimeOffset now, TimeZoneInfo zone)
    {
        var response = ObservationsDue.ResponseOf(score);
        var (indicator, band, action) = response switch
        {
            News2Response.High => ("critical", "high", "emergency response"),
            News2Response.Medium => ("warning", "medium", "urgent response"),
            News2Response.LowMedium => ("warning", "low-medium: 3 in one parameter", "urgent ward-based response"),
            _ => (null, null, null),
        };
        if (indicator is null)
            return null;

        var total = ObservationsDue.TotalOf(score);
        var incomplete = score.Status == ObservationStatus.Preliminary;
        var summary = $"NEWS2 {Number(total)} ({band}{(incomplete ? ", incomplete set" : "")}): {action}";

        var detail = new StringBuilder();
        var when = News2Set.EffectiveTime(score);
        detail.Append(CultureInfo.InvariantCulture, $"Latest NEWS2 score calculated by OpenWard: **{Number(total)}** ({score.Interpretation.SelectMany(i => i.Coding).FirstOrDefault(c => c.System == News2Set.ResponseSystem)?.Display ?? band}), from the set taken at {(when is null ? "an unknown time" : Time(when.Value, now, zone))} (Observation/{score.Id}).");
        if (incomplete)
            detail.Append(" The set is **incomplete**: the score counts only what was measured and may be higher.");
        detail.Append("\n\nSub-scores:\n");
        foreach (var component in score.Component)
        {
            var name = SubScoreName(component.Code);
            detail.Append(component.Value is Quantity { Value: { } value }
                ? $"- {name}: {value.ToString("0", CultureInfo.InvariantCulture)}\n"
                : $"- {name}: not measured\n");
        }

        var notes = score.Note.Select(n => n.Text).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        var missing = score.Component.Where(c => c.Value is null).Select(c => SubScoreName(c.Code)).ToList();
        if (missing.Count > 0 || notes.Count > 0)
        {
            detail.Append("\nNot included in the score:\n");
            if (missing.Count > 0)
                detail.Append(CultureInfo.InvariantCulture, $"- not measured in this set: {string.Join(", ", missing)}\n");
            foreach (var note in notes)
                detail.Append(CultureInfo.InvariantCulture, $"- {note}\n");
        }

        var scoreReference = $"Observation/{score.Id}";
        var escalations = openTasks.Where(EscalationTasks.IsEscalation)
            .OrderByDescending(t => t.Focus?.Reference == scoreReference)
            .ThenByDescending(t => EscalationTasks.Level(t) ?? 0)
            .ToList();
        if (escalations.Count == 0)
        {
            detail.Append("\nNo open escalation Task for this patient in OpenWard's record.");
        }
        else
        {
            detail.Append("\nOpen escalation:\n");
            foreach (var task in escalations)
                detail.Append(CultureInfo.InvariantCulture, $"- {Escalation(task, now, zone)}\n");
        }

        return Card(summary, detail.ToString().TrimEnd(), indicator, "news2");
    }

    private static string Escalation(FhirTask task, DateTimeOffset now, TimeZoneInfo zone)
    {
        var responder = task.PerformerType.SelectMany(p => p.Coding).FirstOrDefault(c => c.System == EscalationTasks.LevelSystem)?.Display
            ?? task.PerformerType.FirstOrDefault()?.Text
            ?? "responder not named";
        var due = EscalationTasks.Due(task);
        var state = EscalationTasks.AwaitingResponse(task) ? "**awaiting response**" : $"{Status(task)} (responded)";
        var dueText = due is null ? "no due time" : $"due {Time(due.Value, now, zone)}{(due < now && EscalationTasks.AwaitingResponse(task) ? $", overdue by {Duration(now - due.Value)}" : "")}";
        return $"{responder}: {dueText}; {state} (Task/{task.Id})";
    }

    private static JsonObject Overdue(Observation score, DateTimeOffset due, DateTimeOffset now, TimeZoneInfo zone)
    {
        var total = Number(ObservationsDue.TotalOf(score));
        var response = ObservationsDue.ResponseOf(score);
        var interval = ObservationsDue.Interval(response);
        var summary = $"Observations overdue by {Duration(now - due)} (due {Time(due, now, zone)} after NEWS2 {total})";
        var when = News2Set.EffectiveTime(score);
        var detail = $"The last set was taken at {(when is null ? "an unknown time" : Time(when.Value, now, zone))} and scored NEWS2 {total}{(score.Status == ObservationStatus.Preliminary ? " (incomplete set)" : "")} (Observation/{score.Id}). "
            + $"At that score the next set is due within {Duration(interval)} (RCP NEWS2 2017 chart 4's minimum frequency; at 7 or more, where chart 4 asks for continuous monitoring, a set recorded by hand is due every 15 minutes, an illustrative time a trust's policy sets). "
            + "No later set is in OpenWard's record.";
        return Card(summary, detail, "warning", "observations-overdue");
    }

    private static JsonObject SepsisScreen(FhirTask task, DateTimeOffset now, TimeZoneInfo zone)
    {
        var due = EscalationTasks.Due(task);
        var summary = due is null
            ? "Sepsis screen open: no due time set"
            : $"Sepsis screen open: due {Time(due.Value, now, zone)}{(due < now ? $", overdue by {Duration(now - due.Value)}" : "")}";
        var detail = new StringBuilder();
        detail.Append(CultureInfo.InvariantCulture, $"A sepsis screen (NICE NG51) has been asked for and is not done (Task/{task.Id}, {(EscalationTasks.AwaitingResponse(task) ? "**awaiting response**" : Status(task))}).");
        if (!string.IsNullOrWhiteSpace(task.Description))
            detail.Append(CultureInfo.InvariantCulture, $"\n\n{task.Description}");
        if (task.AuthoredOn is { } authored && new FhirDateTime(authored).TryToDateTimeOffset(out var asked))
            detail.Append(CultureInfo.InvariantCulture, $"\n\nAsked for at {Time(asked, now, zone)}.");
        foreach (var note in task.Note.Select(n => n.Text).Where(t => !string.IsNullOrWhiteSpace(t)))
            detail.Append(CultureInfo.InvariantCulture, $"\n\n{note}");
        return Card(summary, detail.ToString(), "critical", "sepsis-screen");
    }

    private static JsonObject NotChecked(IReadOnlyList<string> notRead) => Card(
        "Deterioration warnings not checked: part of the record could not be read",
        "OpenWard could not check this patient for deterioration (NEWS2, overdue observations, sepsis screens) in full, so no card is not the same as nothing to worry about:\n"
            + string.Join("\n", notRead.Select(n => $"- {n}")),
        "info",
        "not-checked");

    private static JsonObject Card(string summary, string detail, string indicator, string category) => new()
    {
        ["uuid"] = Guid.NewGuid().ToString(),
        ["summary"] = summary.Length <= 140 ? summary : summary[..139] + "…",
        ["detail"] = detail,
        ["indicator"] = indicator,
        ["source"] = new JsonObject { ["label"] = Source },
        ["extension"] = new JsonObject { ["openward"] = new JsonObject { ["category"] = category } },
    };

    private static bool IsFor(FhirTask task, string patientId) =>
        task.For?.Reference is not { } target || target == $"Patient/{patientId}" || target.EndsWith($"/Patient/{patientId}", StringComparison.Ordinal);

    private static string Status(FhirTask task) => task.Status switch
    {
        FhirTask.TaskStatus.Accepted => "accepted",
        FhirTask.TaskStatus.InProgress => "in progress",
        FhirTask.TaskStatus.OnHold => "on hold",
        var other => other?.ToString().ToLowerInvariant() ?? "no status",
    };

    private static string SubScoreName(CodeableConcept? code)
    {
        var display = code?.Coding.FirstOrDefault()?.Display ?? code?.Text ?? code?.Coding.FirstOrDefault()?.Code ?? "sub-score";
        var dash = display.LastIndexOf(" - ", StringComparison.Ordinal);
        return dash >= 0 ? display[(dash + 3)..] : display;
    }

    private static string Number(int? total) => total?.ToString(CultureInfo.InvariantCulture) ?? "?";

    /// <summary>A time as staff read it: HH:mm in the ward's zone, with the date when it is not today.</summary>
    public static string Time(DateTimeOffset at, DateTimeOffset now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var today = TimeZoneInfo.ConvertTime(now, zone);
        return local.Date == today.Date
            ? local.ToString("HH:mm", CultureInfo.InvariantCulture)
            : local.ToString("HH:mm 'on' d/M/yyyy", CultureInfo.InvariantCulture);
    }

    /// <summary>A length of time to the minute: "1 h 20 min", "45 min", "2 d 3 h".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1))
            return "under 1 min";
        if (span.TotalDays >= 1)
            return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
        if (span.TotalHours >= 1)
            return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        return $"{(int)span.TotalMinutes} min";
    }
}

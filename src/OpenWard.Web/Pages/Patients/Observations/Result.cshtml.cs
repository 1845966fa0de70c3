using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Observations;

/// <summary>
/// One set's NEWS2 score as OpenWard calculated it (the score Observation <see cref="News2Set"/>
/// wrote): the total, each parameter's sub-score, the response band in words with what to do
/// (RCP NEWS2 2017 chart 4), what is missing when the set is incomplete, and the escalation raised.
/// </summary>
public sealed class ResultModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    public override ChartTab Tab => ChartTabs.Observations;

    public Observation? Score { get; private set; }

    /// <summary>Each parameter in chart order with its sub-score; null when not measured.</summary>
    public IReadOnlyList<(News2Parameter Parameter, int? SubScore)> SubScores { get; private set; } = [];

    public News2Response Band { get; private set; }

    public int Total { get; private set; }

    public bool Scale2 { get; private set; }

    /// <summary>The observations of the set, as recorded.</summary>
    public IReadOnlyList<Observation> Inputs { get; private set; } = [];

    /// <summary>The escalation raised for this set; or, when none was (someone is already asked to respond), the open one that covers it.</summary>
    public Hl7.Fhir.Model.Task? Escalation { get; private set; }

    public bool EscalationIsForThisSet { get; private set; }

    public Task<IActionResult> OnGetAsync(string id, string scoreId, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        try
        {
            Score = await PatientReads.ReadAsync<Observation>(Fhir, access, scoreId, cancellationToken);
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return;
        }

        if (Score.Subject?.Reference != $"Patient/{id}" || !News2Set.IsOwnScore(Score))
        {
            Score = null;
            return;
        }

        Total = ObservationsDue.TotalOf(Score) ?? 0;
        Band = ObservationsDue.ResponseOf(Score);
        Scale2 = Score.Component.Any(c => c.Code.Coding.Any(k => k.Code == VitalSigns.SubScoreCode(News2Parameter.OxygenSaturation, scale2: true)));
        SubScores = [.. Enum.GetValues<News2Parameter>().Select(p => (p, SubScoreOf(Score, p)))];

        if (News2Set.EffectiveTime(Score) is { } when)
        {
            var found = await PatientReads.SearchAsync(Fhir, access, "Observation", [new("patient", id), new("date", "eq" + when.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture)), new("_count", "50")], cancellationToken);
            Inputs = [.. found.Of<Observation>().Where(o => !News2Set.IsOwnScore(o) && !VitalSigns.IsNews2Total(o) && ChartDisplay.IsCurrent(o))];
        }

        try
        {
            Escalation = await PatientReads.ReadAsync<Hl7.Fhir.Model.Task>(Fhir, access, EscalationTasks.IdFor(scoreId), cancellationToken);
            EscalationIsForThisSet = true;
        }
        catch (FhirException e) when (e.Status is 404 or 410 or 403)
        {
            if (Band is not (News2Response.Routine or News2Response.Low))
            {
                var open = await SearchSectionAsync(access, "Task", [new("code", $"{EscalationTasks.CodeSystem}|{EscalationTasks.EscalationCode}"), new("_count", "20")], cancellationToken);
                Escalation = open?.Of<Hl7.Fhir.Model.Task>().Where(EscalationTasks.IsOpen).OrderByDescending(t => EscalationTasks.Level(t)).FirstOrDefault();
            }
        }
    }, cancellationToken);

    private static int? SubScoreOf(Observation score, News2Parameter parameter)
    {
        var codes = new[] { VitalSigns.SubScoreCode(parameter, false), VitalSigns.SubScoreCode(parameter, true) };
        var component = score.Component.FirstOrDefault(c => c.Code.Coding.Any(k => codes.Contains(k.Code)));
        return (component?.Value as Quantity)?.Value is { } value ? (int)value : null;
    }
}

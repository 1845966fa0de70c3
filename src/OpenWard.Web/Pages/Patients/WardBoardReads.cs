using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// What the ward board reads for a ward's patients, batched: one search for their NEWS2 scores (of
/// the last <see cref="ScoreWindow"/>), one more only for patients with none in that window, and one
/// for their open escalation and sepsis-screen Tasks. Never a search per patient. Through the
/// user's access, so the policy filters every resource as it does the ward list.
/// </summary>
public static class WardBoardReads
{
    /// <summary>How far back the board's main search for scores looks; a week covers every ward round, and keeps the search bounded.</summary>
    public static readonly TimeSpan ScoreWindow = TimeSpan.FromDays(7);

    /// <summary>The most scores one search returns; beyond it the oldest are left out (the latest two per patient are what counts).</summary>
    public const int MaximumScores = 1000;

    /// <summary>Task statuses of an escalation still being dealt with (<see cref="EscalationTasks.IsOpen"/>).</summary>
    public const string OpenStatuses = "requested,received,ready,accepted,in-progress,on-hold";

    public static string ScoreCode => $"{VitalSigns.Snomed}|{VitalSigns.News2TotalCode}";

    public static string TaskCodes => $"{EscalationTasks.CodeSystem}|{EscalationTasks.EscalationCode},{EscalationTasks.CodeSystem}|{EscalationTasks.SepsisScreenCode}";

    /// <summary>
    /// Each patient's board status, by patient id; a patient with no scores and no Tasks is left out.
    /// Null when the user's role may not read observations or tasks at all (a ward clerk): the board
    /// then shows no NEWS2 columns rather than empty ones.
    /// </summary>
    public static async Task<Dictionary<string, BoardStatus>?> StatusesAsync(FhirRestService fhir, IFhirAccess access, IReadOnlyList<string> patientIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(fhir, access, patientIds, now, cancellationToken);
        }
        catch (FhirException e) when (e.Status == 403)
        {
            return null;
        }
    }

    private static async Task<Dictionary<string, BoardStatus>> ReadAsync(FhirRestService fhir, IFhirAccess access, IReadOnlyList<string> patientIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (patientIds.Count == 0)
        {
            return [];
        }

        var count = MaximumScores.ToString(CultureInfo.InvariantCulture);
        var since = (now - ScoreWindow).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var scores = BySubject((await PatientReads.SearchAsync(fhir, access, "Observation",
        [
            new("subject", References(patientIds)), new("code", ScoreCode), new("date", "ge" + since), new("_sort", "-date"), new("_count", count), new("_total", "none"),
        ], cancellationToken)).Of<Observation>(), o => o.Subject);

        var older = patientIds.Where(id => !scores.ContainsKey(id)).ToList();
        if (older.Count > 0)
        {
            // Patients with no score this week: their latest ever, if any (rare, and one search for all of them).
            foreach (var (id, found) in BySubject((await PatientReads.SearchAsync(fhir, access, "Observation",
            [
                new("subject", References(older)), new("code", ScoreCode), new("_sort", "-date"), new("_count", count), new("_total", "none"),
            ], cancellationToken)).Of<Observation>(), o => o.Subject))
            {
                scores[id] = found;
            }
        }

        var tasks = BySubject((await PatientReads.SearchAsync(fhir, access, "Task",
        [
            new("patient", References(patientIds)), new("code", TaskCodes), new("status", OpenStatuses), new("_count", "500"), new("_total", "none"),
        ], cancellationToken)).Of<Hl7.Fhir.Model.Task>(), t => t.For);

        return patientIds
            .Where(id => scores.ContainsKey(id) || tasks.ContainsKey(id))
            .ToDictionary(id => id, id => WardBoard.For(scores.GetValueOrDefault(id, []), tasks.GetValueOrDefault(id, [])));
    }

    private static string References(IEnumerable<string> patientIds) => string.Join(',', patientIds.Select(id => $"Patient/{id}"));

    private static Dictionary<string, List<T>> BySubject<T>(IEnumerable<T> resources, Func<T, ResourceReference?> subject) =>
        resources
            .Select(r => (Resource: r, Reference: subject(r)?.Reference))
            .Where(r => r.Reference?.StartsWith("Patient/", StringComparison.Ordinal) == true)
            .GroupBy(r => r.Reference!["Patient/".Length..], r => r.Resource)
            .ToDictionary(g => g.Key, g => g.ToList());
}

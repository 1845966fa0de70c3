using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Medicines;
using OpenWard.Web.Security;

namespace OpenWard.Web.CdsHooks;

/// <summary>
/// What the <c>patient-view</c> service knows about a patient: the NEWS2 score Observations and the
/// open deterioration Tasks (escalations, sepsis screens), and why any of them could not be read.
/// </summary>
/// <param name="Scores">NEWS2 total Observations (OpenWard's own and any others; the cards use only OpenWard's).</param>
/// <param name="Tasks">The patient's Tasks (the cards use the open escalations and sepsis screens).</param>
/// <param name="NotRead">Why each kind of record that was needed could not be read; empty when everything was.</param>
public sealed record PatientView(string PatientId, IReadOnlyList<Observation> Scores, IReadOnlyList<Hl7.Fhir.Model.Task> Tasks, IReadOnlyList<string> NotRead, DateTimeOffset Now);

/// <summary>
/// Reads a <see cref="PatientView"/>: from the CDS Hooks prefetch where the client sent it (by the
/// declared key, or any key holding that resource type; a key sent as null counts as absent), otherwise
/// from OpenWard's record with the caller's access, as <see cref="MedicationRecord"/> does. What the caller
/// may not read gives a reason, so the answer says it did not check rather than nothing to say.
/// </summary>
public sealed class PatientViewRecord(FhirRestService fhir, AccessGate gate, ParsedResources parsed, TimeProvider time)
{
    public const string PatientKey = "patient";
    public const string ScoresKey = "news2";
    public const string TasksKey = "tasks";

    /// <summary>Most scores and Tasks read; the newest scores come first, and only the latest counts.</summary>
    public const int Limit = 50;

    private const string OpenTaskStatuses = "requested,received,ready,accepted,in-progress,on-hold";

    private static readonly string TaskCodes = $"{EscalationTasks.CodeSystem}|{EscalationTasks.EscalationCode},{EscalationTasks.CodeSystem}|{EscalationTasks.SepsisScreenCode}";

    /// <summary>The prefetch templates the service declares.</summary>
    public static readonly IReadOnlyList<(string Key, string Template)> PrefetchTemplates =
    [
        (PatientKey, "Patient/{{context.patientId}}"),
        (ScoresKey, $"Observation?patient={{{{context.patientId}}}}&code={VitalSigns.Snomed}|{VitalSigns.News2TotalCode}&_sort=-date&_count={Limit}"),
        (TasksKey, $"Task?patient={{{{context.patientId}}}}&code={TaskCodes}&status={OpenTaskStatuses}&_count={Limit}"),
    ];

    private const string NoAccess = "could not be read with your access (a care relationship or break-glass gives it)";

    public async Task<PatientView> ReadAsync(RequestAccess access, string patientId, IReadOnlyDictionary<string, IReadOnlyList<Resource>> prefetch, CancellationToken cancellationToken)
    {
        var prefetched = Prefetched(patientId, prefetch);
        var notRead = new List<string>();
        var scoresSent = prefetch.ContainsKey(ScoresKey) || prefetched.OfType<Observation>().Any();
        var tasksSent = prefetch.ContainsKey(TasksKey) || prefetched.OfType<Hl7.Fhir.Model.Task>().Any();

        async Task<bool> MayReadAsync(string resourceType, string what)
        {
            if (access.SeesEverything
                || (await gate.DecideForRecordAsync(access.Principal, patientId, DataCategories.Of(resourceType), FhirAction.Read, cancellationToken)).Policy.Decision == AccessDecision.Allow)
            {
                return true;
            }

            notRead.Add($"{what} of Patient/{patientId} {NoAccess}");
            return false;
        }

        // Whether the patient is here at all: an unknown id must not read as a patient with nothing to worry about.
        if ((!scoresSent || !tasksSent) && !prefetched.OfType<Patient>().Any() && !prefetch.ContainsKey(PatientKey)
            && (access.SeesEverything || (await gate.DecideForRecordAsync(access.Principal, patientId, DataCategories.Of("Patient"), FhirAction.Read, cancellationToken)).Policy.Decision == AccessDecision.Allow))
        {
            try
            {
                await fhir.ReadAsync(access, "Patient", patientId, cancellationToken);
            }
            catch (FhirException e) when (e.Status is 404 or 410)
            {
                notRead.Add($"Patient/{patientId} is not in OpenWard's record, so its NEWS2 scores and Tasks could not be read (send the prefetch, or the patient's OpenWard id)");
                return new PatientView(patientId, [.. prefetched.OfType<Observation>()], [.. prefetched.OfType<Hl7.Fhir.Model.Task>()], notRead, time.GetUtcNow());
            }
            catch (FhirException e) when (e.Status == 403)
            {
                // The searches below say what this caller may not read.
            }
        }

        var scores = scoresSent
            ? [.. prefetched.OfType<Observation>()]
            : await SearchAsync<Observation>(access, "Observation", [new("patient", patientId), new("code", $"{VitalSigns.Snomed}|{VitalSigns.News2TotalCode}"), new("_sort", "-date")], "the NEWS2 scores", patientId, MayReadAsync, notRead, cancellationToken);
        var tasks = tasksSent
            ? [.. prefetched.OfType<Hl7.Fhir.Model.Task>()]
            : await SearchAsync<Hl7.Fhir.Model.Task>(access, "Task", [new("patient", patientId), new("code", TaskCodes), new("status", OpenTaskStatuses)], "the open Tasks", patientId, MayReadAsync, notRead, cancellationToken);
        return new PatientView(patientId, scores, tasks, notRead, time.GetUtcNow());
    }

    /// <summary>
    /// The patient is in another system's record (CDS Hooks fhirServer): OpenWard can only read its own
    /// record, so only the prefetch is used and everything else is reported as not read.
    /// </summary>
    public PatientView Elsewhere(Uri fhirServer, string patientId, IReadOnlyDictionary<string, IReadOnlyList<Resource>> prefetch)
    {
        var prefetched = Prefetched(patientId, prefetch);
        var notRead = new List<string>();
        if (!prefetch.ContainsKey(ScoresKey) && !prefetched.OfType<Observation>().Any())
            notRead.Add($"the NEWS2 scores are in {fhirServer}, and OpenWard can only read its own record: send them as prefetch '{ScoresKey}' (only scores OpenWard calculated are used)");
        if (!prefetch.ContainsKey(TasksKey) && !prefetched.OfType<Hl7.Fhir.Model.Task>().Any())
            notRead.Add($"the open Tasks are in {fhirServer}, and OpenWard can only read its own record: send them as prefetch '{TasksKey}'");
        return new PatientView(patientId, [.. prefetched.OfType<Observation>()], [.. prefetched.OfType<Hl7.Fhir.Model.Task>()], notRead, time.GetUtcNow());
    }

    /// <summary>Every prefetched resource that is about this patient (one naming another patient is left out).</summary>
    private static List<Resource> Prefetched(string patientId, IReadOnlyDictionary<string, IReadOnlyList<Resource>> prefetch) =>
        [.. prefetch.Values.SelectMany(r => r).Where(r => r switch
        {
            Patient p => p.Id is null || p.Id == patientId,
            Observation o => IsPatient(o.Subject, patientId),
            Hl7.Fhir.Model.Task t => IsPatient(t.For, patientId),
            _ => false,
        })];

    private static bool IsPatient(ResourceReference? reference, string patientId) =>
        reference?.Reference is not { } target
        || target == $"Patient/{patientId}"
        || target.EndsWith($"/Patient/{patientId}", StringComparison.Ordinal);

    private async Task<List<T>> SearchAsync<T>(RequestAccess access, string resourceType, List<KeyValuePair<string, string>> criteria, string what, string patientId, Func<string, string, Task<bool>> mayRead, List<string> notRead, CancellationToken cancellationToken)
        where T : Resource
    {
        if (!await mayRead(resourceType, what))
            return [];
        try
        {
            var response = await fhir.SearchAsync(access, resourceType, [.. criteria, new("_count", Limit.ToString(CultureInfo.InvariantCulture)), new("_total", "none")], lenient: false, null, cancellationToken);
            return [.. response.Bundle!.Entries
                .Where(e => e.SearchMode == Bundle.SearchEntryMode.Match && e.Stored?.Json is not null)
                .Select(e => parsed.Get(e.Stored!))
                .OfType<T>()];
        }
        catch (FhirException e) when (e.Status == 403)
        {
            notRead.Add($"{what} of Patient/{patientId} {NoAccess} ({e.Message})");
            return [];
        }
    }
}

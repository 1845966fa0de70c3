using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Storage;

namespace OpenWard.Clinical.Observations;

/// <summary>Who must respond to a deteriorating patient, lowest first; a level not reached in time escalates to the next.</summary>
public enum EscalationLevel
{
    WardMedicalTeam = 1,
    UrgentResponse = 2,
    EmergencyResponse = 3,
    Consultant = 4,
}

/// <summary>One step of the escalation ladder: who responds, how urgently, and within how long.</summary>
public sealed record EscalationStep(EscalationLevel Level, string Code, string Responder, Hl7.Fhir.Model.RequestPriority Priority, TimeSpan RespondWithin, string Action);

/// <summary>
/// The escalation ladder. Who responds and what they do follow RCP NEWS2 (2017) chart 4: a red score
/// (3 in one parameter) → the medical team caring for the patient reviews; 5–6 → urgent response by
/// a clinician competent in acute illness; 7 or more → emergency response by a team with critical
/// care competencies, at least specialist registrar. The default response times and the fourth
/// step (the consultant, when the emergency response does not come) are ILLUSTRATIVE: NEWS2 says
/// "urgent" and "emergency", not minutes. A trust sets its own times (<c>OpenWard:Escalation:RespondWithin:&lt;step code&gt;</c>).
/// </summary>
public sealed class EscalationPolicy
{
    public static readonly IReadOnlyList<EscalationStep> DefaultSteps =
    [
        new(EscalationLevel.WardMedicalTeam, "ward-medical-team", "Medical team caring for the patient", Hl7.Fhir.Model.RequestPriority.Urgent, TimeSpan.FromMinutes(60),
            "Registered nurse to inform the medical team caring for the patient, who will review and decide whether escalation of care is necessary. Observations at least hourly."),
        new(EscalationLevel.UrgentResponse, "urgent-response", "Clinician or team competent in the care of acutely ill patients", Hl7.Fhir.Model.RequestPriority.Asap, TimeSpan.FromMinutes(30),
            "Registered nurse to inform the medical team immediately; urgent assessment by a clinician or team with core competencies in acute illness; care in an environment with monitoring. Observations at least hourly."),
        new(EscalationLevel.EmergencyResponse, "emergency-response", "Critical care outreach and medical team (at least specialist registrar)", Hl7.Fhir.Model.RequestPriority.Stat, TimeSpan.FromMinutes(15),
            "Registered nurse to inform the medical team immediately (at least specialist registrar); emergency assessment by a team with critical care competencies, including advanced airway skills; consider transfer to level 2 or 3 care. Continuous monitoring."),
        new(EscalationLevel.Consultant, "consultant", "Consultant responsible for the patient", Hl7.Fhir.Model.RequestPriority.Stat, TimeSpan.FromMinutes(15),
            "The emergency response has not come: the consultant responsible is called."),
    ];

    public static readonly EscalationPolicy Default = new(null);

    /// <param name="respondWithin">A trust's response times by step code; steps it does not name keep the default.</param>
    /// <exception cref="ArgumentException">A step code that does not exist, or a time not above zero.</exception>
    public EscalationPolicy(IReadOnlyDictionary<string, TimeSpan>? respondWithin)
    {
        foreach (var (code, within) in respondWithin ?? new Dictionary<string, TimeSpan>())
        {
            if (!DefaultSteps.Any(s => s.Code == code))
                throw new ArgumentException($"There is no escalation step '{code}' (the steps are {string.Join(", ", DefaultSteps.Select(s => s.Code))}).", nameof(respondWithin));
            if (within <= TimeSpan.Zero)
                throw new ArgumentException($"The response time of escalation step '{code}' must be more than zero (it is {within}).", nameof(respondWithin));
        }

        Steps = [.. DefaultSteps.Select(s => respondWithin?.TryGetValue(s.Code, out var within) == true ? s with { RespondWithin = within } : s)];
    }

    public IReadOnlyList<EscalationStep> Steps { get; }

    /// <summary>The first step a response band calls for; null when it calls for none beyond the nurse.</summary>
    public EscalationStep? For(News2Response response) => response switch
    {
        News2Response.High => Step(EscalationLevel.EmergencyResponse),
        News2Response.Medium => Step(EscalationLevel.UrgentResponse),
        News2Response.LowMedium => Step(EscalationLevel.WardMedicalTeam),
        _ => null,
    };

    public EscalationStep Step(EscalationLevel level) => Steps.First(s => s.Level == level);

    /// <summary>The step after <paramref name="level"/>; null at the top of the ladder.</summary>
    public EscalationStep? After(EscalationLevel level) => Steps.FirstOrDefault(s => s.Level > level);
}

/// <summary>
/// The FHIR Task that asks a responder to see a deteriorating patient: <c>for</c> the patient,
/// <c>focus</c> the NEWS2 score, due (<c>restriction.period.end</c>) by the step's response time.
/// Open (requested) until a responder accepts it or starts work on it; a job due at that time
/// escalates it to the next step if it is still only requested then.
/// </summary>
public static class EscalationTasks
{
    public const string CodeSystem = "https://fhir.openward.example/CodeSystem/deterioration-task";
    public const string EscalationCode = "news2-escalation";

    /// <summary>The Task that prompts a sepsis screen (NICE NG51) for an adult with suspected infection and a raised score.</summary>
    public const string SepsisScreenCode = "sepsis-screen";
    public const string LevelSystem = "https://fhir.openward.example/CodeSystem/escalation-level";

    /// <summary>The job kind that escalates an unanswered Task when it is due.</summary>
    public const string JobKind = "news2-escalation";

    /// <summary>Task statuses that mean nobody has responded yet.</summary>
    public static bool AwaitingResponse(Hl7.Fhir.Model.Task task) =>
        task.Status is Hl7.Fhir.Model.Task.TaskStatus.Requested or Hl7.Fhir.Model.Task.TaskStatus.Received or Hl7.Fhir.Model.Task.TaskStatus.Ready;

    /// <summary>Task statuses of a Task still being dealt with (responded to or not).</summary>
    public static bool IsOpen(Hl7.Fhir.Model.Task task) =>
        AwaitingResponse(task) || task.Status is Hl7.Fhir.Model.Task.TaskStatus.Accepted or Hl7.Fhir.Model.Task.TaskStatus.InProgress or Hl7.Fhir.Model.Task.TaskStatus.OnHold;

    public static bool IsEscalation(Hl7.Fhir.Model.Task task) => task.Code?.Coding.Any(c => c.System == CodeSystem && c.Code == EscalationCode) == true;

    public static EscalationLevel? Level(Hl7.Fhir.Model.Task task) =>
        task.PerformerType.SelectMany(p => p.Coding).Where(c => c.System == LevelSystem).Select(c => EscalationPolicy.DefaultSteps.FirstOrDefault(s => s.Code == c.Code)?.Level).FirstOrDefault(l => l is not null);

    public static DateTimeOffset? Due(Hl7.Fhir.Model.Task task) =>
        task.Restriction?.Period?.End is { } end && new FhirDateTime(end).TryToDateTimeOffset(out var due) ? due : null;

    /// <summary>The id of the escalation for a set's score: one per set, raised in place as the set is completed.</summary>
    public static string IdFor(string scoreId) => "esc-" + scoreId;

    /// <summary>A new escalation for a score.</summary>
    public static Hl7.Fhir.Model.Task Create(News2Set set, EscalationStep step, DateTimeOffset now)
    {
        var result = set.Result;
        var task = new Hl7.Fhir.Model.Task
        {
            Id = IdFor(News2Set.ScoreId(set.PatientId, set.When)),
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
            Code = new CodeableConcept(CodeSystem, EscalationCode, "Respond to a raised NEWS2 score"),
            For = new ResourceReference($"Patient/{set.PatientId}"),
            Focus = new ResourceReference(set.ScoreReference),
            ReasonReference = new ResourceReference(set.ScoreReference),
            AuthoredOn = now.ToString("o", CultureInfo.InvariantCulture),
            Description = $"NEWS2 {result.Total}{(result.IsComplete ? "" : " (incomplete set)")}: {News2Set.Interpretation(result).Coding[0].Display}.",
        };
        Apply(task, step, now);
        return task;
    }

    /// <summary>Puts the Task at <paramref name="step"/>, due from <paramref name="now"/>; what happened is in its note.</summary>
    public static void Apply(Hl7.Fhir.Model.Task task, EscalationStep step, DateTimeOffset now)
    {
        task.Priority = step.Priority;
        task.PerformerType = [new CodeableConcept(LevelSystem, step.Code, step.Responder, step.Responder)];
        task.Restriction = new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { Start = now.ToString("o", CultureInfo.InvariantCulture), End = (now + step.RespondWithin).ToString("o", CultureInfo.InvariantCulture) } };
        task.LastModified = now.ToString("o", CultureInfo.InvariantCulture);
        task.Note.Add(new Annotation { Time = now.ToString("o", CultureInfo.InvariantCulture), Text = $"{step.Responder}: respond within {step.RespondWithin.TotalMinutes:0} minutes. {step.Action}" });
    }

    /// <summary>The job that escalates <paramref name="task"/> if it is still unanswered at its due time.</summary>
    public static JobRequest DueJob(Hl7.Fhir.Model.Task task, DateTimeOffset now) =>
        new(JobKind, JsonSerializer.Serialize(new EscalationDue(task.Id!, (int)Level(task)!.Value)), now) { DueAt = Due(task) };

    /// <summary>What a due job carries: the Task, and the level it was at when the job was set (a job for a level since passed does nothing).</summary>
    public sealed record EscalationDue(string Task, int Level)
    {
        public static EscalationDue? Parse(string payload) => JsonSerializer.Deserialize<EscalationDue>(payload);
    }
}

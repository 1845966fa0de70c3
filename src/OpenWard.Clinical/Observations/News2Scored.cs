using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Observations;

/// <summary>
/// Every NEWS2 input Observation written, by any path (the observations page, the FHIR API, a
/// transaction Bundle from a monitor, PATCH, a delete), rescores its set (<see cref="News2Set"/>:
/// the patient's inputs at the same effective time) inside the write, so the score is there as soon
/// as the write returns. A sender's own NEWS2 total is kept as sent, compared, and tagged when it
/// disagrees. When the set is the patient's latest and its response band calls for it, an
/// escalation Task is raised with a job that escalates it if nobody responds in time
/// (<see cref="EscalationPolicy"/>). Never refuses. Bulk import of history does not run it (no
/// escalation for last year's observations) and tags what it loads.
/// </summary>
public sealed class News2Scored(TimeProvider time, EscalationPolicy escalation) : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "NEWS2_SCORED",
        "A deteriorating patient's observations are stored without a score, or with a sender's wrong score trusted, and nobody is asked to respond.",
        "RCP NEWS2 (2017) charts 1, 3 and 4; UK Core UKCore-Bundle-NEWS2Observations-Example; issue #19",
        422);

    private const int SetLimit = 200;

    /// <summary>SpO2 codes a scale 2 target (Goal.target.measure) may name.</summary>
    private static readonly HashSet<string> SaturationMeasures = ["2708-6", "59408-5", "103228002", "431314004"];

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string> { "Observation" };

    public bool RunsOnImport => false;

    public bool Concerns(Resource resource) => resource is Observation o && (VitalSigns.IsInput(o) || VitalSigns.IsNews2Total(o) || SepsisScreen.IsSuspectedInfection(o));

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        var written = write.After as Observation;
        if (written is not null && News2Set.IsOwnScore(written))
        {
            // OpenWard's score written through the write path (a merge moving it, a client copying it):
            // whatever it says is replaced by the score of its set as the record now holds it, so nobody
            // can put a number of their own under OpenWard's name.
            if (write.PatientId is { } owner && News2Set.EffectiveTime(written) is { } at)
                await RescoreInPlaceAsync(write, written, owner, at, context, cancellationToken);
            return;
        }

        var observation = written ?? write.Before as Observation;
        if (observation is null || write.PatientId is not { } patientId || !Concerns(observation))
            return;

        // A set changes when an input joins it, or leaves it (a new time, a delete, entered in error).
        // It is scored once, after the transaction's last write: a set sent entry by entry in one
        // Bundle is scored whole, not seven times as it grows.
        var times = new HashSet<DateTimeOffset>();
        if (written is not null && News2Set.EffectiveTime(written) is { } now)
            times.Add(now);
        if (write.Before is Observation before && News2Set.EffectiveTime(before) is { } then && write.BeforePatientId == patientId)
            times.Add(then);
        foreach (var when in times)
            context.DeferUntilCommit($"news2:{patientId}:{when.UtcTicks.ToString(CultureInfo.InvariantCulture)}", (deferred, ct) => ScoreAsync(patientId, when, deferred, ct));
    }

    private async System.Threading.Tasks.Task RescoreInPlaceAsync(ProposedWrite write, Observation written, string patientId, DateTimeOffset when, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        var stored = await context.FindAsync("Observation", [new("subject", $"Patient/{patientId}"), new("date", "eq" + Format(when))], SetLimit, cancellationToken);
        var set = News2Set.Of(patientId, when, stored.OfType<Observation>().Where(o => o.Id != write.Id), await Scale2Async(patientId, when, context, cancellationToken));
        if (set.Inputs.Count == 0)
            return;
        var fresh = set.ScoreObservation(time.GetUtcNow());
        fresh.Id = written.Id;
        fresh.CopyTo(written);
        context.MarkWriteAmended();
    }

    /// <summary>Scores the patient's set at <paramref name="when"/> as the transaction now holds it (its own writes included).</summary>
    private async System.Threading.Tasks.Task ScoreAsync(string patientId, DateTimeOffset when, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        // Two writers of one set (a monitor and a nurse) take turns, so neither scores without the other's values.
        await context.LockAsync($"news2:{patientId}:{when.UtcTicks.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
        var patient = $"Patient/{patientId}";
        var members = (await context.FindAsync("Observation", [new("subject", patient), new("date", "eq" + Format(when))], SetLimit, cancellationToken)).OfType<Observation>().ToList();
        var set = News2Set.Of(patientId, when, members, await Scale2Async(patientId, when, context, cancellationToken));
        if (set.Inputs.Count == 0)
            return;

        var now = time.GetUtcNow();
        var age = SepsisScreen.AgeAt(await context.ReadAsync("Patient", patientId, cancellationToken) as Patient, when);
        var score = set.ScoreObservation(now);
        if (age < SepsisScreen.AdultAge)
            score.Note.Add(new Annotation { Text = $"The patient was {age} at the time of this set: NEWS2 is not validated for under-16s (RCP 2017). Use the paediatric early warning score and clinical judgement." });
        context.WriteAlongside(score);
        foreach (var sent in set.SenderScores)
        {
            if (set.Flag(sent))
                context.WriteAlongside(sent);
        }

        var infectionSuspected = members.Any(m => SepsisScreen.IsSuspectedInfection(m) && News2Set.EffectiveTime(m) == when && m.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled));
        var step = escalation.For(set.Result.Response);
        if (step is null && !SepsisScreen.Prompted(set.Result, infectionSuspected))
            return;

        // A set entered late, with a later score already on record, does not raise an alarm about the past.
        var later = await context.FindAsync("Observation", [new("subject", patient), new("code", $"{VitalSigns.Snomed}|{VitalSigns.News2TotalCode}"), new("date", "gt" + Format(set.When))], 10, cancellationToken);
        if (later.Any(News2Set.IsOwnScore))
            return;

        if (step is not null)
            await EscalateAsync(set, step, patient, context, now, cancellationToken);
        if (SepsisScreen.Prompted(set.Result, infectionSuspected) && !(age < SepsisScreen.AdultAge))
            await PromptSepsisScreenAsync(set, age, patient, context, now, cancellationToken);
    }

    /// <summary>
    /// Prompts the sepsis screen (a Task) for an adult who is not pregnant, unless one is already
    /// open for the patient. An unknown age is screened as an adult: a missed screen costs more than
    /// an unneeded one.
    /// </summary>
    private static async System.Threading.Tasks.Task PromptSepsisScreenAsync(News2Set set, int? age, string patient, IWriteRuleContext context, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var pregnancy = await context.FindAsync("Observation", [new("subject", patient), new("code", $"{VitalSigns.Loinc}|{SepsisScreen.PregnancyStatusLoinc}")], 20, cancellationToken);
        if (SepsisScreen.IsPregnant(pregnancy.OfType<Observation>()))
            return;
        var open = (await context.FindAsync("Task", [new("patient", patient), new("code", $"{EscalationTasks.CodeSystem}|{EscalationTasks.SepsisScreenCode}")], 50, cancellationToken))
            .OfType<Hl7.Fhir.Model.Task>().Where(EscalationTasks.IsOpen).ToList();
        var ownId = SepsisScreen.IdFor(News2Set.ScoreId(set.PatientId, set.When));
        if (open.Any(t => t.Id != ownId))
            return;

        var prompt = SepsisScreen.Prompt(set, age, now);
        if (open.FirstOrDefault(t => t.Id == ownId) is { } own)
        {
            // The set was completed and scores higher: the screen becomes more urgent, never less.
            if (!EscalationTasks.AwaitingResponse(own) || EscalationTasks.Due(own) <= EscalationTasks.Due(prompt))
                return;
            prompt.AuthoredOn = own.AuthoredOn;
        }

        context.WriteAlongside(prompt);
    }

    private async System.Threading.Tasks.Task EscalateAsync(News2Set set, EscalationStep step, string patient, IWriteRuleContext context, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ownId = EscalationTasks.IdFor(News2Set.ScoreId(set.PatientId, set.When));
        var open = (await context.FindAsync("Task", [new("patient", patient), new("code", $"{EscalationTasks.CodeSystem}|{EscalationTasks.EscalationCode}")], 50, cancellationToken))
            .OfType<Hl7.Fhir.Model.Task>().Where(EscalationTasks.IsOpen).ToList();
        // Someone is already asked to respond at this level or above: no second alarm for the same deterioration.
        if (open.Any(t => t.Id != ownId && EscalationTasks.Level(t) >= step.Level))
            return;

        var own = open.FirstOrDefault(t => t.Id == ownId);
        if (own is not null && EscalationTasks.Level(own) >= step.Level)
            return;

        Hl7.Fhir.Model.Task task;
        if (own is null)
        {
            task = EscalationTasks.Create(set, step, now);
        }
        else
        {
            // The set was completed and scores higher than when the Task was raised: raise it in place.
            task = own;
            task.Description = EscalationTasks.Create(set, step, now).Description;
            EscalationTasks.Apply(task, step, now);
        }

        context.WriteAlongside(task);
        await context.EnqueueJobAsync(EscalationTasks.DueJob(task, now), cancellationToken);

        // A lower escalation nobody has answered is superseded, so that its own timer does not raise a second alarm.
        foreach (var lower in open.Where(t => t.Id != task.Id && EscalationTasks.AwaitingResponse(t)))
        {
            lower.Status = Hl7.Fhir.Model.Task.TaskStatus.Cancelled;
            lower.BusinessStatus = new CodeableConcept { Text = $"Superseded by a higher escalation (Task/{task.Id})" };
            lower.LastModified = now.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
            context.WriteAlongside(lower);
        }
    }

    /// <summary>
    /// Whether SpO2 scale 2 is in force for the patient at <paramref name="when"/>: an active Goal
    /// targeting SpO2 88–92%, recorded by a clinician (expressedBy a Practitioner or PractitionerRole)
    /// and started by then. Anything less, and scale 1 is used (RCP NEWS2 2017: scale 2 only for
    /// patients with hypercapnic respiratory failure, on a clinician's decision, recorded).
    /// </summary>
    private static async Task<bool> Scale2Async(string patientId, DateTimeOffset when, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        var goals = await context.FindAsync("Goal", [new("patient", $"Patient/{patientId}")], 50, cancellationToken);
        return goals.OfType<Goal>().Any(goal => IsScale2Prescription(goal, when));
    }

    public static bool IsScale2Prescription(Goal goal, DateTimeOffset at) =>
        goal.LifecycleStatus is Goal.GoalLifecycleStatus.Active or Goal.GoalLifecycleStatus.Accepted
        && goal.ExpressedBy?.Reference is { } by && (by.StartsWith("Practitioner/", StringComparison.Ordinal) || by.StartsWith("PractitionerRole/", StringComparison.Ordinal))
        && (goal.Start is not Date start || !start.TryToDateTimeOffset(out var from) || from <= at)
        && goal.Target.Any(t =>
            t.Measure?.Coding.Any(c => c.Code is not null && SaturationMeasures.Contains(c.Code)) == true
            && t.Detail is Hl7.Fhir.Model.Range { Low.Value: 88, High.Value: 92 });

    private static string Format(DateTimeOffset when) => when.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
}

using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Observations;

/// <summary>
/// Every write of a sepsis screen Task, by any path, brings its tracking up to date
/// (<see cref="SepsisScreen.Track"/>): when sepsis is judged likely the Task becomes due when the
/// first antibiotics are, and when they are given the time from the decision is recorded against
/// the target. Never refuses.
/// </summary>
public sealed class SepsisScreenTracked : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "SEPSIS_SCREEN_TRACKED",
        "Time to antibiotics after a decision that sepsis is likely goes unmeasured, and a late dose goes unnoticed.",
        "NICE NG51 (2024) 1.11.5; Academy of Medical Royal Colleges, statement on the initial antimicrobial treatment of sepsis (2022); issue #19",
        422);

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string> { "Task" };

    public bool RunsOnImport => false;

    public bool Concerns(Hl7.Fhir.Model.Resource resource) => resource is Hl7.Fhir.Model.Task task && IsSepsisScreen(task);

    public ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is Hl7.Fhir.Model.Task task && IsSepsisScreen(task))
        {
            if (SepsisScreen.Track(task))
                context.MarkWriteAmended();
        }

        return ValueTask.CompletedTask;
    }

    private static bool IsSepsisScreen(Hl7.Fhir.Model.Task task) =>
        task.Code?.Coding.Any(c => c.System == EscalationTasks.CodeSystem && c.Code == EscalationTasks.SepsisScreenCode) == true;
}

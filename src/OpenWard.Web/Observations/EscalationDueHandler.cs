using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Web.Hosting;
using OpenWard.Web.Security;

namespace OpenWard.Web.Observations;

/// <summary>
/// The <c>news2-escalation</c> job, set when an escalation Task is raised, due when its responder
/// should have responded. If the Task is still only requested at the level the job was set for, it
/// is raised to the next step of the trust's <see cref="EscalationPolicy"/> (a new version of the same Task,
/// its note saying why) and the next step's job is set, in the transaction that marks this job
/// done: an escalation fires exactly once, also after a restart. A Task accepted, started, completed
/// or already escalated makes the job do nothing.
/// </summary>
public sealed class EscalationDueHandler(IResourceStore store, IJobQueue queue, AccessGate gate, AuditTrail audit, FhirRestService fhir, EscalationPolicy policy, TimeProvider time) : IJobHandler
{
    public string Kind => EscalationTasks.JobKind;

    public async System.Threading.Tasks.Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var due = EscalationTasks.EscalationDue.Parse(job.Payload)
            ?? throw new InvalidOperationException($"The payload of job {job.Id} names no escalation Task.");
        if (await store.ReadAsync("Task", due.Task, cancellationToken) is not { IsDeleted: false, Json: { } json } stored
            || FhirSerialization.ParseJson(json) is not Hl7.Fhir.Model.Task task
            || !EscalationTasks.AwaitingResponse(task)
            || EscalationTasks.Level(task) is not { } level || (int)level != due.Level
            || policy.After(level) is not { } next)
        {
            return; // answered, already raised, or at the top of the ladder: the runner marks the job done
        }

        var now = time.GetUtcNow();
        var was = policy.Step(level);
        task.BusinessStatus = new CodeableConcept { Text = $"Escalated: {was.Responder} had not responded by {EscalationTasks.Due(task):HH:mm} UTC" };
        EscalationTasks.Apply(task, next, now);
        var system = new RequestAccess(Principal.SystemClient("openward"), null, null, gate, audit, time, new RequestDescription(AuditInteraction.Update, AuditAction.Update, null));
        // If-Match: a responder who accepts at this very moment wins; this run fails, and the retry finds the Task answered.
        await fhir.UpdateAsync(new JobCompletingAccess(system, queue, job, now, EscalationTasks.DueJob(task, now)), "Task", task.Id!, task, $"W/\"{stored.VersionId}\"", cancellationToken);
        await system.RecordSuccessAsync(cancellationToken);
    }
}

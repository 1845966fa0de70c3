using System.Text.Json;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Security;

/// <summary>
/// The <c>break-glass-notify</c> job, enqueued with each break-glass grant: finds the patient's
/// responsible clinicians (the practitioners of their current encounters and the care managers of
/// their active episodes of care) and tells them in a FHIR Communication, written by OpenWard
/// itself through the same gate and audit as any other write, in the transaction that marks the
/// job done, so it is sent exactly once however often the job is claimed. With nobody to tell, the
/// job is simply done. The payload names only the grant.
/// </summary>
public sealed class BreakGlassNotifications(
    BreakGlassLedger ledger,
    StaffDirectory staff,
    IJobQueue queue,
    AccessGate gate,
    AuditTrail audit,
    FhirRestService fhir,
    IResourceStore store,
    SearchQueryParser parser,
    TimeProvider time) : IJobHandler
{
    public const string JobKind = "break-glass-notify";

    public string Kind => JobKind;

    /// <summary>The job to enqueue in the grant's transaction.</summary>
    public static JobRequest Request(BreakGlassGrant grant) =>
        new(JobKind, JsonSerializer.Serialize(new Payload(grant.GrantId)), grant.GrantedAt) { MaxAttempts = 10 };

    public async System.Threading.Tasks.Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var grantId = JsonSerializer.Deserialize<Payload>(job.Payload)?.GrantId
            ?? throw new InvalidOperationException($"The payload of job {job.Id} names no break-glass grant.");
        var grant = await ledger.FindAsync(grantId, cancellationToken)
            ?? throw new InvalidOperationException($"Break-glass grant {grantId} is not in the ledger.");
        var account = await staff.FindAsync(grant.UserName, cancellationToken);
        var clinicians = await ResponsibleCliniciansAsync(grant.PatientId, account?.PractitionerId, cancellationToken);
        if (clinicians.Count == 0)
        {
            return; // nobody to tell: the runner marks the job done
        }

        var now = time.GetUtcNow();
        var name = account?.DisplayName ?? grant.UserName;
        var communication = new Communication
        {
            Status = EventStatus.Completed,
            // https://terminology.hl7.org/CodeSystem-communication-category.html
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/communication-category", "notification", "Notification")],
            Priority = RequestPriority.Urgent,
            Subject = new ResourceReference($"Patient/{grant.PatientId}"),
            Recipient = [.. clinicians.Select(c => new ResourceReference(c))],
            Sender = account?.PractitionerId is null ? new ResourceReference { Display = name } : new ResourceReference($"Practitioner/{account.PractitionerId}", name),
            Sent = now.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            Payload = [new Communication.PayloadComponent { Content = new FhirString($"{name} used break-glass to open this patient's record. Reason: {BreakGlassService.Describe(grant)}.") }],
        };
        var system = new RequestAccess(Principal.SystemClient("openward"), null, null, gate, audit, time, new RequestDescription(AuditInteraction.Create, AuditAction.Create, null));
        await fhir.CreateAsync(new JobCompletingAccess(system, queue, job, now), "Communication", communication, null, cancellationToken);
        await system.RecordSuccessAsync(cancellationToken);
    }

    /// <summary>Practitioners caring for the patient now, except the one who broke the glass.</summary>
    private async Task<List<string>> ResponsibleCliniciansAsync(string patientId, string? brokeGlass, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var (type, query) in new (string, KeyValuePair<string, string>[])[]
        {
            ("Encounter", [new("patient", patientId), new("status", EncounterStates.CurrentSearchValue)]),
            ("EpisodeOfCare", [new("patient", patientId), new("status", "active")]),
        })
        {
            var search = parser.Parse(type, query, lenient: false);
            foreach (var match in (await store.SearchAsync(search, cancellationToken)).Matches)
            {
                var resource = FhirSerialization.ParseJson(match.Json!);
                var references = resource switch
                {
                    Encounter encounter => encounter.Participant.Select(p => p.Individual?.Reference),
                    EpisodeOfCare episode => [episode.CareManager?.Reference],
                    _ => [],
                };
                found.AddRange(references.OfType<string>().Where(r => r.StartsWith("Practitioner/", StringComparison.Ordinal)));
            }
        }

        return found.Distinct(StringComparer.Ordinal).Where(r => r != $"Practitioner/{brokeGlass}").ToList();
    }

    private sealed record Payload(string GrantId);
}

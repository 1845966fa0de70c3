using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage;
using OpenWard.Storage.Security;

namespace OpenWard.Web.Security;

/// <summary>
/// Whether a member of staff has a legitimate relationship with a patient, found in the record
/// itself: the patient is on one of their wards or under their care in a current encounter, expected
/// on one of their wards (a planned admission from yesterday to tomorrow), in
/// their clinic list today, referred to them or their team, or they manage the patient's episode
/// of care. An active break-glass grant counts above all of these. Answers are cached briefly per
/// (user, patient); a new grant evicts its entry at once, and any write of the records the answers
/// rest on (<see cref="RestOn"/>) every user's: at once in the instance that wrote, and within a
/// poll in every other through a change notice (<see cref="ChangeTopic"/>, written in the write's
/// transaction by <see cref="RequestAccess.RecordWritesAsync"/>). Only records in the patient's compartment count (their first local
/// patient reference is the patient), and every write is checked against each patient it names
/// (<see cref="RequestAccess.DemandWriteAsync"/>), so nobody can make a relationship for themselves
/// with a record they could not have written for that patient.
/// </summary>
public sealed class CareRelationships(IResourceStore store, SearchQueryParser parser, BreakGlassLedger ledger, TimeProvider time, IMemoryCache cache)
{
    /// <summary>How long an answer is reused: a transfer off the ward ends access within this time.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    /// <summary>The change-notice topic whose key is a patient whose relationships changed; every instance then calls <see cref="ForgetPatient"/>.</summary>
    public const string ChangeTopic = "care-relationships";

    /// <summary>The record types the answers rest on (CareTeam through the teams staff belong to).</summary>
    private static readonly HashSet<string> RelationshipTypes = new(StringComparer.Ordinal) { "Encounter", "Appointment", "EpisodeOfCare", "ServiceRequest", "CareTeam" };

    /// <summary>Whether writing a resource of this type can change someone's relationship with its patient.</summary>
    public static bool RestOn(string resourceType) => RelationshipTypes.Contains(resourceType);

    /// <summary>
    /// Tells every running instance, in the import's own transaction, of the patients whose imported
    /// records care relationships rest on (an import runs outside the servers, in <c>openward import</c>).
    /// </summary>
    public static async Task PublishImportedAsync(IStoreTransaction transaction, IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken)
    {
        var patients = writes.Where(w => RestOn(w.ResourceType)).Select(w => w.Indexes?.PatientCompartment).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var patient in patients)
        {
            await transaction.PublishChangeAsync(ChangeTopic, patient, cancellationToken);
        }
    }

    /// <summary>When each patient's relationships last changed through a page (<see cref="ForgetPatient"/>); older entries are pruned.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);

    public async Task<Relationship> ForAsync(Principal staff, string patientId, CancellationToken cancellationToken)
    {
        var key = CacheKey(staff.Id, patientId);
        if (cache.TryGetValue(key, out Cached? known) && !(_changedAt.TryGetValue(patientId, out var changed) && changed >= known!.At))
        {
            return known!.Relationship;
        }

        var now = time.GetUtcNow();
        var expires = now + CacheFor;
        Relationship relationship;
        if (await ledger.ActiveAsync(staff.Id, patientId, now, cancellationToken) is { } grant)
        {
            relationship = Relationship.BreakGlass;
            expires = grant.ExpiresAt < expires ? grant.ExpiresAt : expires;
        }
        else
        {
            relationship = await HasCareRelationshipAsync(staff, patientId, now, cancellationToken) ? Relationship.CareRelationship : Relationship.None;
        }

        cache.Set(key, new Cached(relationship, now), expires);
        return relationship;
    }

    /// <summary>Forgets the cached answer of one user (after a break-glass grant).</summary>
    public void Forget(string userName, string patientId) => cache.Remove(CacheKey(userName, patientId));

    /// <summary>
    /// Forgets every user's cached answer for the patient, after a page changed what the answers
    /// rest on (an admission, transfer or discharge, an expected admission arranged or cancelled):
    /// the ward's staff see the change at once rather than within <see cref="CacheFor"/>.
    /// </summary>
    public void ForgetPatient(string patientId)
    {
        var now = time.GetUtcNow();
        _changedAt[patientId] = now;
        if (_changedAt.Count > 1000)
        {
            // A change older than CacheFor can only concern answers that have expired anyway.
            foreach (var (id, at) in _changedAt)
            {
                if (at < now - CacheFor)
                {
                    _changedAt.TryRemove(id, out _);
                }
            }
        }
    }

    private sealed record Cached(Relationship Relationship, DateTimeOffset At);

    private async Task<bool> HasCareRelationshipAsync(Principal staff, string patientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var me = staff.PractitionerId is null ? null : $"Practitioner/{staff.PractitionerId}";
        var teams = staff.Teams.Select(t => $"CareTeam/{t}").ToList();
        var checks = new List<(string Type, List<KeyValuePair<string, string>> Query)>();
        if (staff.Wards.Count > 0)
        {
            var wards = string.Join(',', staff.Wards.Select(w => $"Location/{w}"));
            checks.Add(("Encounter", [new("patient", patientId), new("status", EncounterStates.CurrentSearchValue), new("location", wards)]));
            checks.Add(("Encounter", [new("patient", patientId), new("status", "planned"), new("location", wards), .. Admissions.ExpectedCriteria(now, time.LocalTimeZone)]));
        }

        if (me is not null)
        {
            checks.Add(("Encounter", [new("patient", patientId), new("status", EncounterStates.CurrentSearchValue), new("participant", me)]));
            var today = now.UtcDateTime.Date;
            checks.Add(("Appointment", [
                new("patient", patientId), new("actor", me), new("status", "booked,arrived,checked-in,fulfilled"),
                new("date", "ge" + today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                new("date", "lt" + today.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ]));
            checks.Add(("EpisodeOfCare", [new("patient", patientId), new("status", "active"), new("care-manager", me)]));
        }

        var referredTo = me is null ? teams : [.. teams, me];
        if (referredTo.Count > 0)
        {
            checks.Add(("ServiceRequest", [new("subject", $"Patient/{patientId}"), new("status", "active"), new("performer", string.Join(',', referredTo))]));
        }

        foreach (var (type, query) in checks)
        {
            var search = parser.Parse(type, query, lenient: false);
            // Only records in the patient's own compartment count: that is the patient their writer was
            // judged against first, and a compartment comes from local references only, so an absolute
            // URL or a second patient named in someone else's record makes no relationship.
            search.PatientCompartment = patientId;
            search.Count = 1;
            search.Total = TotalMode.None;
            if ((await store.SearchAsync(search, cancellationToken)).Matches.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static string CacheKey(string userName, string patientId) => $"relationship|{userName}|{patientId}";
}

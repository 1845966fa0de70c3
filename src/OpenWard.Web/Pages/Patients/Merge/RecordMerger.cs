using Hl7.Fhir.Model;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Security.Policy;
using OpenWard.Storage;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Patients.Merge;

/// <summary>What an undo did: resources moved back, and those it left (changed to another patient, or gone).</summary>
public sealed record UndoneMerge(int MovedBack, int Left);

/// <summary>
/// Merges a duplicate record into the surviving one, and undoes a merge, each as one FHIR
/// transaction written with a <see cref="MergeAccess"/> on the user's behalf (one audit event, the
/// user's). The policy has been asked already (<see cref="AccessPolicy.DecideMerge"/> and the
/// demographics update on both patients). A resource changed between planning and writing fails the
/// whole transaction with 412 (each entry carries If-Match), so nothing is half-moved.
/// </summary>
public static class RecordMerger
{
    private const int PageSize = 500;

    /// <summary>Moves every resource of <paramref name="duplicate"/> to <paramref name="surviving"/>; returns how many moved.</summary>
    public static async Task<int> MergeAsync(FhirRestService fhir, SystemReadScope reads, AccessGate gate, RequestAccess access, Patient duplicate, Patient surviving, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        var moved = new List<string>();
        await foreach (var (stored, resource) in ReferrersAsync(reads, duplicate.Id!, cancellationToken))
        {
            // The audit trail (merge Provenances included) stays as written, with the record it describes.
            if (stored.ResourceType == "Patient" || DataCategories.Of(stored.ResourceType) == DataCategory.Audit)
            {
                continue;
            }

            if (RecordMerge.Repointed(resource, duplicate.Id!, surviving.Id!) is { } repointed)
            {
                bundle.AddUpdate(repointed, stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                moved.Add(stored.Reference);
            }
        }

        bundle.AddUpdate(RecordMerge.Retired(duplicate, surviving.Id!), duplicate.Meta!.VersionId!);
        bundle.AddUpdate(RecordMerge.Surviving(surviving, duplicate.Id!), surviving.Meta!.VersionId!);
        bundle.AddCreate(RecordMerge.Record(RecordMerge.MergeActivity, duplicate.Id!, surviving.Id!, moved, reason, access.Principal.DisplayName, access.Principal.PractitionerId, now));

        access.Detail = $"Record merge: Patient/{duplicate.Id!} into Patient/{surviving.Id!}, {moved.Count} resources moved. Reason: {reason.Trim()}";
        var planned = moved.Append($"Patient/{duplicate.Id!}").Append($"Patient/{surviving.Id!}").ToHashSet(StringComparer.Ordinal);
        await fhir.ProcessBundleAsync(new MergeAccess(access, gate, planned, createsProvenance: true), bundle, cancellationToken);
        return moved.Count;
    }

    /// <summary>The Provenance of the duplicate's merge, or null when it is not merged now (never, or undone since).</summary>
    public static async Task<Provenance?> CurrentMergeAsync(SystemReadScope reads, string duplicateId, CancellationToken cancellationToken)
    {
        Provenance? latest = null;
        await foreach (var (_, resource) in CompartmentAsync(reads, duplicateId, cancellationToken))
        {
            if (RecordMerge.ActivityOf(resource) is not null && resource is Provenance provenance
                && (latest is null || provenance.Recorded > latest.Recorded))
            {
                latest = provenance;
            }
        }

        return latest is not null && RecordMerge.ActivityOf(latest) == RecordMerge.MergeActivity ? latest : null;
    }

    /// <summary>
    /// Moves back what the merge moved and still belongs to <paramref name="surviving"/>, and restores
    /// the duplicate. What was recorded on the surviving record after the merge stays there: nothing
    /// says which of the two people it was about.
    /// </summary>
    public static async Task<UndoneMerge> UndoAsync(FhirRestService fhir, SystemReadScope reads, AccessGate gate, RequestAccess access, Patient duplicate, Patient surviving, Provenance merge, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        var movedBack = new List<string>();
        var left = 0;
        // The duplicate is live again before anything moves back to it (updates run in Bundle order):
        // a merged record takes no data (MergedRecordTakesNoNewData).
        bundle.AddUpdate(RecordMerge.Restored(duplicate), duplicate.Meta!.VersionId!);
        bundle.AddUpdate(RecordMerge.Unlinked(surviving, duplicate.Id!), surviving.Meta!.VersionId!);
        foreach (var reference in RecordMerge.MovedBy(merge))
        {
            var parts = reference.Split('/');
            var stored = parts.Length == 2 ? await reads.ReadAsync(parts[0], parts[1], cancellationToken) : null;
            // A resource outside the Patient compartment has no compartment patient:
            // whether it still points at the surviving record decides.
            if (stored is not { IsDeleted: false, Json: { } json } || (stored.PatientId is { } owner && owner != surviving.Id)
                || RecordMerge.Repointed(FhirSerialization.ParseJson(json), surviving.Id!, duplicate.Id!) is not { } back)
            {
                left++;
                continue;
            }

            bundle.AddUpdate(back, stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            movedBack.Add(stored.Reference);
        }

        bundle.AddCreate(RecordMerge.Record(RecordMerge.UndoActivity, duplicate.Id!, surviving.Id!, movedBack, reason, access.Principal.DisplayName, access.Principal.PractitionerId, now));

        access.Detail = $"Record merge undone: Patient/{duplicate.Id} separated from Patient/{surviving.Id}, {movedBack.Count} resources moved back, {left} left. Reason: {reason.Trim()}";
        var planned = movedBack.Append($"Patient/{duplicate.Id}").Append($"Patient/{surviving.Id}").ToHashSet(StringComparer.Ordinal);
        await fhir.ProcessBundleAsync(new MergeAccess(access, gate, planned, createsProvenance: true), bundle, cancellationToken);
        return new UndoneMerge(movedBack.Count, left);
    }

    /// <summary>
    /// Every current resource that refers to the patient: their compartment, then the resources of the
    /// types outside the Patient compartment (Task and Device are in it: PatientCompartment.Additions)
    /// that refer to them through a reference search parameter, so a merge leaves nothing behind.
    /// </summary>
    private static async IAsyncEnumerable<(StoredResource Stored, Resource Resource)> ReferrersAsync(SystemReadScope store, string patientId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var found in CompartmentAsync(store, patientId, cancellationToken))
        {
            yield return found;
        }

        var parser = new SearchQueryParser(SearchParameterRegistry.Default);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var outside = SearchParameterRegistry.SupportedResourceTypes.Where(t => t != "Patient" && !PatientCompartment.ParametersByType.ContainsKey(t) && DataCategories.Of(t) != DataCategory.Audit);
        foreach (var type in outside)
        {
            foreach (var parameter in SearchParameterRegistry.Default.ForType(type).Where(p => p.Type == OpenWard.Fhir.Search.SearchParamType.Reference && p.Targets.Contains("Patient")))
            {
                for (var offset = 0; ; offset += PageSize)
                {
                    var query = parser.Parse(type, [new(parameter.Code, $"Patient/{patientId}")], lenient: false);
                    query.Count = PageSize;
                    query.Offset = offset;
                    query.Total = TotalMode.None;
                    var page = await store.SearchAsync(query, cancellationToken);
                    foreach (var stored in page.Matches)
                    {
                        if (stored.Json is { } json && seen.Add(stored.Reference))
                        {
                            yield return (stored, FhirSerialization.ParseJson(json));
                        }
                    }

                    if (page.Matches.Count < PageSize)
                    {
                        break;
                    }
                }
            }
        }
    }

    /// <summary>Every current resource of the patient's compartment, read from the store (the server's own planning read, not shown to the user).</summary>
    private static async IAsyncEnumerable<(StoredResource Stored, Resource Resource)> CompartmentAsync(SystemReadScope store, string patientId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await store.PatientCompartmentAsync(patientId, PageSize, offset, cancellationToken);
            foreach (var stored in page.Entries)
            {
                if (stored.Json is { } json)
                {
                    yield return (stored, FhirSerialization.ParseJson(json));
                }
            }

            if (page.Entries.Count < PageSize)
            {
                yield break;
            }
        }
    }
}

using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;

namespace OpenWard.Web.Medicines;

/// <summary>
/// What the medication checks need about a patient, for CDS Hooks and the prescribing page: from a
/// CDS Hooks prefetch where the client sent it (by the declared key, or any key holding that resource
/// type; a key sent as null counts as absent), otherwise read from OpenWard's record with the
/// caller's access. What the caller may not read gives a reason instead, so the checks that need it
/// say they did not run rather than pass.
/// </summary>
public sealed class MedicationRecord(FhirRestService fhir, AccessGate gate, ParsedResources parsed, MedicationChecks checks, TimeProvider time)
{
    /// <summary>The CDS Hooks prefetch keys, with their templates, by the kind of record each holds.</summary>
    public static readonly IReadOnlyDictionary<PatientData, (string Key, string ResourceType, string Template)> PrefetchKeys = new Dictionary<PatientData, (string, string, string)>
    {
        [PatientData.Demographics] = ("patient", "Patient", "Patient/{{context.patientId}}"),
        [PatientData.Allergies] = ("allergies", "AllergyIntolerance", "AllergyIntolerance?patient={{context.patientId}}"),
        [PatientData.Conditions] = ("conditions", "Condition", "Condition?patient={{context.patientId}}"),
        [PatientData.Observations] = ("observations", "Observation", "Observation?patient={{context.patientId}}&_sort=-date&_count=500"),
        [PatientData.Medications] = ("medications", "MedicationRequest", "MedicationRequest?patient={{context.patientId}}&status=active,on-hold"),
    };

    private const string NoAccess = "could not be read with your access (a care relationship or break-glass gives it)";

    public async Task<PatientContext> ReadAsync(RequestAccess access, string patientId, IReadOnlyDictionary<string, IReadOnlyList<Resource>> prefetch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var resources = new List<Resource>();
        var notRead = new Dictionary<PatientData, string>();
        var prefetched = prefetch.Values.SelectMany(r => r).ToList();

        async Task<bool> MayReadAsync(PatientData data, string resourceType)
        {
            if (access.SeesEverything
                || (await gate.DecideForRecordAsync(access.Principal, patientId, DataCategories.Of(resourceType), FhirAction.Read, cancellationToken)).Policy.Decision == AccessDecision.Allow)
            {
                return true;
            }

            notRead[data] = $"the {resourceType} records of Patient/{patientId} {NoAccess}";
            return false;
        }

        var patient = prefetched.OfType<Patient>().FirstOrDefault();
        if (patient is null && !prefetch.ContainsKey(PrefetchKeys[PatientData.Demographics].Key) && await MayReadAsync(PatientData.Demographics, "Patient"))
        {
            try
            {
                var read = await fhir.ReadAsync(access, "Patient", patientId, cancellationToken);
                patient = read.Stored is { Json: not null } stored ? parsed.Get(stored) as Patient : null;
            }
            catch (FhirException e) when (e.Status is 404 or 410)
            {
                // No such patient here: nothing about them can be read, and an empty record must not read as "no allergies".
                var why = $"Patient/{patientId} is not in OpenWard's record (send the prefetch, or the patient's OpenWard id)";
                foreach (var data in Enum.GetValues<PatientData>().Where(d => !prefetch.ContainsKey(PrefetchKeys[d].Key) && prefetched.All(r => r.TypeName != PrefetchKeys[d].ResourceType)))
                    notRead[data] = why;
                return PatientRecordQueries.Context(null, prefetched.Where(r => r is not Patient), notRead, now);
            }
            catch (FhirException e) when (e.Status == 403)
            {
                notRead[PatientData.Demographics] = $"Patient/{patientId} could not be read ({e.Message})";
            }
        }

        foreach (var (data, resourceType, criteria) in PatientRecordQueries.For(patientId, checks.Formulary, now))
        {
            if (prefetch.ContainsKey(PrefetchKeys[data].Key) || prefetched.Any(r => r.TypeName == resourceType))
            {
                resources.AddRange(prefetched.Where(r => r.TypeName == resourceType));
                continue;
            }

            if (!await MayReadAsync(data, resourceType))
                continue;
            try
            {
                var response = await fhir.SearchAsync(access, resourceType, [.. criteria, new("_count", PatientRecordQueries.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("_total", "none"), .. resourceType == "Observation" ? [new KeyValuePair<string, string>("_sort", "-date")] : Array.Empty<KeyValuePair<string, string>>()], lenient: false, null, cancellationToken);
                resources.AddRange(response.Bundle!.Entries
                    .Where(e => e.SearchMode == Bundle.SearchEntryMode.Match && e.Stored?.Json is not null)
                    .Select(e => parsed.Get(e.Stored!)));
            }
            catch (FhirException e) when (e.Status == 403)
            {
                notRead[data] = $"the {resourceType} records of Patient/{patientId} {NoAccess} ({e.Message})";
            }
        }

        return PatientRecordQueries.Context(patient, resources, notRead, now);
    }

    /// <summary>
    /// The patient is in another system's record (CDS Hooks fhirServer): its ids mean nothing here, so
    /// OpenWard's own record is not read. What the prefetch holds is used; everything else is reported as not read.
    /// </summary>
    public PatientContext Elsewhere(Uri fhirServer, IReadOnlyDictionary<string, IReadOnlyList<Resource>> prefetch)
    {
        var prefetched = prefetch.Values.SelectMany(r => r).ToList();
        var notRead = new Dictionary<PatientData, string>();
        foreach (var (data, (key, resourceType, _)) in PrefetchKeys)
        {
            if (!prefetch.ContainsKey(key) && prefetched.All(r => r.TypeName != resourceType))
                notRead[data] = $"{resourceType} records are in {fhirServer}, which OpenWard does not read (fhirServer is not fetched yet): send them as prefetch '{key}'";
        }

        return PatientRecordQueries.Context(prefetched.OfType<Patient>().FirstOrDefault(), prefetched.Where(r => r is not Patient), notRead, time.GetUtcNow());
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using OpenWard.DemoData;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Security;

namespace OpenWard.LoadTool;

/// <summary>
/// The patient with a long history that issue #4's chart budget names: 500 encounters and 5,000
/// observations, admitted now to the demo staff's ward (so the signed-in user may read the chart).
/// Made from the next patient the demo population would generate (illustrative data): their own
/// record, re-identified as <see cref="PatientId"/>, then their first encounter and their
/// observations repeated back in time.
/// </summary>
public static class LargeRecord
{
    public const string PatientId = "load-large-record";
    public const int Encounters = 500;
    public const int Observations = 5000;

    /// <summary>Every resource of the record, Patient first; deterministic for a seed and population size.</summary>
    public static List<Resource> Build(int seed, int loadedPatients)
    {
        // The first resources after the loaded population are the next patient and their record.
        var template = new List<Resource>();
        foreach (var resource in new FreshResources(seed, loadedPatients).Take(200))
        {
            if (resource is Patient && template.Count > 0)
            {
                break;
            }

            template.Add(resource);
        }

        var sourceId = template[0].Id!;
        var own = template.Select(r => Reidentify(r, sourceId)).ToList();
        var encounterTemplate = own.OfType<Encounter>().First();
        var observationTemplates = own.OfType<Observation>().ToList();
        var records = own.Where(r => r is not (Encounter or Observation)).ToList();

        var admitted = DemoPopulation.ReferenceInstant.UtcDateTime.AddDays(-2);
        var encounterIds = new string[Encounters];
        for (var n = 0; n < Encounters; n++)
        {
            var encounter = (Encounter)encounterTemplate.DeepCopy();
            encounter.Id = encounterIds[n] = $"{PatientId}-enc-{n:D3}";
            var start = admitted.AddDays(-7 * n);
            encounter.Period = new Period { Start = Date(start), End = n == 0 ? null : Date(start.AddDays(1)) };
            encounter.Status = n == 0 ? Encounter.EncounterStatus.InProgress : Encounter.EncounterStatus.Finished;
            encounter.Location =
            [
                new Encounter.LocationComponent
                {
                    Location = new ResourceReference($"Location/{DemoStaff.Ward}"),
                    Status = n == 0 ? Encounter.EncounterLocationStatus.Active : Encounter.EncounterLocationStatus.Completed,
                },
            ];
            encounter.Hospitalization = n == 0 ? null : encounter.Hospitalization;
            records.Add(encounter);
        }

        // Ten observations per encounter, each from one of the patient's own, a few minutes apart.
        var perEncounter = Observations / Encounters;
        for (var n = 0; n < Observations; n++)
        {
            var encounter = n / perEncounter;
            var observation = (Observation)observationTemplates[n % observationTemplates.Count].DeepCopy();
            observation.Id = $"{PatientId}-obs-{n:D4}";
            observation.Encounter = new ResourceReference($"Encounter/{encounterIds[encounter]}");
            observation.Effective = new FhirDateTime(Date(admitted.AddDays(-7 * encounter).AddMinutes(10 * (n % perEncounter))));
            observation.Issued = null;
            records.Add(observation);
        }

        return records;
    }

    /// <summary>Loads the record through the FHIR API in transaction Bundles (PUT with ids) unless the patient is already stored.</summary>
    public static async Task<int> EnsureLoadedAsync(HttpClient fhir, int seed, int loadedPatients, CancellationToken cancellationToken)
    {
        using (var existing = await fhir.GetAsync($"Patient/{PatientId}", cancellationToken))
        {
            if (existing.StatusCode == HttpStatusCode.OK)
            {
                return 0;
            }
        }

        var resources = Build(seed, loadedPatients);
        foreach (var chunk in resources.Chunk(HttpScenarios.TransactionSize))
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            foreach (var resource in chunk)
            {
                bundle.Entry.Add(new Bundle.EntryComponent
                {
                    FullUrl = $"{resource.TypeName}/{resource.Id}",
                    Resource = resource,
                    Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}" },
                });
            }

            using var content = new ByteArrayContent(FhirSerialization.ToJsonBytes(bundle));
            content.Headers.ContentType = new MediaTypeHeaderValue(HttpScenarios.FhirJson);
            using var response = await fhir.PostAsync("", content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Loading the large record failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        return resources.Count;
    }

    /// <summary>The resource with the template patient's id ("pat-002001") replaced by <see cref="PatientId"/> in its id and every reference.</summary>
    private static Resource Reidentify(Resource resource, string sourceId) =>
        FhirSerialization.ParseJson(FhirSerialization.ToJson(resource).Replace(sourceId, PatientId, StringComparison.Ordinal));

    private static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.DemoData;
using OpenWard.Fhir;

namespace OpenWard.LoadTool;

public sealed record KnownPatient(string Id, string NhsNumber, string Family);

/// <param name="Code">system|code of the first coding, as a token search takes it.</param>
/// <param name="Date">The day it was taken (yyyy-MM-dd).</param>
public sealed record KnownObservation(string Id, string PatientId, string Code, string Date);

/// <summary>
/// What the load tool knows of the loaded population, without asking the server: the demo population
/// is deterministic, so generating it again with the same seed gives the same ids, NHS numbers,
/// names, codes and dates that the server holds.
/// </summary>
public sealed class KnownRecords
{
    private KnownRecords(List<KnownPatient> patients, List<KnownObservation> observations, int resourceCount, long jsonCharacters, Patient patient, Observation observation)
    {
        Patients = patients;
        Observations = observations;
        ResourceCount = resourceCount;
        AverageJsonCharacters = resourceCount == 0 ? 0 : (int)(jsonCharacters / resourceCount);
        SamplePatient = (Patient)patient.DeepCopy();
        SamplePatient.Identifier.Clear();
        SampleObservation = observation;
    }

    public IReadOnlyList<KnownPatient> Patients { get; }
    public IReadOnlyList<KnownObservation> Observations { get; }

    /// <summary>Every resource of the population, shared ones (organisations, wards) included.</summary>
    public int ResourceCount { get; }

    /// <summary>Mean compact JSON size of a resource, for the report and the floor's row size.</summary>
    public int AverageJsonCharacters { get; }

    /// <summary>
    /// A Patient and an Observation of the population, as templates for creates. The Patient has no
    /// identifiers: each create is a new person, and an NHS or hospital number belongs to one live
    /// record (NHS_NUMBER_ON_ONE_LIVE_RECORD), like a patient registered before they are identified.
    /// </summary>
    public Patient SamplePatient { get; }

    public Observation SampleObservation { get; }

    public static string PatientId(int index) => "pat-" + index.ToString("D6", CultureInfo.InvariantCulture);

    public static KnownRecords Generate(int seed, int patients)
    {
        var known = new List<KnownPatient>(patients);
        var observations = new List<KnownObservation>(patients * 16);
        var count = 0;
        long characters = 0;
        Patient? samplePatient = null;
        Observation? sampleObservation = null;
        foreach (var resource in new DemoPopulation(seed).Generate(patients))
        {
            count++;
            characters += Fhir.Serialization.FhirSerialization.ToJson(resource).Length;
            switch (resource)
            {
                case Patient patient:
                    known.Add(new KnownPatient(
                        patient.Id!,
                        patient.Identifier.First(i => i.System == NhsNumber.IdentifierSystem).Value!,
                        patient.Name[0].Family!));
                    samplePatient ??= patient;
                    break;
                case Observation observation when observation.Effective is FhirDateTime effective && observation.Code.Coding.Count > 0:
                    var coding = observation.Code.Coding[0];
                    observations.Add(new KnownObservation(
                        observation.Id!,
                        observation.Subject!.Reference!["Patient/".Length..],
                        $"{coding.System}|{coding.Code}",
                        effective.Value![..10]));
                    sampleObservation ??= observation;
                    break;
            }
        }

        return new KnownRecords(
            known,
            observations,
            count,
            characters,
            samplePatient ?? throw new InvalidOperationException("The population has no Patient."),
            sampleObservation ?? throw new InvalidOperationException("The population has no Observation."));
    }
}

/// <summary>
/// Resources the store does not hold yet, for transactions and imports: the same deterministic
/// population continued past the loaded patients, so their ids are new and their references
/// point at organisations and wards the store already has. Thread-safe.
/// </summary>
public sealed class FreshResources(int seed, int loadedPatients)
{
    private readonly Lock _lock = new();
    private readonly IEnumerator<Resource> _resources = Continue(seed, loadedPatients).GetEnumerator();

    public List<Resource> Take(int count)
    {
        var taken = new List<Resource>(count);
        lock (_lock)
        {
            while (taken.Count < count && _resources.MoveNext())
            {
                taken.Add(_resources.Current);
            }
        }

        return taken;
    }

    private static IEnumerable<Resource> Continue(int seed, int loadedPatients)
    {
        var patientsSeen = 0;
        foreach (var resource in new DemoPopulation(seed).Generate(DemoPopulation.MaxPatientCount))
        {
            if (resource is Patient)
            {
                patientsSeen++;
            }

            if (patientsSeen > loadedPatients)
            {
                yield return resource;
            }
        }
    }
}

using Hl7.Fhir.Model;
using OpenWard.DemoData;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Benchmarks;

/// <summary>
/// Realistic inputs for the benchmarks: resources from the synthetic demo population (illustrative,
/// UK Core shaped), the same every run because the population is deterministic.
/// </summary>
public static class DemoSamples
{
    /// <summary>The resource kinds the benchmarks run over: the four most written on a ward.</summary>
    public const string Patient = "Patient";
    public const string Observation = "Observation";
    public const string Encounter = "Encounter";
    public const string MedicationRequest = "MedicationRequest";

    private const int Seed = 20261124;

    /// <summary>
    /// The tenth resource of <paramref name="resourceType"/> in a 50-patient population: past the
    /// first patient, so not a special case, and the same resource every run.
    /// </summary>
    public static Resource Resource(string resourceType) =>
        new DemoPopulation(Seed).Generate(50).Where(r => r.TypeName == resourceType).Skip(9).First();

    /// <summary>The resource as a client would send it: compact JSON, no meta.</summary>
    public static byte[] JsonBytes(string resourceType) => FhirSerialization.ToJsonBytes(Resource(resourceType));
}

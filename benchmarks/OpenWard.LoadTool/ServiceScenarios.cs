using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;

namespace OpenWard.LoadTool;

/// <summary>
/// The same reads and creates straight through <see cref="FhirRestService"/> in process, with no
/// HTTP, JSON parsing or token checks: the gap between these and the HTTP scenarios is what the
/// web layer costs; the gap between these and the floor is what the FHIR layer and the store cost.
/// </summary>
public sealed class ServiceScenarios(FhirRestService fhir, KnownRecords known)
{
    public async Task<int> ReadAsync(int client, CancellationToken cancellationToken)
    {
        var response = Random.Shared.Next(2) == 0
            ? await fhir.ReadAsync(OperatorAccess.Instance, "Patient", known.Patients[Random.Shared.Next(known.Patients.Count)].Id, cancellationToken)
            : await fhir.ReadAsync(OperatorAccess.Instance, "Observation", known.Observations[Random.Shared.Next(known.Observations.Count)].Id, cancellationToken);
        return response.Status == 200 ? 1 : throw new InvalidOperationException($"Read answered {response.Status}.");
    }

    /// <summary>The NHS-number search of <see cref="HttpScenarios.SearchNhsNumberAsync"/>, without HTTP.</summary>
    public async Task<int> SearchNhsNumberAsync(int client, CancellationToken cancellationToken)
    {
        var nhsNumber = known.Patients[Random.Shared.Next(known.Patients.Count)].NhsNumber;
        var response = await fhir.SearchAsync(
            OperatorAccess.Instance,
            "Patient",
            [new("identifier", Fhir.NhsNumber.IdentifierSystem + "|" + nhsNumber)],
            lenient: false,
            patientCompartment: null,
            cancellationToken);
        return response.Bundle?.Total == 1 ? 1 : throw new InvalidOperationException($"The NHS number search found {response.Bundle?.Total} patients.");
    }

    /// <summary>A Patient or an Observation (alternately), copied from the template because a create stamps its id and meta.</summary>
    public async Task<int> CreateAsync(int client, CancellationToken cancellationToken)
    {
        Resource resource = Random.Shared.Next(2) == 0 ? known.SamplePatient.DeepCopy() : known.SampleObservation.DeepCopy();
        var response = await fhir.CreateAsync(OperatorAccess.Instance, resource.TypeName, resource, null, cancellationToken);
        return response.Status == 201 ? 1 : throw new InvalidOperationException($"Create answered {response.Status}.");
    }
}

using Hl7.Fhir.Model;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// The care relationship the policy tests arrange most: the patient is in hospital on a ward (an
/// in-progress inpatient Encounter there), so that ward's staff care for them.
/// </summary>
public static class WardStays
{
    public static Encounter InProgress(string id, string patientId, string wardId) => new()
    {
        Id = id,
        Status = Encounter.EncounterStatus.InProgress,
        Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
        Subject = new ResourceReference($"Patient/{patientId}"),
        Location = [new Encounter.LocationComponent { Location = new ResourceReference($"Location/{wardId}") }],
    };
}

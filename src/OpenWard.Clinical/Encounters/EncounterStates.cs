using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Encounters;

/// <summary>
/// The one definition of a current encounter, used by the care-relationship check, the bed board
/// and the write rules alike: the patient has arrived (or is being triaged), is being seen or
/// cared for, or is on leave from a stay that has not ended (R4 encounter-status:
/// https://hl7.org/fhir/R4/valueset-encounter-status.html). Planned is not yet; finished,
/// cancelled and entered-in-error are over.
/// </summary>
public static class EncounterStates
{
    /// <summary>The current statuses as a FHIR search value (<c>status=</c>).</summary>
    public const string CurrentSearchValue = "arrived,triaged,in-progress,onleave";

    public static bool IsCurrent(Encounter encounter) =>
        encounter.Status is Encounter.EncounterStatus.Arrived or Encounter.EncounterStatus.Triaged
            or Encounter.EncounterStatus.InProgress or Encounter.EncounterStatus.Onleave;

    /// <summary>
    /// v3-ActCode codes of an inpatient stay: IMP "inpatient encounter" and its specialisations ACUTE
    /// and NONAC (http://terminology.hl7.org/CodeSystem/v3-ActCode).
    /// </summary>
    public static readonly IReadOnlySet<string> InpatientClassCodes = new HashSet<string>(StringComparer.Ordinal) { "IMP", "ACUTE", "NONAC" };

    public const string ActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    /// <summary>The inpatient classes as a FHIR search value (<c>class=</c>).</summary>
    public static string InpatientClassSearchValue => string.Join(',', InpatientClassCodes.Order(StringComparer.Ordinal).Select(c => $"{ActCodeSystem}|{c}"));

    public static bool IsInpatient(Encounter encounter) =>
        encounter.Class is { System: ActCodeSystem, Code: { } code } && InpatientClassCodes.Contains(code);

    /// <summary>The references ("Location/x") the encounter holds now: its active or status-less locations, while it is current.</summary>
    public static IEnumerable<string> HeldLocations(Encounter encounter) =>
        IsCurrent(encounter)
            ? encounter.Location
                .Where(l => l.Status is null or Encounter.EncounterLocationStatus.Active)
                .Select(l => l.Location?.Reference)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
            : [];
}

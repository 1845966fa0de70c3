using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// Searches the patient pages share, always through <see cref="FhirRestService"/> with the user's
/// access (so the policy filters every resource and the page's audit event covers them).
/// </summary>
public static class PatientReads
{
    /// <summary>The GP practices OpenWard holds (<see cref="GpPractice"/>), by name, to choose a patient's practice from.</summary>
    public static async Task<IReadOnlyList<GpPractice>> GpPracticesAsync(FhirRestService fhir, IFhirAccess access, CancellationToken cancellationToken)
    {
        var found = await SearchAsync(fhir, access, "Organization", [new("_sort", "name"), new("_count", GpPractice.Searched.ToString(System.Globalization.CultureInfo.InvariantCulture))], cancellationToken);
        return [.. found.Of<Organization>().Select(GpPractice.From).OfType<GpPractice>()];
    }

    /// <summary>A search's matches and the resources it included, parsed.</summary>
    public sealed record Found(IReadOnlyList<Resource> Matches, IReadOnlyList<Resource> Included)
    {
        /// <summary>The server has more matches after this page (the Bundle has a next link).</summary>
        public bool More { get; init; }

        public IEnumerable<T> Of<T>() where T : Resource => Matches.OfType<T>();

        /// <summary>The included resource a reference points at ("Location/loc-ward-01"), if the user could read it.</summary>
        public T? Resolve<T>(ResourceReference? reference) where T : Resource =>
            reference?.Reference is { } text ? Included.OfType<T>().FirstOrDefault(r => $"{r.TypeName}/{r.Id}" == text) : null;
    }

    public static async Task<Found> SearchAsync(FhirRestService fhir, IFhirAccess access, string type, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var response = await fhir.SearchAsync(access, type, parameters, lenient: false, null, cancellationToken);
        var entries = response.Bundle!.Entries.Where(e => e.Stored?.Json is not null).ToList();
        return new(
            [.. entries.Where(e => e.SearchMode == Bundle.SearchEntryMode.Match).Select(e => Parse(e.Stored!))],
            [.. entries.Where(e => e.SearchMode == Bundle.SearchEntryMode.Include).Select(e => Parse(e.Stored!))])
        {
            More = response.Bundle.Links.Any(l => l.Relation == "next"),
        };
    }

    public static async Task<T> ReadAsync<T>(FhirRestService fhir, IFhirAccess access, string id, CancellationToken cancellationToken)
        where T : Resource => (T)Parse((await fhir.ReadAsync(access, typeof(T).Name, id, cancellationToken)).Stored!);

    /// <summary>
    /// The patient, for a page. The API answers a record the user may not open as unknown (404);
    /// a page says why instead (403 with the policy's reason), so the user can break glass.
    /// </summary>
    public static async Task<Patient> ReadPatientAsync(FhirRestService fhir, AccessGate gate, RequestAccess access, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync<Patient>(fhir, access, id, cancellationToken);
        }
        catch (FhirException e) when (e.Status == 404)
        {
            var decision = await gate.DecideForRecordAsync(access.Principal, id, DataCategory.Demographics, FhirAction.Read, cancellationToken);
            if (decision.Policy.Decision == AccessDecision.Allow)
            {
                throw;
            }

            var code = decision.Policy.Decision == AccessDecision.BreakGlassRequired ? "BREAK_GLASS_REQUIRED" : decision.Policy.Code;
            throw FhirException.Create(403, OperationOutcome.IssueType.Forbidden, code, decision.Policy.Reason);
        }
    }

    /// <summary>
    /// Where the patient is now: the bed (or else the ward) of their current encounter, as the
    /// Location names it ("Elm Ward bed 3"); null when they are not in hospital.
    /// </summary>
    public static async Task<string?> CurrentLocationAsync(FhirRestService fhir, IFhirAccess access, string patientId, CancellationToken cancellationToken) =>
        (await CurrentEncounterAsync(fhir, access, patientId, cancellationToken))?.Place;

    /// <summary>The patient's current encounter (the latest, if there are several) and where it is; null when there is none.</summary>
    public static async Task<(Encounter Encounter, string Place)?> CurrentEncounterAsync(FhirRestService fhir, IFhirAccess access, string patientId, CancellationToken cancellationToken)
    {
        var found = await SearchAsync(fhir, access, "Encounter", [new("patient", patientId), new("status", EncounterStates.CurrentSearchValue), new("_include", "Encounter:location"), new("_sort", "-date"), new("_count", "1")], cancellationToken);
        return found.Of<Encounter>().FirstOrDefault() is { } encounter ? (encounter, Place(encounter, found).Name) : null;
    }

    /// <summary>
    /// The encounter's current bed and ward Locations, as far as they were included. Beds and wards
    /// are told apart by Location.physicalType, codes "bd" and "wa" of
    /// http://terminology.hl7.org/CodeSystem/location-physical-type (FHIR R4).
    /// </summary>
    public static (string Name, Location? Bed, Location? Ward) Place(Encounter encounter, Found found)
    {
        var locations = encounter.Location
            .Where(l => l.Status is null or Encounter.EncounterLocationStatus.Active)
            .Select(l => found.Resolve<Location>(l.Location))
            .OfType<Location>()
            .ToList();
        var bed = locations.FirstOrDefault(l => l.PhysicalType?.Coding.Any(c => c.Code == "bd") == true);
        var ward = locations.FirstOrDefault(l => l.PhysicalType?.Coding.Any(c => c.Code == "wa") == true) ?? locations.FirstOrDefault(l => l != bed);
        return ((bed ?? ward)?.Name ?? Ui.PatientDisplay.NotKnown, bed, ward);
    }

    private static Resource Parse(StoredResource stored) => FhirSerialization.ParseJson(stored.Json!);
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>A ward and its free beds, for the admission and transfer forms.</summary>
public sealed record WardBeds(Location Ward, IReadOnlyList<Location> FreeBeds);

/// <summary>
/// The hospital's wards and their free beds, read with the user's access. Occupancy is what the user
/// may see: in-progress encounters of patients the policy hides from them (other wards) are not counted.
/// </summary>
public static class BedBoard
{
    public static async Task<IReadOnlyList<WardBeds>> FreeBedsAsync(FhirRestService fhir, IFhirAccess access, CancellationToken cancellationToken)
    {
        var locations = await LocationsAsync(fhir, access, cancellationToken);
        var inProgress = (await PatientReads.SearchAsync(fhir, access, "Encounter", [new("status", "in-progress"), new("_count", "1000")], cancellationToken)).Of<Encounter>().ToList();
        return [.. Admissions.Wards(locations).Select(w => new WardBeds(w, Admissions.FreeBeds(w.Id!, locations, inProgress)))];
    }

    /// <summary>The hospital's Locations (wards, beds, clinics), as the user may read them.</summary>
    public static async Task<IReadOnlyList<Location>> LocationsAsync(FhirRestService fhir, IFhirAccess access, CancellationToken cancellationToken) =>
        [.. (await PatientReads.SearchAsync(fhir, access, "Location", [new("_count", "1000")], cancellationToken)).Of<Location>()];

    /// <summary>The ward a free bed belongs to, or null when the bed is not free (or not a bed).</summary>
    public static Location? WardOfFreeBed(IReadOnlyList<WardBeds> board, string? bedId) =>
        board.FirstOrDefault(w => w.FreeBeds.Any(b => b.Id == bedId))?.Ward;
}

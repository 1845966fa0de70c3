using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>
/// A ward for the admission and transfer forms, with its free beds when the user works on it; on
/// another ward the policy hides patients the user does not care for, so its occupancy is not known
/// to them and a patient goes to the ward with no bed yet, for the ward's staff to give one.
/// </summary>
public sealed record WardBeds(Location Ward, bool BedsKnown, IReadOnlyList<Location> FreeBeds)
{
    /// <summary>The select's value for "this ward, no bed yet".</summary>
    public string WardOnlyValue => BedBoard.WardOnlyPrefix + Ward.Id;
}

/// <summary>A place the user chose: a ward, and a free bed on it unless the patient has none yet.</summary>
public sealed record Placement(Location Ward, Location? Bed)
{
    public string Name => Bed?.Name ?? $"{Ward.Name}, no bed yet";
}

/// <summary>The hospital's wards, with the free beds of the user's wards (read with the user's access).</summary>
public static class BedBoard
{
    public const string WardOnlyPrefix = "ward:";

    public static async Task<IReadOnlyList<WardBeds>> FreeBedsAsync(FhirRestService fhir, RequestAccess access, CancellationToken cancellationToken)
    {
        var locations = await LocationsAsync(fhir, access, cancellationToken);
        var current = (await PatientReads.SearchAsync(fhir, access, "Encounter", [new("status", EncounterStates.CurrentSearchValue), new("_count", "1000")], cancellationToken)).Of<Encounter>().ToList();
        var mine = access.Principal.Wards;
        return
        [
            .. Admissions.Wards(locations).Select(w => mine.Contains(w.Id!)
                ? new WardBeds(w, BedsKnown: true, Admissions.FreeBeds(w.Id!, locations, current))
                : new WardBeds(w, BedsKnown: false, [])),
        ];
    }

    /// <summary>The hospital's Locations (wards, beds, clinics), as the user may read them.</summary>
    public static async Task<IReadOnlyList<Location>> LocationsAsync(FhirRestService fhir, IFhirAccess access, CancellationToken cancellationToken) =>
        [.. (await PatientReads.SearchAsync(fhir, access, "Location", [new("_count", "1000")], cancellationToken)).Of<Location>()];

    /// <summary>
    /// What the select's value stands for: a free bed (of a ward whose beds are known) with its
    /// ward, or a ward with no bed yet; null when the bed is taken or the value is no choice offered.
    /// </summary>
    public static Placement? Choose(IReadOnlyList<WardBeds> board, string? value)
    {
        if (value?.StartsWith(WardOnlyPrefix, StringComparison.Ordinal) == true)
        {
            return board.FirstOrDefault(w => w.WardOnlyValue == value) is { } ward ? new Placement(ward.Ward, null) : null;
        }

        return board.Select(w => (w.Ward, Bed: w.FreeBeds.FirstOrDefault(b => b.Id == value))).FirstOrDefault(p => p.Bed is not null) is { Bed: not null } chosen
            ? new Placement(chosen.Ward, chosen.Bed)
            : null;
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>
/// Reads of clinical notes (DocumentReference in the note category, see <see cref="ClinicalNote"/>),
/// through <see cref="FhirRestService"/> with the user's access like every page read.
/// </summary>
public static class NoteReads
{
    /// <summary>
    /// The patient's latest <paramref name="count"/> notes the user may see, most recently written or
    /// changed first (DocumentReference.date). For the chart summary's "recent notes" as well as the Notes tab.
    /// </summary>
    public static async Task<IReadOnlyList<ClinicalNote>> RecentAsync(FhirRestService fhir, IFhirAccess access, string patientId, int count, CancellationToken cancellationToken)
    {
        var found = await PatientReads.SearchAsync(fhir, access, "DocumentReference",
            [new("subject", $"Patient/{patientId}"), new("category", ClinicalNote.CategorySearch), new("_sort", "-date"), new("_count", count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            cancellationToken);
        return [.. found.Of<DocumentReference>().Select(ClinicalNote.From)];
    }

    /// <summary>Every version of the note the user may see, newest first (the FHIR history of the DocumentReference).</summary>
    public static async Task<IReadOnlyList<ClinicalNote>> HistoryAsync(FhirRestService fhir, IFhirAccess access, string noteId, CancellationToken cancellationToken)
    {
        var response = await fhir.HistoryAsync(access, "DocumentReference", noteId, [new("_count", "100")], cancellationToken);
        return [.. response.Bundle!.Entries
            .Where(e => e.Stored is { IsDeleted: false, Json: not null })
            .Select(e => ClinicalNote.From((DocumentReference)FhirSerialization.ParseJson(e.Stored!.Json!)))];
    }
}

using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Notes;

/// <summary>
/// What the notes pages share beyond <see cref="PatientWritePage"/>: the note named in the address
/// (which must be this patient's), and the signed-in user as its writer.
/// </summary>
public abstract class NotePageModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : PatientWritePage(fhir, gate, time)
{
    /// <summary>The note of the address, as stored now (null on pages without one).</summary>
    public DocumentReference? Document { get; protected set; }

    public ClinicalNote? Note => Document is null ? null : ClinicalNote.From(Document);

    public string Time(DateTimeOffset when) => ClinicalNote.Time(when, Clock.LocalTimeZone);

    /// <summary>The signed-in user as the writer or signer of a note.</summary>
    protected static NoteWriter Writer(RequestAccess access) => new(access.Principal.PractitionerId, access.Principal.DisplayName);

    /// <summary>
    /// Loads the patient (and the note <paramref name="noteId"/>, if given), asks the policy whether the
    /// user may do <paramref name="policyAction"/> on the clinical record, then does <paramref name="work"/>.
    /// </summary>
    protected Task<IActionResult> RunAsync(string interaction, char action, string id, string? noteId, FhirAction policyAction, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Clinical, policyAction, async access =>
        {
            if (noteId is not null)
            {
                Document = await PatientReads.ReadAsync<DocumentReference>(Fhir, access, noteId, cancellationToken);
                if (Document.Subject?.Reference != $"Patient/{id}" || !Document.Category.Any(c => c.Coding.Any(x => x.System == ClinicalNote.Loinc && x.Code == ClinicalNote.NoteCategory.Code)))
                {
                    // Another patient's note, or not a note: this address does not exist.
                    return NotFound();
                }
            }

            return await work(access);
        }, cancellationToken);

    /// <summary>The wrong-patient check for a note form.</summary>
    protected bool IsForAnotherPatient(string? postedPatientId, string id) => IsForAnotherPatient(postedPatientId, id, "enter the note again");
}

using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Patients.Merge;

/// <summary>Undo the merge of this record (the one closed by it) into another, with a reason.</summary>
public sealed class UnmergeModel(FhirRestService fhir, AccessGate gate, SystemReads systemReads, TimeProvider time) : MergePage(fhir, gate, time)
{
    /// <summary>The merge's Provenance (what it moved, who merged and why); null when this record is not merged.</summary>
    public Provenance? Merge { get; private set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        return RunAsync("read", 'R', id, access => LoadMergeAsync(access, cancellationToken), cancellationToken);
    }

    public Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return RunAsync("transaction", 'U', id, async access =>
        {
            if (IsForAnotherPatient(PatientId, id, "undo the merge again"))
            {
                PatientId = id;
                return await LoadMergeAsync(access, cancellationToken);
            }

            var shown = await LoadMergeAsync(access, cancellationToken);
            if (Merge is null || Other is null)
            {
                return shown;
            }

            AddErrors(RecordMerge.ValidateReason(Reason, "undoing the merge"), prefix: "");
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            UndoneMerge? undone = null;
            var reads = await systemReads.BeginAsync(access.Principal, $"undoing a record merge: read what the merge moved from Patient/{Record!.Id} to Patient/{Other!.Id}", [Record!.Id!, Other!.Id!], cancellationToken);
            if (!await WriteAsync(async () => undone = await RecordMerger.UndoAsync(Fhir, reads, Gate, access, Record!, Other, Merge, Reason!, Clock.GetUtcNow(), cancellationToken), "undo the merge again"))
            {
                return Page();
            }

            TempData["Notice"] = $"Merge undone: {undone!.MovedBack} {(undone.MovedBack == 1 ? "entry" : "entries")} moved back to this record."
                + (undone.Left > 0 ? $" {undone.Left} stayed with the other record because they were changed or removed after the merge: check them there." : "")
                + " Anything recorded on the other record after the merge stays there.";
            return Redirect($"/patients/{Uri.EscapeDataString(id)}");
        }, cancellationToken);
    }

    /// <summary>Finds the merge and the record it went into; the page says so when there is none.</summary>
    private async Task<IActionResult> LoadMergeAsync(RequestAccess access, CancellationToken cancellationToken)
    {
        if (RecordMerge.ReplacedBy(Record!) is not { } into
            || await RecordMerger.CurrentMergeAsync(await systemReads.BeginAsync(access.Principal, $"finding the merge of Patient/{Record!.Id} to undo", [Record!.Id!], cancellationToken), Record!.Id!, cancellationToken) is not { } merge)
        {
            return Page();
        }

        var surviving = await PatientReads.ReadPatientAsync(Fhir, Gate, access, into["Patient/".Length..], cancellationToken);
        if (await UseOtherAsync(access, surviving, cancellationToken))
        {
            Merge = merge;
        }

        return Page();
    }
}

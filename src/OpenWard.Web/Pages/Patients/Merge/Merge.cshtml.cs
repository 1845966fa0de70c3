using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Merge;

/// <summary>
/// Merge this record (the duplicate) into another (the one kept), in two steps: find the other
/// record by NHS number or hospital number and see the two side by side, then confirm with a reason.
/// </summary>
public sealed class MergeModel(FhirRestService fhir, AccessGate gate, SystemReads systemReads, TimeProvider time) : MergePage(fhir, gate, time)
{
    /// <summary>The NHS number or hospital number typed to find the record to keep.</summary>
    [BindProperty] public string? Surviving { get; set; }

    /// <summary>The id of the record to keep, once found (posted back by the confirmation step).</summary>
    [BindProperty] public string? SurvivingId { get; set; }

    /// <summary>The versions of the two records as compared at the check, posted back: a change since then stops the merge.</summary>
    [BindProperty] public string? ComparedVersions { get; set; }

    /// <summary>Set when this record has already been merged: where it went.</summary>
    public string? AlreadyMergedInto { get; private set; }

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        return RunAsync("read", 'R', id, _ =>
        {
            AlreadyMergedInto = RecordMerge.ReplacedBy(Record!);
            return Task.FromResult<IActionResult>(Page());
        }, cancellationToken);
    }

    /// <summary>Step one: find the record to keep and show both.</summary>
    public Task<IActionResult> OnPostCheckAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return RunAsync("search-type", 'R', id, async access =>
        {
            if (IsForAnotherPatient(PatientId, id, "start the merge again"))
            {
                PatientId = id;
                return Page();
            }

            var surviving = await FindAsync(access, Surviving, cancellationToken);
            AddErrors(RecordMerge.ValidateSurviving(Record!, surviving, Surviving), prefix: "");
            if (ModelState.ErrorCount == 0 && await UseOtherAsync(access, surviving!, cancellationToken))
            {
                SurvivingId = surviving!.Id;
                ComparedVersions = Versions(Record!, surviving);
            }

            return Page();
        }, cancellationToken);
    }

    /// <summary>Step two: merge, after checking everything again.</summary>
    public Task<IActionResult> OnPostMergeAsync(string id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        return RunAsync("transaction", 'U', id, async access =>
        {
            if (IsForAnotherPatient(PatientId, id, "start the merge again"))
            {
                PatientId = id;
                return Page();
            }

            var surviving = string.IsNullOrEmpty(SurvivingId) ? null : await PatientReads.ReadPatientAsync(Fhir, Gate, access, SurvivingId, cancellationToken);
            AddErrors(RecordMerge.ValidateSurviving(Record!, surviving, Surviving), prefix: "");
            AddErrors(RecordMerge.ValidateReason(Reason, "merging these records"), prefix: "");
            if (surviving is null || !await UseOtherAsync(access, surviving, cancellationToken) || ModelState.ErrorCount > 0)
            {
                return Page();
            }

            if (ComparedVersions != Versions(Record!, surviving))
            {
                // The details compared are not the details now: show them again rather than merge on an old comparison.
                ComparedVersions = Versions(Record!, surviving);
                ModelState.AddModelError(PatientKey, "One of the records changed after you compared them, so nothing was saved. Compare the two records again and merge them if they are still the same person");
                return Page();
            }

            var moved = 0;
            var reads = await systemReads.BeginAsync(access.Principal, $"record merge: find every resource of Patient/{Record!.Id} to move to Patient/{surviving.Id}", [Record!.Id!, surviving.Id!], cancellationToken);
            if (!await WriteAsync(async () => moved = await RecordMerger.MergeAsync(Fhir, reads, Gate, access, Record!, surviving, Reason!, Clock.GetUtcNow(), cancellationToken), "merge them again"))
            {
                return Page();
            }

            TempData["Notice"] = $"Records merged: {moved} {(moved == 1 ? "entry" : "entries")} moved to this record. The other record now points here.";
            return Redirect($"/patients/{Uri.EscapeDataString(surviving.Id!)}");
        }, cancellationToken);
    }

    private static string Versions(Patient duplicate, Patient surviving) => $"{duplicate.Meta?.VersionId}/{surviving.Meta?.VersionId}";

    private async Task<Patient?> FindAsync(RequestAccess access, string? number, CancellationToken cancellationToken)
    {
        if (PatientQuery.Parse(number) is not (PatientQuery.ByNhsNumber or PatientQuery.ByHospitalNumber) || string.IsNullOrWhiteSpace(number))
        {
            return null;
        }

        var found = await PatientReads.SearchAsync(Fhir, access, "Patient", [.. PatientQuery.Parse(number).ToSearchParameters(), new("_count", "2")], cancellationToken);
        // Two records with one number is the problem being fixed, not an answer: the user must say which.
        return found.Of<Patient>().Where(p => p.Id != PatientId).Take(2).ToList() is [var only] ? only : null;
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Patients;

/// <summary>Who has accessed a patient's record, to show (or print for) the patient: a privacy officer's page.</summary>
public sealed class AccessModel(AccessHistory history) : PageModel
{
    public string PatientId { get; private set; } = "";

    public IReadOnlyList<AccessEntry> Entries { get; private set; } = [];

    public string? RefusedBecause { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        PatientId = id;
        try
        {
            var entries = await PageAccess.RunAsync(HttpContext, "search-type", 'E', access => history.ForPatientAsync(access, id, 500, cancellationToken));
            if (entries is null)
            {
                return Challenge();
            }

            Entries = entries;
        }
        catch (FhirException e) when (e.Status == 403)
        {
            RefusedBecause = e.Message;
            Response.StatusCode = 403;
        }

        return Page();
    }
}

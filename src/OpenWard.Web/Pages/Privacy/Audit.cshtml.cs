using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Privacy;

/// <summary>
/// The privacy officer's search of the audit trail by user, patient, time and action: the FHIR
/// search <c>AuditEvent?altid=&amp;patient=&amp;date=&amp;action=</c>, through the same policy and audit.
/// </summary>
public sealed class AuditModel(FhirRestService fhir) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? UserName { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? PatientId { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public string? RefusedBecause { get; private set; }

    public static readonly (string Code, string Label)[] Actions =
        [("", "Any"), ("C", "Create"), ("R", "Read"), ("U", "Update"), ("D", "Delete"), ("E", "Search, sign-in and other")];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>> { new("_sort", "-date"), new("_count", "100") };
        if (!string.IsNullOrWhiteSpace(UserName))
        {
            query.Add(new("altid", UserName.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(PatientId))
        {
            query.Add(new("patient", $"Patient/{PatientId.Trim()}"));
        }

        if (From is { } from)
        {
            query.Add(new("date", "ge" + from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (To is { } to)
        {
            query.Add(new("date", "le" + to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (Actions.Any(a => a.Code == Action && a.Code.Length > 0))
        {
            query.Add(new("action", Action!));
        }

        try
        {
            var events = await PageAccess.RunAsync(HttpContext, "search-type", 'E', async access =>
            {
                var response = await fhir.SearchAsync(access, "AuditEvent", query, lenient: false, null, cancellationToken);
                return response.Bundle!.Entries.Where(e => e.Stored is not null)
                    .Select(e => (AuditEvent)FhirSerialization.ParseJson(e.Stored!.Json!)).ToList();
            });
            if (events is null)
            {
                return Challenge();
            }

            Events = events;
        }
        catch (FhirException e) when (e.Status is 400 or 403)
        {
            RefusedBecause = e.Message;
            Response.StatusCode = e.Status;
        }

        return Page();
    }
}

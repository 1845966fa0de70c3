using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OpenWard.Web.Pages;

/// <summary>
/// The page people see when something fails (the exception handler sends them here) or a page
/// does not exist or is not theirs (status code pages). No internals: the request id links it to
/// the log entry.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int ShownStatusCode { get; private set; }
    public string RequestId { get; private set; } = "";

    public string Heading => ShownStatusCode switch
    {
        404 => "Page not found",
        403 => "You do not have permission to see this page",
        >= 400 and < 500 => "Sorry, there is a problem with your request",
        _ => "Sorry, there is a problem with the service",
    };

    // Every method: the failed request is re-run here with its own method (a POST stays a POST).
    public void OnGet(int? statusCode) => Describe(statusCode);

    public void OnPost(int? statusCode) => Describe(statusCode);

    private void Describe(int? statusCode)
    {
        // Status code pages put the status in the path; the exception handler sends /Error.
        ShownStatusCode = statusCode ?? 500;
        // Visited directly, the page still answers with the status it describes.
        Response.StatusCode = ShownStatusCode;
        RequestId = HttpContext.TraceIdentifier;
    }
}

using OpenWard.Fhir;


namespace OpenWard.Web.Security;

/// <summary>
/// How a page reads and writes the record: through the same <see cref="RequestAccess"/> as the API
/// (policy on every resource, one audit event per page view, refusals audited too).
/// </summary>
public static class PageAccess
{
    /// <summary>
    /// Runs <paramref name="work"/> for the signed-in member of staff and records its audit event;
    /// null when nobody is signed in (the page then asks them to sign in).
    /// </summary>
    public static async Task<T?> RunAsync<T>(HttpContext context, string interaction, char action, Func<RequestAccess, Task<T>> work)
        where T : class
    {
        var access = await context.RequestServices.GetRequiredService<AccessFactory>()
            .ForPageAsync(context, new RequestDescription(interaction, action, AccessFactory.Address(context)));
        if (access is null)
        {
            return null;
        }

        try
        {
            var result = await work(access);
            await access.RecordSuccessAsync(context.RequestAborted);
            return result;
        }
        catch (FhirException e)
        {
            await access.RecordFailureAsync(e.Status, e.Message, CancellationToken.None);
            throw;
        }
    }

}

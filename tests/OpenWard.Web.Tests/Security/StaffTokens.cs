using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// Access tokens for a member of staff, issued by the same TokenService as the SMART
/// authorization-code flow, directly so that policy tests need no sign-in dance.
/// </summary>
public static class StaffTokens
{
    public static string Mint(ServerFixture server, string userName, string scope = "user/*.cruds", string? patient = null) =>
        server.Services.GetRequiredService<TokenService>().IssueForStaff(userName, "policy-tests", scope, patient);

    public static HttpClient Client(ServerFixture server, string userName, string scope = "user/*.cruds", string? patient = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.FhirUrl + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Mint(server, userName, scope, patient));
        return client;
    }
}

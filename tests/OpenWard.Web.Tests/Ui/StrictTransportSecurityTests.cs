using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

/// <summary>HSTS is sent only over HTTPS: over plain HTTP the header means nothing and browsers ignore it.</summary>
public sealed class StrictTransportSecurityTests
{
    private static async Task<HttpResponseMessage> GetAsync(string baseAddress)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.MapGet("/", () => "hello");
        await app.StartAsync();
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri(baseAddress);
        var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        await app.DisposeAsync();
        return response;
    }

    [Fact]
    public async Task Https_responses_carry_strict_transport_security()
    {
        using var response = await GetAsync("https://openward.test");

        Assert.Equal([SecurityHeadersMiddleware.StrictTransportSecurity], response.Headers.GetValues("Strict-Transport-Security"));
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Http_responses_do_not()
    {
        using var response = await GetAsync("http://openward.test");

        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }
}

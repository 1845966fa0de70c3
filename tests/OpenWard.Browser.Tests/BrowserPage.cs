using Microsoft.Playwright;

namespace OpenWard.Browser.Tests;

/// <summary>
/// A page of its own browser context, with everything that went wrong while it was open: console
/// errors, uncaught script errors, failed requests, 4xx/5xx responses and blocked outside requests.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    internal BrowserPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Record($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => Record($"script error: {error}");
        page.RequestFailed += (_, request) => Record($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                Record($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    internal void Record(string problem)
    {
        lock (_problems)
        {
            _problems.Add(problem);
        }
    }

    /// <summary>Goes to <paramref name="path"/> and waits until the network has been quiet for a moment.</summary>
    public Task<IResponse?> GotoAsync(string path) => Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });

    /// <summary>Signs in as a demo member of staff and waits until the header shows the session.</summary>
    public async Task SignInAsync(string userName)
    {
        await GotoAsync("/signin");
        await Page.GetByLabel("User name").FillAsync(userName);
        await Page.GetByLabel("Password").FillAsync(OpenWard.Web.Security.DemoStaff.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    public ValueTask DisposeAsync() => _context.DisposeAsync();
}

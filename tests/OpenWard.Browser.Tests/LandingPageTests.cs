using Microsoft.Playwright;

namespace OpenWard.Browser.Tests;

/// <summary>The landing page at "/" in Chromium: accessible, styled, scripted, keyboard-first.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LandingPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Landing_page_has_no_wcag_2_2_aa_violations()
    {
        await using var page = await browser.NewPageAsync();
        await page.GotoAsync("/");

        await BrowserFixture.AssertNoAxeViolationsAsync(page.Page);
        await BrowserFixture.ScreenshotAsync(page.Page, "landing-page");
    }

    [Fact]
    public async Task Landing_page_loads_its_styles_and_scripts_with_no_errors_or_outside_requests()
    {
        await using var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/");

        Assert.Equal(200, response!.Status);
        Assert.Equal("Electronic patient record - OpenWard", await page.Page.TitleAsync());
        // The NHS stylesheet applied: the header is NHS blue (#005eb8).
        Assert.Equal("rgb(0, 94, 184)", await page.Page.EvalOnSelectorAsync<string>("header.nhsuk-header", "e => getComputedStyle(e).backgroundColor"));
        // The module ran and started the NHS components; htmx loaded.
        Assert.Contains("nhsuk-frontend-supported", await page.Page.EvalOnSelectorAsync<string>("body", "e => e.className"), StringComparison.Ordinal);
        Assert.True(await page.Page.EvaluateAsync<bool>("() => typeof window.htmx === 'object'"));
        Assert.Empty(page.Problems);
    }

    [Fact]
    public async Task First_tab_reveals_and_focuses_the_skip_link_which_moves_focus_to_the_main_content()
    {
        await using var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        var skipLink = page.Page.Locator("a.nhsuk-skip-link");
        Assert.True((await skipLink.BoundingBoxAsync())!.Width <= 1, "The skip link must be visually hidden until it has focus.");

        await page.Page.Keyboard.PressAsync("Tab");
        Assert.True((await skipLink.BoundingBoxAsync())!.Width > 50, "The focused skip link must be visible.");
        Assert.Equal("Skip to main content", await page.Page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
        await Assertions.Expect(skipLink).ToBeFocusedAsync();

        await page.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Page.Locator("main#maincontent")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Page_not_found_is_an_accessible_nhs_page()
    {
        await using var page = await browser.NewPageAsync();
        var response = await page.GotoAsync("/no-such-page");

        Assert.Equal(404, response!.Status);
        Assert.Equal("Page not found - OpenWard", await page.Page.TitleAsync());
        await BrowserFixture.AssertNoAxeViolationsAsync(page.Page);
        await BrowserFixture.ScreenshotAsync(page.Page, "page-not-found");
    }
}

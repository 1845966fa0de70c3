using Microsoft.Playwright;

namespace OpenWard.Browser.Tests;

/// <summary>
/// The break-glass flow in a real browser, as a ward nurse at 3 a.m. meets it: she signs in, opens
/// a patient who is not on her ward, is asked why, is told plainly what is missing when she gives no
/// reason, gives one, and sees the record. The privacy officer then finds the access in the review
/// queue, records a review, and sees the access marked in who has accessed the record. Every page
/// is scanned with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BreakGlassFlowTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_nurse_breaks_glass_with_a_reason_and_the_privacy_officer_reviews_it()
    {
        var patientId = await DemoWard.PatientWithoutNurseAsync(browser.Services);

        await using (var nurse = await browser.NewPageAsync())
        {
            await nurse.SignInAsync("nurse");
            await nurse.GotoAsync($"/patients/{patientId}");
            await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "You need a reason to open this record" })).ToBeVisibleAsync();
            await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
            await BrowserFixture.ScreenshotAsync(nurse.Page, "break-glass");

            // No reason: an NHS error summary, and the record stays closed.
            await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Open the record" }).ClickAsync();
            await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("There is a problem");
            await Assertions.Expect(nurse.Page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
            await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

            // "Other" needs words; what she typed is kept.
            await nurse.Page.GetByLabel("Other reason (describe it)").CheckAsync();
            await nurse.Page.GetByLabel("Details (needed for \"Other\")").FillAsync("ill");
            await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Open the record" }).ClickAsync();
            await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToBeVisibleAsync();
            await Assertions.Expect(nurse.Page.GetByLabel("Details (needed for \"Other\")")).ToHaveValueAsync("ill");

            await nurse.Page.GetByLabel("Emergency care: the patient needs treatment now").CheckAsync();
            await nurse.Page.GetByLabel("How long do you need access for?").SelectOptionAsync("2");
            await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Open the record" }).ClickAsync();

            await Assertions.Expect(nurse.Page.GetByText("You have access to this record until")).ToBeVisibleAsync();
            await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Latest observations" })).ToBeVisibleAsync();
            await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
            Assert.Empty(nurse.Problems);
        }

        await using var privacy = await browser.NewPageAsync();
        await privacy.SignInAsync("privacy");
        await privacy.Page.GetByRole(AriaRole.Link, new() { Name = "Break-glass reviews" }).ClickAsync();
        var card = privacy.Page.Locator(".nhsuk-card", new() { HasText = $"Patient/{patientId}" });
        await Assertions.Expect(card).ToContainTextAsync("Nia Evans");
        await Assertions.Expect(card).ToContainTextAsync("Emergency care");
        await BrowserFixture.AssertNoAxeViolationsAsync(privacy.Page);
        await BrowserFixture.ScreenshotAsync(privacy.Page, "break-glass-review-queue");

        await card.GetByLabel("Appropriate").CheckAsync();
        await card.GetByLabel("Note (optional)").FillAsync("Emergency team call confirmed");
        await card.GetByRole(AriaRole.Button, new() { Name = "Record review" }).ClickAsync();
        await Assertions.Expect(privacy.Page.GetByText("Review recorded.")).ToBeVisibleAsync();
        await Assertions.Expect(privacy.Page.Locator(".nhsuk-card", new() { HasText = $"Patient/{patientId}" })).ToHaveCountAsync(0);

        await privacy.GotoAsync($"/patients/{patientId}/access");
        var breakGlassRow = privacy.Page.Locator("tr", new() { HasText = "Used break-glass to open the record" });
        await Assertions.Expect(breakGlassRow.First).ToContainTextAsync("Nia Evans");
        await Assertions.Expect(privacy.Page.Locator("tr", new() { HasText = "Viewed part of the record" }).Filter(new() { HasText = "Break-glass" }).First).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(privacy.Page);

        await privacy.Page.GetByRole(AriaRole.Link, new() { Name = "Audit trail" }).ClickAsync();
        await privacy.Page.GetByLabel("Patient id").FillAsync(patientId);
        await privacy.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(privacy.Page.Locator("tr", new() { HasText = "nurse" }).First).ToBeVisibleAsync();
        await BrowserFixture.AssertNoAxeViolationsAsync(privacy.Page);
        Assert.Empty(privacy.Problems);
    }

    [Fact]
    public async Task A_wrong_password_is_explained_and_the_user_name_kept()
    {
        await using var page = await browser.NewPageAsync();
        await page.GotoAsync("/signin");
        await BrowserFixture.AssertNoAxeViolationsAsync(page.Page);
        await BrowserFixture.ScreenshotAsync(page.Page, "sign-in");

        await page.Page.GetByLabel("User name").FillAsync("nurse");
        await page.Page.GetByLabel("Password").FillAsync("not-the-password");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter a correct user name and password");
        await Assertions.Expect(page.Page.GetByLabel("User name")).ToHaveValueAsync("nurse");
        await Assertions.Expect(page.Page.GetByLabel("Password")).ToHaveValueAsync("");
        await BrowserFixture.AssertNoAxeViolationsAsync(page.Page);
    }
}

using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using Xunit.Abstractions;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Issue #4's weight budget: the HTML, CSS and JavaScript a chart page transfers, compressed as
/// Chromium negotiates it, is at most 150 KB, so the chart opens quickly on a slow connection. The
/// browser's cache is off (BrowserPage routes every request), so this is a first visit's cost.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageWeightTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const long BudgetBytes = 150 * 1024;

    /// <summary>A bed of the nurse's ward that no other browser test uses.</summary>
    private const string Bed = "loc-ward-01-bed-21";

    [Fact]
    public async Task A_chart_summary_transfers_at_most_150_KB_of_html_css_and_javascript()
    {
        var patient = new Patient
        {
            Name = [new HumanName { Family = "Weightman", Given = ["Petra"], Use = HumanName.NameUse.Official }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1950-04-01",
        };
        var patientId = (await browser.Services.GetRequiredService<FhirRestService>().CreateAsync(OperatorAccess.Instance, "Patient", patient, null, default)).Stored!.Id;
        await DemoWard.AdmitAsync(browser.Services, patientId, Bed, TimeSpan.FromDays(1));
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        // Let the page signing in left finish loading, so only the chart's own requests are counted.
        await nurse.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var responses = new List<IResponse>();
        nurse.Page.Response += (_, response) => responses.Add(response);

        await nurse.GotoAsync($"/patients/{patientId}");

        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Navigation, new() { Name = "Patient record" })).ToBeVisibleAsync();
        var counted = new List<(string Url, string Type, long Bytes)>();
        foreach (var response in responses)
        {
            var sizes = await response.Request.SizesAsync();
            counted.Add((response.Url, response.Request.ResourceType, sizes.ResponseBodySize + sizes.ResponseHeadersSize));
        }

        foreach (var (url, type, bytes) in counted)
        {
            output.WriteLine($"{type,-10} {bytes,8:N0} bytes  {url}");
        }

        var code = counted.Where(c => c.Type is "document" or "stylesheet" or "script").ToList();
        Assert.Contains(code, c => c.Type == "document");
        Assert.Contains(code, c => c.Type == "stylesheet");
        Assert.Contains(code, c => c.Type == "script");
        var total = code.Sum(c => c.Bytes);
        output.WriteLine($"HTML+CSS+JS: {total:N0} bytes of {BudgetBytes:N0}; everything: {counted.Sum(c => c.Bytes):N0} bytes");
        Assert.True(total <= BudgetBytes, $"The chart page transferred {total:N0} bytes of HTML, CSS and JavaScript, over the budget of {BudgetBytes:N0}.");
        Assert.Empty(nurse.Problems);
    }
}

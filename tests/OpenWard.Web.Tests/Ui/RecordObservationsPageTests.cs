using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Security;
using OpenWard.Web.Tests.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Tests.Ui;

/// <summary>
/// The observations pages over plain HTTP, as a browser without JavaScript posts them: a set
/// saves and redirects to its score; a form opened for another patient saves nothing; a nurse
/// cannot prescribe SpO2 scale 2. Signed in as the demo nurse, for a patient on her ward.
/// </summary>
[Collection(SmartServerCollection.Name)]
public sealed class RecordObservationsPageTests(SmartServerFixture server)
{
    private FhirRestService Fhir => server.Services.GetRequiredService<FhirRestService>();

    private async Task<TestBrowser> NurseAsync()
    {
        var browser = new TestBrowser();
        await browser.SignInAsync($"{server.BaseUrl}/signin", "nurse", DemoStaff.Password);
        return browser;
    }

    private async Task<int> CountAsync(string type, string patientId) =>
        (await PatientReads.SearchAsync(Fhir, OperatorAccess.Instance, type, [new("patient", patientId), new("_count", "1000")], default)).Matches.Count;

    private static List<KeyValuePair<string, string>> Form(string html, string patientId, params (string Name, string Value)[] values) =>
    [
        new("__RequestVerificationToken", TestBrowser.Hidden(html, "__RequestVerificationToken")),
        new("Input.PatientId", patientId),
        new("Input.OpenedAt", TestBrowser.Hidden(html, "Input.OpenedAt")),
        new("Input.Date", TestBrowser.Hidden(html, "Input.Date")),
        new("Input.Time", TestBrowser.Hidden(html, "Input.Time")),
        .. values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)),
    ];

    [Fact]
    public async Task A_set_posted_without_javascript_is_saved_and_the_page_redirects_to_its_score()
    {
        var patient = server.WardPatients[0];
        using var nurse = await NurseAsync();
        var url = $"{server.BaseUrl}/patients/{patient}/observations/record";
        using var page = await nurse.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var before = await CountAsync("Observation", patient);

        using var saved = await nurse.PostFormAsync(url, Form(html, patient, ("Input.RespirationRate", "22"), ("Input.Pulse", "95"), ("Input.AirOrOxygen", "air")));

        var score = TestBrowser.Location(saved, url);
        Assert.StartsWith($"/patients/{patient}/observations/news2/news2-", score.AbsolutePath, StringComparison.Ordinal);
        // Three inputs and the score the write rule added in the same transaction.
        Assert.Equal(before + 4, await CountAsync("Observation", patient));
        using var result = await nurse.GetAsync(score.ToString());
        var text = await result.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Contains("NEWS2 score 3 (incomplete)", text, StringComparison.Ordinal);
        Assert.Contains("Incomplete — missing: SpO2, systolic blood pressure, consciousness (ACVPU), temperature", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_opened_for_another_patient_saves_nothing()
    {
        var patient = server.WardPatients[0];
        var other = server.WardPatients[1];
        using var nurse = await NurseAsync();
        var url = $"{server.BaseUrl}/patients/{patient}/observations/record";
        using var page = await nurse.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        var before = await CountAsync("Observation", patient);

        using var posted = await nurse.PostFormAsync(url, Form(html, other, ("Input.Pulse", "80")));

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("This form was opened for a different patient", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync("Observation", patient));
    }

    [Fact]
    public async Task A_nurse_cannot_prescribe_SpO2_scale_2()
    {
        var patient = server.WardPatients[1];
        using var nurse = await NurseAsync();
        var url = $"{server.BaseUrl}/patients/{patient}/observations/scale2";
        using var page = await nurse.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Only a doctor can prescribe or stop SpO2 scale 2", html, StringComparison.Ordinal);
        var before = await CountAsync("Goal", patient);

        using var posted = await nurse.PostFormAsync(url + "?handler=Start", [new("__RequestVerificationToken", TestBrowser.Hidden(html, "__RequestVerificationToken")), new("PatientId", patient), new("Hypercapnic", "true")]);

        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Equal(before, await CountAsync("Goal", patient));
    }
}

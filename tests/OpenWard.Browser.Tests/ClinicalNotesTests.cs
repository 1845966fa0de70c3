using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Pages.Patients.Notes;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Browser.Tests;

/// <summary>
/// Clinical notes as the demo nurse writes them: from a template, signed, amended with a reason, and
/// refused when someone else changed the note since she opened it. Each test uses a patient of its
/// own (ids "aaa-notes-…", which sort before the demo patients so that tests picking demo patients by
/// position are not affected), admitted to beds 11, 12 and 13 of her ward, which no other test uses.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ClinicalNotesTests(BrowserFixture browser)
{
    private FhirRestService Fhir => browser.Services.GetRequiredService<FhirRestService>();

    [Fact]
    public async Task The_nurse_writes_a_handover_from_a_template_signs_it_and_amends_it_keeping_both_versions()
    {
        var patientId = await PatientOnTheNursesWardAsync("aaa-notes-1", "loc-ward-01-bed-11");
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        await nurse.GotoAsync($"/patients/{patientId}/notes");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Notes", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Write a note" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("You are writing a note for")).ToContainTextAsync("NHS number");
        await nurse.Page.GetByLabel("Template").SelectOptionAsync("nursing-handover");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Use this template" }).ClickAsync();
        await Assertions.Expect(nurse.Page).ToHaveURLAsync(new Regex("template=nursing-handover"));
        await Assertions.Expect(nurse.Page.GetByLabel("Note", new() { Exact = true })).ToHaveValueAsync(new Regex("^Situation:"));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "note-new");

        // The headings alone are not a note: an error, and what she typed is kept.
        await nurse.Page.GetByLabel("Title (optional)").FillAsync("Night shift handover");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the note" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Write the note under the headings");
        await Assertions.Expect(nurse.Page).ToHaveTitleAsync(new Regex("^Error: "));
        await Assertions.Expect(nurse.Page.GetByLabel("Title (optional)")).ToHaveValueAsync("Night shift handover");
        await Assertions.Expect(nurse.Page.GetByLabel("Note", new() { Exact = true })).ToHaveValueAsync(new Regex("Recommendation:"));
        Assert.Empty(await NotesAsync(patientId));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);

        await nurse.Page.GetByLabel("Note", new() { Exact = true }).FillAsync("Situation:\nSettled overnight.\n\nRecommendation:\nObservations 4-hourly.");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the note" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByText("Note signed.")).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Night shift handover", Level = 1 })).ToBeVisibleAsync();
        var signed = Assert.Single(await NotesAsync(patientId));
        Assert.Equal(NoteState.Signed, signed.State);
        Assert.Equal("Observations 4-hourly.", signed.Text.Split('\n')[^1]);

        await nurse.Page.GetByRole(AriaRole.Link, new() { Name = "Back to notes" }).ClickAsync();
        var row = nurse.Page.Locator("tr", new() { HasText = "Night shift handover" });
        await Assertions.Expect(row).ToContainTextAsync("Signed");
        await Assertions.Expect(row).ToContainTextAsync("Nursing shift handover");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "notes-tab");

        await row.GetByRole(AriaRole.Link, new() { Name = "Night shift handover" }).ClickAsync();
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Amend the note" }).ClickAsync();
        await nurse.Page.GetByLabel("Note", new() { Exact = true }).FillAsync("Situation:\nSettled overnight.\n\nRecommendation:\nObservations hourly.");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the amendment" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter the reason for the amendment");
        await Assertions.Expect(nurse.Page.GetByLabel("Note", new() { Exact = true })).ToHaveValueAsync(new Regex("Observations hourly"));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await nurse.Page.GetByLabel("Reason for the amendment").FillAsync("Frequency wrongly recorded");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the amendment" }).ClickAsync();

        await Assertions.Expect(nurse.Page.GetByText("Note amended.")).ToBeVisibleAsync();
        var versions = nurse.Page.Locator("li.nhsuk-card");
        await Assertions.Expect(versions).ToHaveCountAsync(2);
        await Assertions.Expect(versions.Nth(0)).ToContainTextAsync("Version 2: Amended by");
        await Assertions.Expect(versions.Nth(0)).ToContainTextAsync("Frequency wrongly recorded");
        await Assertions.Expect(versions.Nth(0)).ToContainTextAsync("Observations hourly.");
        await Assertions.Expect(versions.Nth(1)).ToContainTextAsync("Version 1: Signed by");
        await Assertions.Expect(versions.Nth(1)).ToContainTextAsync("Observations 4-hourly.");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "note-history");
        Assert.Equal(NoteState.Amended, Assert.Single(await NotesAsync(patientId)).State);
        Assert.Empty(nurse.Problems);
    }

    [Fact]
    public async Task An_amendment_of_a_note_changed_since_it_was_opened_is_refused_and_shows_the_other_change()
    {
        var patientId = await PatientOnTheNursesWardAsync("aaa-notes-2", "loc-ward-01-bed-12");
        var form = new NoteForm { Template = "ward-round", Text = "Plan:\nHome tomorrow.", Action = NoteForm.SignAction };
        var created = await Fhir.CreateAsync(OperatorAccess.Instance, "DocumentReference", form.ToResource(patientId, new NoteWriter(null, "Dr First"), DateTimeOffset.UtcNow.AddHours(-3)), null, default);
        var noteId = created.Stored!.Id;
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patientId}/notes/{noteId}/edit");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Amend the note" })).ToBeVisibleAsync();

        // Meanwhile a doctor amends the note.
        var current = (DocumentReference)FhirSerialization.ParseJson(created.Stored.Json!);
        var theirs = new NoteForm { Text = "Plan:\nStay in: fever overnight.", Reason = "Plan changed after review" }.Amended(current, new NoteWriter(null, "Dr Other"), DateTimeOffset.UtcNow);
        await Fhir.UpdateAsync(OperatorAccess.Instance, "DocumentReference", noteId, theirs, $"W/\"{created.Stored.VersionId}\"", default);

        await nurse.Page.GetByLabel("Note", new() { Exact = true }).FillAsync("Plan:\nHome tomorrow with district nurse.");
        await nurse.Page.GetByLabel("Reason for the amendment").FillAsync("Follow-up added");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the amendment" }).ClickAsync();

        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("This note was changed by Dr Other at");
        var warning = nurse.Page.Locator(".nhsuk-warning-callout");
        await Assertions.Expect(warning).ToContainTextAsync("since you opened it");
        await Assertions.Expect(warning).ToContainTextAsync("Stay in: fever overnight.");
        await Assertions.Expect(nurse.Page.GetByLabel("Note", new() { Exact = true })).ToHaveValueAsync(new Regex("district nurse"));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await BrowserFixture.ScreenshotAsync(nurse.Page, "note-changed-meanwhile");

        var history = await NoteReads.HistoryAsync(Fhir, OperatorAccess.Instance, noteId, default);
        Assert.Equal(2, history.Count);
        Assert.Contains("Stay in: fever overnight.", history[0].Text, StringComparison.Ordinal);
        Assert.DoesNotContain(history, v => v.Text.Contains("district nurse", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_note_is_marked_entered_in_error_with_a_reason_and_stays_in_the_history()
    {
        var patientId = await PatientOnTheNursesWardAsync("aaa-notes-3", "loc-ward-01-bed-13");
        var form = new NoteForm { Template = "note", Text = "Wrong patient's note.", Action = NoteForm.SignAction };
        var created = await Fhir.CreateAsync(OperatorAccess.Instance, "DocumentReference", form.ToResource(patientId, new NoteWriter(null, "Nurse Demo"), DateTimeOffset.UtcNow), null, default);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        await nurse.GotoAsync($"/patients/{patientId}/notes/{created.Stored!.Id}");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as entered in error" }).ClickAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "Mark the note as entered in error" })).ToBeVisibleAsync();
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as entered in error" }).ClickAsync();
        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("Enter why the note was entered in error");
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        await nurse.Page.GetByLabel("Why was it entered in error?").FillAsync("Written for the wrong patient");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Mark as entered in error" }).ClickAsync();

        await Assertions.Expect(nurse.Page.GetByText("Note marked as entered in error.")).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.Locator("li.nhsuk-card")).ToHaveCountAsync(2);
        await Assertions.Expect(nurse.Page.Locator("li.nhsuk-card").Nth(0)).ToContainTextAsync("Written for the wrong patient");
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Amend the note" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.Equal(NoteState.EnteredInError, Assert.Single(await NotesAsync(patientId)).State);
    }

    [Fact]
    public async Task A_note_form_posted_with_another_patients_id_saves_nothing()
    {
        var patientId = await PatientOnTheNursesWardAsync("aaa-notes-4", "loc-ward-01-bed-14");
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");
        await nurse.GotoAsync($"/patients/{patientId}/notes/new?template=note");

        await nurse.Page.Locator("input[name='Input.PatientId']").EvaluateAsync("field => field.value = 'some-other-patient'");
        await nurse.Page.GetByLabel("Note", new() { Exact = true }).FillAsync("Wrong-patient test note");
        await nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the note" }).ClickAsync();

        await Assertions.Expect(nurse.Page.Locator(".nhsuk-error-summary")).ToContainTextAsync("This form was opened for a different patient");
        await Assertions.Expect(nurse.Page.GetByText("Nothing was saved")).ToBeVisibleAsync();
        Assert.Empty(await NotesAsync(patientId));
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
    }

    [Fact]
    public async Task A_patient_the_nurse_does_not_care_for_gets_a_clear_refusal_and_no_note_form()
    {
        var patientId = await DemoWard.PatientWithoutNurseAsync(browser.Services);
        await using var nurse = await browser.NewPageAsync();
        await nurse.SignInAsync("nurse");

        var response = await nurse.GotoAsync($"/patients/{patientId}/notes/new");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Heading, new() { Name = "You cannot write notes for this patient" })).ToBeVisibleAsync();
        await Assertions.Expect(nurse.Page.GetByRole(AriaRole.Button, new() { Name = "Sign the note" })).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoAxeViolationsAsync(nurse.Page);
        Assert.Equal(403, (await nurse.GotoAsync($"/patients/{patientId}/notes"))!.Status);
    }

    /// <summary>A patient of this test's own (illustrative), admitted now to <paramref name="bed"/> of the nurse's ward.</summary>
    private async Task<string> PatientOnTheNursesWardAsync(string id, string bed)
    {
        var patient = new Patient
        {
            Id = id,
            Name = [new HumanName { Family = "Notes", Given = [$"Test{id[^1]}"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1950-01-01",
        };
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", id, patient, null, default);
        await DemoWard.AdmitAsync(browser.Services, id, bed, TimeSpan.FromDays(1));
        return id;
    }

    private async Task<IReadOnlyList<ClinicalNote>> NotesAsync(string patientId) =>
        await NoteReads.RecentAsync(Fhir, OperatorAccess.Instance, patientId, 50, default);
}

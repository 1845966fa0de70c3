using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Chart;

/// <summary>
/// The Timeline tab: everything dated in the patient's record, newest first, <see cref="Ui.Timeline.PageSize"/>
/// at a time. Not <c>Patient/{id}/$everything</c>, which returns the whole record: one date-sorted
/// search of at most a page per kind of resource (<see cref="Sources"/>), merged by <see cref="Ui.Timeline.Merge"/>;
/// the "older" link carries each search's offset (?from=).
/// </summary>
public sealed class TimelineModel(FhirRestService fhir, AccessGate gate, TimeProvider time) : ChartPageModel(fhir, gate, time)
{
    /// <summary>One kind of resource on the timeline: its type, the date search parameter it is sorted by, and how an entry reads.</summary>
    private sealed record Source(string Type, string DateParameter, Func<Resource, TimeZoneInfo, string, TimelineEntry> Entry);

    /// <summary>The kinds of resource on the timeline, with the R4 search parameter each is sorted by (newest first).</summary>
    private static readonly Source[] Sources =
    [
        new("Encounter", "date", (r, zone, id) => Encounter((Encounter)r, zone, id)),
        new("Observation", "date", (r, zone, id) => Observation((Observation)r, zone, id)),
        new("Condition", "recorded-date", (r, zone, id) => Condition((Condition)r, zone, id)),
        new("AllergyIntolerance", "date", (r, zone, id) => Allergy((AllergyIntolerance)r, zone, id)),
        new("MedicationRequest", "authoredon", (r, zone, id) => Prescription((MedicationRequest)r, zone, id)),
        new("MedicationStatement", "effective", (r, zone, id) => Statement((MedicationStatement)r, zone, id)),
        new("DiagnosticReport", "date", (r, zone, id) => Report((DiagnosticReport)r, zone, id)),
        new("DocumentReference", "date", (r, zone, id) => Document((DocumentReference)r, zone, id)),
        new("Composition", "date", (r, zone, id) => Note((Composition)r, zone, id)),
        new("Procedure", "date", (r, zone, _) => Procedure((Procedure)r, zone)),
    ];

    public override ChartTab Tab => ChartTabs.Timeline;

    public IReadOnlyList<TimelineEntry> Entries { get; private set; } = [];

    /// <summary>The cursor of the next (older) page; null when this is the last.</summary>
    public string? Older { get; private set; }

    /// <summary>This is not the first page.</summary>
    public bool Later { get; private set; }

    /// <summary>Kinds of record the user's role may not see, so the timeline leaves them out.</summary>
    public IReadOnlyList<string> Hidden { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(string id, string? from, CancellationToken cancellationToken) => ShowChartAsync(id, async access =>
    {
        var offsets = Ui.Timeline.ParseCursor(from, Sources.Length);
        Later = offsets.Any(o => o > 0);
        var pages = new List<TimelineSourcePage>(Sources.Length);
        var hidden = new List<string>();
        var count = Ui.Timeline.PageSize.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < Sources.Length; i++)
        {
            var source = Sources[i];
            var found = await SearchSectionAsync(access, source.Type, [new("_sort", "-" + source.DateParameter), new("_count", count), new("_offset", offsets[i].ToString(CultureInfo.InvariantCulture))], cancellationToken);
            if (found is null)
            {
                hidden.Add(source.Type);
                pages.Add(new([], Ui.Timeline.PageSize, false));
                continue;
            }

            pages.Add(new([.. found.Matches.Select(r => source.Entry(r, Zone, id))], Ui.Timeline.PageSize, found.More));
        }

        var (entries, next) = Ui.Timeline.Merge(pages, offsets);
        Entries = entries;
        Older = next is null ? null : Ui.Timeline.FormatCursor(next);
        Hidden = hidden;
    }, cancellationToken);

    private static TimelineEntry Encounter(Encounter e, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Instant(e.Period), ChartDisplay.When(e.Period, zone), "Encounter", e.Class?.Display ?? ChartDisplay.Words(e.Class?.Code), $"{ChartDisplay.Words(e.Status)}: {ChartDisplay.Period(e.Period, zone)}", ChartTabs.Encounters.Href(id));

    private static TimelineEntry Observation(Observation o, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Instant(o.Effective), ChartDisplay.When(o.Effective, zone), "Observation", PatientDisplay.Text(o.Code), ChartDisplay.Value(o), ChartTabs.Observations.Href(id));

    private static TimelineEntry Condition(Condition c, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Parse(c.RecordedDate) ?? ChartDisplay.Instant(c.Onset), ChartDisplay.When(c.RecordedDateElement ?? c.Onset, zone), "Problem recorded", PatientDisplay.Text(c.Code), ChartDisplay.Status(c.ClinicalStatus), ChartTabs.Problems.Href(id));

    private static TimelineEntry Allergy(AllergyIntolerance a, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Parse(a.RecordedDate), ChartDisplay.When(a.RecordedDate, zone), "Allergy recorded", PatientDisplay.Text(a.Code), ChartDisplay.Status(a.ClinicalStatus), ChartTabs.Allergies.Href(id));

    private static TimelineEntry Prescription(MedicationRequest m, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Parse(m.AuthoredOn), ChartDisplay.When(m.AuthoredOn, zone), "Prescribed", ChartDisplay.Medicine(m.Medication), ChartDisplay.Dosage(m.DosageInstruction), ChartTabs.Medicines.Href(id));

    private static TimelineEntry Statement(MedicationStatement m, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Instant(m.Effective), ChartDisplay.When(m.Effective, zone), "Medicine reported", ChartDisplay.Medicine(m.Medication), ChartDisplay.Dosage(m.Dosage), ChartTabs.Medicines.Href(id));

    private static TimelineEntry Report(DiagnosticReport r, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Instant(r.Effective) ?? r.Issued, ChartDisplay.When(r.Effective ?? r.IssuedElement, zone), "Report", PatientDisplay.Text(r.Code), r.Conclusion ?? ChartDisplay.Words(r.Status), ChartTabs.Results.Href(id));

    private static TimelineEntry Document(DocumentReference d, TimeZoneInfo zone, string id) =>
        new(d.Date, ChartDisplay.When(d.DateElement, zone), "Document", ChartDisplay.DocumentTitle(d), ChartDisplay.Words(d.Status), ChartTabs.Documents.Href(id));

    private static TimelineEntry Note(Composition c, TimeZoneInfo zone, string id) =>
        new(ChartDisplay.Parse(c.Date), ChartDisplay.When(c.Date, zone), "Note", c.Title ?? PatientDisplay.Text(c.Type), ChartDisplay.Words(c.Status), ChartTabs.Notes.Href(id));

    private static TimelineEntry Procedure(Procedure p, TimeZoneInfo zone) =>
        new(ChartDisplay.Instant(p.Performed), ChartDisplay.When(p.Performed, zone), "Procedure", PatientDisplay.Text(p.Code), ChartDisplay.Words(p.Status), null);
}

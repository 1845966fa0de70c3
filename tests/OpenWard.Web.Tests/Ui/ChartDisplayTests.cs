using Hl7.Fhir.Model;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class ChartDisplayTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public void A_document_is_listed_by_its_description_else_its_attachment_title_else_its_type()
    {
        var type = new CodeableConcept("http://loinc.org", "34746-8", "Nurse Note");
        var note = new DocumentReference { Type = type, Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = "Arrival on the ward" } }] };

        Assert.Equal("Arrival on the ward", ChartDisplay.DocumentTitle(note));
        note.Description = "Discharge letter";
        Assert.Equal("Discharge letter", ChartDisplay.DocumentTitle(note));
        Assert.Equal("Nurse Note", ChartDisplay.DocumentTitle(new DocumentReference { Type = type, Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { Title = " " } }] }));
    }

    [Fact]
    public void The_latest_reading_of_each_code_is_kept_whatever_order_the_readings_come_in()
    {
        var readings = new[]
        {
            Reading("8867-4", "Heart rate", 120, "2026-03-01T08:00:00Z"),
            Reading("9279-1", "Respiratory rate", 18, "2026-02-20T08:00:00Z"),
            Reading("8867-4", "Heart rate", 88, "2026-03-02T08:00:00Z"),
            Reading("8867-4", "Heart rate", 70, null),
        };

        var latest = ChartDisplay.LatestOfEachCode(readings);

        Assert.Equal(["Heart rate 88 /min", "Respiratory rate 18 /min"], latest.Select(o => $"{o.Code.Text} {ChartDisplay.Value(o)}"));
    }

    [Fact]
    public void Readings_coded_only_by_text_are_told_apart_by_their_text()
    {
        var readings = new[] { Text("Pain score", "2026-03-01T08:00:00Z"), Text("Pain score", "2026-03-03T08:00:00Z"), Text("Sedation score", "2026-03-01T08:00:00Z") };

        Assert.Equal(2, ChartDisplay.LatestOfEachCode(readings).Count);
        Assert.Equal("2026-03-03T08:00:00Z", (ChartDisplay.LatestOfEachCode(readings)[0].Effective as FhirDateTime)?.Value);
    }

    [Fact]
    public void A_blood_pressure_reads_as_systolic_over_diastolic_with_its_unit()
    {
        var pressure = new Observation
        {
            Component =
            [
                new Observation.ComponentComponent { Code = new CodeableConcept { Text = "Systolic" }, Value = new Quantity(132, "mm[Hg]") { Unit = "mm[Hg]" } },
                new Observation.ComponentComponent { Code = new CodeableConcept { Text = "Diastolic" }, Value = new Quantity(84, "mm[Hg]") { Unit = "mm[Hg]" } },
            ],
        };

        Assert.Equal("132/84 mmHg", ChartDisplay.Value(pressure));
    }

    [Fact]
    public void Values_say_what_they_are_and_an_absent_one_says_why()
    {
        Assert.Equal("37.2 °C", ChartDisplay.Value(new Observation { Value = new Quantity(37.2m, "Cel") }));
        Assert.Equal("Positive", ChartDisplay.Value(new Observation { Value = new CodeableConcept { Text = "Positive" } }));
        Assert.Equal("Not recorded: Patient refused", ChartDisplay.Value(new Observation { DataAbsentReason = new CodeableConcept { Text = "Patient refused" } }));
        Assert.Equal("No value", ChartDisplay.Value(new Observation()));
    }

    [Theory]
    [InlineData("2026-07-01T08:05:00Z", "1-Jul-2026 09:05")] // British Summer Time
    [InlineData("2026-01-15T23:30:00Z", "15-Jan-2026 23:30")]
    [InlineData("2026-03-01", "1-Mar-2026")]
    [InlineData("2026-03", "Mar-2026")]
    [InlineData("2026", "2026")]
    [InlineData(null, "Not known")]
    public void Dates_are_shown_as_precisely_as_they_were_recorded_and_no_more(string? recorded, string shown)
    {
        Assert.Equal(shown, ChartDisplay.When(recorded, London));
    }

    [Fact]
    public void A_period_starts_when_it_starts_and_is_open_until_now()
    {
        var period = new Period { Start = "2026-03-01" };

        Assert.Equal("1-Mar-2026 to now", ChartDisplay.Period(period, London));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), ChartDisplay.Instant(period));
        Assert.Null(ChartDisplay.Instant(new FhirString("not a date")));
    }

    [Fact]
    public void Codes_read_as_words()
    {
        Assert.Equal("In progress", ChartDisplay.Words(Encounter.EncounterStatus.InProgress));
        Assert.Equal("Entered in error", ChartDisplay.Words("entered-in-error"));
        Assert.Equal("Not known", ChartDisplay.Words((string?)null));
    }

    [Fact]
    public void Nothing_found_never_reads_as_nothing_there()
    {
        Assert.Equal("No active problems recorded that you can see.", ChartSection.Nothing<Condition>().NothingText("active problems"));
        Assert.Equal("Not shown: your role cannot see medicines.", ChartSection.NotAllowed<MedicationRequest>().NothingText("medicines"));
        Assert.True(ChartSection.Of<Condition>(null).Hidden);
    }

    [Fact]
    public void Entered_in_error_readings_are_not_current()
    {
        Assert.False(ChartDisplay.IsCurrent(new Observation { Status = ObservationStatus.EnteredInError }));
        Assert.True(ChartDisplay.IsCurrent(new Observation { Status = ObservationStatus.Amended }));
    }

    private static Observation Reading(string code, string name, decimal value, string? at) => new()
    {
        Code = new CodeableConcept("http://loinc.org", code, name) { Text = name },
        Value = new Quantity(value, "/min"),
        Effective = at is null ? null : new FhirDateTime(at),
    };

    private static Observation Text(string name, string at) => new() { Code = new CodeableConcept { Text = name }, Effective = new FhirDateTime(at) };
}

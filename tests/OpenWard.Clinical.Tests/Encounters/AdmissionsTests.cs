using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Validation;

namespace OpenWard.Clinical.Tests.Encounters;

public sealed class AdmissionsTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    [Fact]
    public void An_admission_is_an_in_progress_inpatient_encounter_conformant_to_UK_Core()
    {
        var encounter = Admissions.Admit("pat-1", "loc-ward-01", "loc-ward-01-bed-15", "prac-001", "21", "19", Now);

        Assert.Equal(Encounter.EncounterStatus.InProgress, encounter.Status);
        Assert.Equal("IMP", encounter.Class.Code);
        Assert.Equal(["Location/loc-ward-01", "Location/loc-ward-01-bed-15"], encounter.Location.Select(l => l.Location.Reference));
        Assert.All(encounter.Location, l => Assert.Equal(Encounter.EncounterLocationStatus.Active, l.Status));
        Assert.Equal(["ATND", "ADM"], encounter.Participant.Single().Type.Single().Coding.Select(c => c.Code));
        Assert.Equal("19", encounter.Hospitalization!.AdmitSource!.Coding.Single().Code);
        Assert.Equal("21", ((CodeableConcept)encounter.Hospitalization.GetExtension(Admissions.AdmissionMethodExtension)!.Value!).Coding.Single().Code);
        AssertValid(encounter);
    }

    [Fact]
    public void A_patient_can_be_admitted_or_moved_to_a_ward_with_no_bed_yet()
    {
        var admitted = Admissions.Admit("pat-1", "loc-ward-01", null, "prac-001", null, null, Now);
        Assert.Equal(["Location/loc-ward-01"], admitted.Location.Select(l => l.Location.Reference));
        AssertValid(admitted);

        var moved = Admissions.Transfer(admitted, "loc-ward-02", null, Now.AddHours(1));
        Assert.Equal(["Location/loc-ward-02"], moved.Location.Where(l => l.Status == Encounter.EncounterLocationStatus.Active).Select(l => l.Location.Reference));
        AssertValid(moved);
    }

    [Fact]
    public void A_transfer_completes_the_old_ward_and_bed_and_makes_the_new_ones_active()
    {
        var admitted = Admissions.Admit("pat-1", "loc-ward-01", "loc-ward-01-bed-15", "prac-001", null, null, Now);
        var later = Now.AddHours(3);

        var moved = Admissions.Transfer(admitted, "loc-ward-02", "loc-ward-02-bed-01", later);

        Assert.Equal(4, moved.Location.Count);
        Assert.All(moved.Location.Take(2), l =>
        {
            Assert.Equal(Encounter.EncounterLocationStatus.Completed, l.Status);
            Assert.Equal(Admissions.FhirTime(later), l.Period!.End);
        });
        Assert.All(moved.Location.Skip(2), l => Assert.Equal(Encounter.EncounterLocationStatus.Active, l.Status));
        Assert.Equal(2, admitted.Location.Count(l => l.Status == Encounter.EncounterLocationStatus.Active));
        AssertValid(moved);
    }

    [Fact]
    public void A_discharge_finishes_the_encounter_with_UK_Core_method_and_destination()
    {
        var admitted = Admissions.Admit("pat-1", "loc-ward-01", "loc-ward-01-bed-15", "prac-001", null, null, Now);

        var done = Admissions.Discharge(admitted, "1", "19", Now.AddDays(2));

        Assert.Equal(Encounter.EncounterStatus.Finished, done.Status);
        Assert.NotNull(done.Period!.End);
        Assert.All(done.Location, l => Assert.Equal(Encounter.EncounterLocationStatus.Completed, l.Status));
        Assert.Equal("19", done.Hospitalization!.DischargeDisposition!.Coding.Single().Code);
        Assert.Equal(Admissions.DischargeMethodSystem, ((CodeableConcept)done.GetExtension(Admissions.DischargeMethodExtension)!.Value!).Coding.Single().System);
        AssertValid(done);
    }

    [Fact]
    public void Only_beds_of_the_ward_that_no_in_progress_encounter_holds_are_free()
    {
        Location Bed(string id, string ward) => new() { Id = id, Name = id, PartOf = new ResourceReference($"Location/{ward}"), PhysicalType = new CodeableConcept("http://terminology.hl7.org/CodeSystem/location-physical-type", "bd") };
        Location[] locations =
        [
            new() { Id = "w1", Name = "w1", PhysicalType = new CodeableConcept("http://terminology.hl7.org/CodeSystem/location-physical-type", "wa") },
            Bed("b1", "w1"), Bed("b2", "w1"), Bed("b3", "w1"), Bed("x1", "w2"),
        ];
        var holding = Admissions.Admit("p1", "w1", "b1", "d", null, null, Now);
        var leftBed2 = Admissions.Transfer(Admissions.Admit("p2", "w1", "b2", "d", null, null, Now), "w2", "x1", Now.AddHours(1));
        var finished = Admissions.Discharge(Admissions.Admit("p3", "w1", "b3", "d", null, null, Now), null, null, Now.AddHours(1));
        var finishedButMarkedActive = Admissions.Admit("p4", "w1", "b3", "d", null, null, Now);
        finishedButMarkedActive.Status = Encounter.EncounterStatus.Finished;

        var free = Admissions.FreeBeds("w1", locations, [holding, leftBed2, finished, finishedButMarkedActive]);

        Assert.Equal(["b2", "b3"], free.Select(b => b.Id));
    }

    [Theory]
    [InlineData("", "10:00", "Enter the date and time of the admission")]
    [InlineData("31/2/2026", "10:00", "must be a real date")]
    [InlineData("1/3/2026", "25:00", "must be a real date")]
    [InlineData("2/3/2026", "10:00", "must be now or in the past")]
    public void Impossible_missing_or_future_dates_are_refused_with_a_message(string date, string time, string expected)
    {
        var errors = new List<(string Field, string Message)>();

        Assert.Null(Admissions.ParseWhen(date, time, Now, London, "admission", "When", errors));

        Assert.Contains(expected, errors.Single().Message, StringComparison.Ordinal);
        Assert.Equal("When", errors.Single().Field);
    }

    [Fact]
    public void A_past_date_is_read_as_UK_local_time()
    {
        var errors = new List<(string Field, string Message)>();

        var when = Admissions.ParseWhen("1/7/2025", "14:30", Now, London, "admission", "When", errors);

        Assert.Empty(errors);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 14, 30, 0, TimeSpan.FromHours(1)), when);
    }

    [Fact]
    public void An_expected_admission_is_a_planned_inpatient_encounter_at_the_ward_conformant_to_UK_Core()
    {
        var expected = Admissions.Expect("pat-1", "loc-ward-01", Now.AddHours(5), "prac-001", "21", "  Pneumonia, from ED ");

        Assert.Equal(Encounter.EncounterStatus.Planned, expected.Status);
        Assert.Equal("IMP", expected.Class.Code);
        Assert.Equal("Location/loc-ward-01", expected.Location.Single().Location.Reference);
        Assert.Equal(Encounter.EncounterLocationStatus.Planned, expected.Location.Single().Status);
        Assert.Equal(Admissions.FhirTime(Now.AddHours(5)), expected.Period!.Start);
        Assert.Equal("Pneumonia, from ED", expected.ReasonCode.Single().Text);
        Assert.Equal("Practitioner/prac-001", expected.Participant.Single().Individual!.Reference);
        AssertValid(expected);

        var unknown = Admissions.Expect("pat-1", "loc-ward-01", Now, null, null, " ");
        Assert.Empty(unknown.Participant);
        Assert.Empty(unknown.ReasonCode);
        Assert.Null(unknown.Hospitalization);
        AssertValid(unknown);
    }

    [Fact]
    public void An_admission_is_expected_from_the_start_of_yesterday_to_the_end_of_tomorrow()
    {
        var (from, until) = Admissions.ExpectedWindow(Now, London);

        Assert.Equal(new DateTimeOffset(2026, 2, 28, 0, 0, 0, TimeSpan.Zero), from); // a late arrival
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero), until); // tomorrow's end, exclusive
        var summer = Admissions.ExpectedWindow(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero), London);
        Assert.Equal(new DateTimeOffset(2026, 6, 30, 0, 0, 0, TimeSpan.FromHours(1)), summer.From); // local midnight, BST
    }

    [Fact]
    public void Admitting_an_expected_patient_fulfils_the_planned_encounter_rather_than_adding_one()
    {
        var plan = Admissions.Expect("pat-1", "loc-ward-02", Now.AddHours(2), "prac-002", "21", "Pneumonia");
        plan.Id = "enc-planned";
        var arrived = Now.AddHours(1);

        var admitted = Admissions.Admit("pat-1", "loc-ward-01", "loc-ward-01-bed-15", "prac-001", "21", null, arrived, plan);

        Assert.Equal("enc-planned", admitted.Id);
        Assert.Equal(Encounter.EncounterStatus.InProgress, admitted.Status);
        Assert.Equal(["Location/loc-ward-01", "Location/loc-ward-01-bed-15"], admitted.Location.Select(l => l.Location.Reference));
        Assert.Equal(Admissions.FhirTime(arrived), admitted.Period!.Start);
        Assert.Equal("Pneumonia", admitted.ReasonCode.Single().Text);
        var history = admitted.StatusHistory.Single();
        Assert.Equal(Encounter.EncounterStatus.Planned, history.Status);
        Assert.Equal(Admissions.FhirTime(arrived), history.Period.End);
        AssertValid(admitted);
    }

    [Fact]
    public void A_cancelled_expected_admission_keeps_its_ward_and_time()
    {
        var plan = Admissions.Expect("pat-1", "loc-ward-02", Now.AddHours(2), null, null, null);

        var cancelled = Admissions.CancelExpected(plan);

        Assert.Equal(Encounter.EncounterStatus.Cancelled, cancelled.Status);
        Assert.Equal(Encounter.EncounterStatus.Planned, plan.Status);
        Assert.Equal(plan.Period!.Start, cancelled.Period!.Start);
        Assert.Equal("Location/loc-ward-02", cancelled.Location.Single().Location.Reference);
        AssertValid(cancelled);
    }

    [Theory]
    [InlineData("28/2/2026", "23:00", "today or later")]
    [InlineData("2/3/2027", "10:00", "within a year")]
    [InlineData("", "10:00", "Enter the date and time of the expected admission")]
    public void An_expected_admission_must_be_from_today_to_a_year_ahead(string date, string time, string expected)
    {
        var errors = new List<(string Field, string Message)>();

        Assert.Null(Admissions.ParseExpected(date, time, Now, London, "Date", errors));

        Assert.Contains(expected, errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_admission_expected_earlier_today_or_later_is_accepted()
    {
        var errors = new List<(string Field, string Message)>();

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.Zero), Admissions.ParseExpected("1/3/2026", "0:30", Now, London, "Date", errors));
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 14, 0, 0, TimeSpan.FromHours(1)), Admissions.ParseExpected("1/7/2026", "14:00", Now, London, "Date", errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void Only_codes_found_in_the_UK_Core_code_systems_are_offered()
    {
        var directory = Path.Combine(ProfileValidator.DefaultProfilesDirectory, "codesystems");
        foreach (var (file, list) in new[]
        {
            ("CodeSystem-UKCore-AdmissionMethodEngland.xml", Admissions.AdmissionMethods),
            ("CodeSystem-UKCore-SourceOfAdmissionEngland.xml", Admissions.AdmissionSources),
            ("CodeSystem-UKCore-DischargeMethodEngland.xml", Admissions.DischargeMethods),
            ("CodeSystem-UKCore-DischargeDestinationEngland.xml", Admissions.DischargeDestinations),
        })
        {
            var text = File.ReadAllText(Path.Combine(directory, file));
            Assert.All(list, item => Assert.Contains($"<code value=\"{item.Code}\" />", text, StringComparison.Ordinal));
        }
    }

    private static void AssertValid(Encounter encounter)
    {
        var outcome = Validator.Value.Validate(encounter, Admissions.UkCoreProfile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}

using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search.Indexing;

public class DateIndexingTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void A_date_covers_its_whole_day()
    {
        var patient = new Patient { BirthDate = "1970-11-09" };

        var birthdate = Assert.Single(SharedIndexer.Instance.Extract(patient).Dates, d => d.Param == "birthdate");

        Assert.Equal(new DateIndex("birthdate", Utc(1970, 11, 9), Utc(1970, 11, 10).AddTicks(-1)), birthdate);
    }

    [Fact]
    public void A_dateTime_with_a_zone_is_stored_in_UTC_to_the_second()
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://snomed.info/sct", "27113001"),
            Effective = new FhirDateTime("2024-03-05T10:15:30+01:00"),
        };

        var date = Assert.Single(SharedIndexer.Instance.Extract(observation).Dates, d => d.Param == "date");

        Assert.Equal(new DateIndex("date", Utc(2024, 3, 5, 9, 15, 30), Utc(2024, 3, 5, 9, 15, 31).AddTicks(-1)), date);
    }

    [Fact]
    public void An_instant_covers_its_written_fraction_of_a_second()
    {
        var report = (DiagnosticReport)FhirJsonDeserializer.DEFAULT.DeserializeResource(
            """{"resourceType":"DiagnosticReport","status":"final","code":{"text":"Full blood count"},"issued":"2024-03-05T10:15:30.12+01:00"}""");

        var issued = Assert.Single(SharedIndexer.Instance.Extract(report).Dates, d => d.Param == "issued");

        Assert.Equal(Utc(2024, 3, 5, 9, 15, 30).AddMilliseconds(120), issued.Low);
        Assert.Equal(Utc(2024, 3, 5, 9, 15, 30).AddMilliseconds(130).AddTicks(-1), issued.High);
    }

    [Fact]
    public void A_Period_without_an_end_is_open_to_the_end_of_time()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.InProgress,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
            Period = new Period { Start = "2024-03-05T10:00:00Z" },
        };

        var date = Assert.Single(SharedIndexer.Instance.Extract(encounter).Dates, d => d.Param == "date");

        Assert.Equal(new DateIndex("date", Utc(2024, 3, 5, 10), DateTimeOffset.MaxValue), date);
    }

    [Fact]
    public void A_Period_without_a_start_is_open_to_the_beginning_of_time_and_ends_at_the_end_of_its_precision()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
            Period = new Period { End = "2024-03" },
        };

        var date = Assert.Single(SharedIndexer.Instance.Extract(encounter).Dates, d => d.Param == "date");

        Assert.Equal(new DateIndex("date", DateTimeOffset.MinValue, Utc(2024, 4, 1).AddTicks(-1)), date);
    }

    [Fact]
    public void A_Timing_gives_one_entry_per_event()
    {
        var request = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Subject = new ResourceReference("Patient/p1"),
            DosageInstruction =
            [
                new Dosage { Timing = new Timing { Event = ["2024-03-05T08:00:00Z", "2024-03-05T20:00:00Z"] } },
            ],
        };

        var dates = SharedIndexer.Instance.Extract(request).Dates.Where(d => d.Param == "date").Select(d => d.Low).ToList();

        Assert.Equal([Utc(2024, 3, 5, 8), Utc(2024, 3, 5, 20)], dates);
    }

    [Fact]
    public void Ages_and_strings_give_no_date_entries()
    {
        var withAge = new Condition { Subject = new ResourceReference("Patient/p1"), Onset = new Age { Value = 40, Code = "a", System = "http://unitsofmeasure.org" } };
        var withText = new Condition { Subject = new ResourceReference("Patient/p1"), Onset = new FhirString("In her forties") };

        Assert.DoesNotContain(SharedIndexer.Instance.Extract(withAge).Dates, d => d.Param == "onset-date");
        Assert.DoesNotContain(SharedIndexer.Instance.Extract(withText).Dates, d => d.Param == "onset-date");
    }
}

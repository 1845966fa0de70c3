using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.DemoData;
using OpenWard.DemoData.Vocabulary;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Security;

namespace OpenWard.Web.Hosting;

/// <summary>
/// Demo mode's wards, relative to the clock (the generated population is relative to a fixed
/// instant, so its inpatients would have been in hospital for a year and a half with no recent
/// observations): on the first start of each day, the demo nurse's ward is filled to about 90% of
/// its beds with adult demo patients who were at home, and every demo patient in hospital is given an
/// admission in the last six days and sets of observations over the last day, written through
/// <see cref="FhirRestService"/> like any other, so the write rules score them and raise
/// escalations. The sets follow five illustrative courses in turn (steady, low, a red score, medium,
/// and deteriorating to high), with the last set taken between 10 minutes and 7 hours ago, so the
/// ward board shows every band, sets due and overdue, and open escalations. Illustrative data.
/// </summary>
public static class DemoWardDay
{
    /// <summary>The values of a set for each course (RCP NEWS2 2017 chart 1 gives the totals in the comments).</summary>
    private static readonly (decimal Rr, decimal SpO2, bool Oxygen, decimal Sbp, decimal Pulse, bool Alert, decimal Temp)[] Sets =
    [
        (16, 97, false, 126, 72, true, 36.8m),   // 0: routine
        (21, 95, false, 118, 88, true, 37.2m),   // 3: low
        (14, 97, false, 88, 80, true, 36.9m),    // 3, all from systolic 88: low-medium (red score)
        (22, 94, false, 105, 105, true, 37.9m),  // 5: medium
        (26, 91, true, 98, 118, true, 38.6m),    // 13: high
    ];

    /// <summary>The course of each patient, in turn: which set each of their last four sets was, oldest first.</summary>
    private static readonly int[][] Courses = [[0, 0, 0, 0], [0, 1, 1, 1], [1, 1, 2, 2], [1, 1, 3, 3], [1, 3, 3, 4]];

    public static async System.Threading.Tasks.Task SeedAsync(FhirRestService fhir, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = OperatorAccess.Instance;
        var now = time.GetUtcNow();
        var inHospital = await InHospitalAsync(fhir, access, cancellationToken);
        if (inHospital.Count == 0 || await ScoredTodayAsync(fhir, access, inHospital[0], now, cancellationToken))
            return;

        await FillTheDemoWardAsync(fhir, access, inHospital, now, cancellationToken);
        inHospital = await InHospitalAsync(fhir, access, cancellationToken);

        for (var i = 0; i < inHospital.Count; i++)
        {
            var encounter = inHospital[i];
            var patient = encounter.Subject!.Reference!["Patient/".Length..];
            var admitted = now.AddDays(-(1 + i % 6)).AddMinutes(-(i * 37 % 600));
            encounter.Period ??= new Period();
            encounter.Period.Start = admitted.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
            await fhir.UpdateAsync(access, "Encounter", encounter.Id!, encounter, null, cancellationToken);

            // Sets every 6 hours, the last taken 10 minutes to 7 hours ago: some due, some overdue.
            var course = Courses[i % Courses.Length];
            var last = now.AddMinutes(-(10 + i * 53 % 410));
            for (var n = 0; n < course.Length; n++)
            {
                var at = last.AddHours(-6 * (course.Length - 1 - n));
                if (at > admitted)
                    await WriteSetAsync(fhir, access, patient, DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()), Sets[course[n]], cancellationToken);
            }
        }
    }

    /// <summary>The demo ward's share of beds to fill, and how many demo patients always stay out of hospital (for today's clinic and referrals).</summary>
    private const double Occupancy = 0.9;
    private const int KeptOutOfHospital = 20;

    private static async Task<List<Encounter>> InHospitalAsync(FhirRestService fhir, IFhirAccess access, CancellationToken cancellationToken) =>
        [.. (await PatientReads.SearchAsync(fhir, access, "Encounter", [new("status", "in-progress"), new("class", "IMP"), new("_sort", "_id"), new("_count", "200")], cancellationToken))
            .Of<Encounter>().Where(e => e.Subject?.Reference?.StartsWith("Patient/pat-", StringComparison.Ordinal) == true)];

    /// <summary>
    /// Admits adult demo patients who are not in hospital or expected into free beds of the demo
    /// nurse's ward until about 90% of its beds are taken, always leaving <see cref="KeptOutOfHospital"/>
    /// demo patients at home (a small demo population, as the tests use, admits nobody).
    /// </summary>
    private static async System.Threading.Tasks.Task FillTheDemoWardAsync(FhirRestService fhir, IFhirAccess access, List<Encounter> inHospital, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ward = Enumerable.Range(0, Places.Wards.Length).First(w => HospitalSite.WardId(w) == DemoStaff.Ward);
        var beds = Enumerable.Range(0, Places.Wards[ward].Beds).Select(b => HospitalSite.BedId(ward, b)).ToList();
        var taken = inHospital.SelectMany(e => e.Location).Where(l => l.Status is null or Encounter.EncounterLocationStatus.Active).Select(l => l.Location?.Reference).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var free = beds.Where(b => !taken.Contains($"Location/{b}")).ToList();
        var wanted = (int)Math.Round(beds.Count * Occupancy) - (beds.Count - free.Count);
        if (wanted <= 0)
            return;

        var busy = (await PatientReads.SearchAsync(fhir, access, "Encounter", [new("status", "planned,arrived,triaged,in-progress,onleave"), new("_count", "1000")], cancellationToken))
            .Of<Encounter>().Select(e => e.Subject?.Reference).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var adultsBornBy = DateOnly.FromDateTime(now.UtcDateTime).AddYears(-18).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var athome = (await PatientReads.SearchAsync(fhir, access, "Patient", [new("birthdate", "le" + adultsBornBy), new("_sort", "-_id"), new("_count", "1000")], cancellationToken))
            .Of<Patient>().Where(p => p.Id!.StartsWith("pat-", StringComparison.Ordinal) && !busy.Contains($"Patient/{p.Id}")).ToList();
        var admitted = athome.Take(Math.Min(wanted, Math.Min(free.Count, athome.Count - KeptOutOfHospital))).ToList();
        for (var i = 0; i < admitted.Count; i++)
        {
            await fhir.CreateAsync(access, "Encounter", new Encounter
            {
                Status = Encounter.EncounterStatus.InProgress,
                Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"),
                Subject = new ResourceReference($"Patient/{admitted[i].Id}"),
                Period = new Period { Start = now.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture) },
                ReasonCode = [new CodeableConcept { Text = "Emergency admission (demo)" }],
                Participant = [new Encounter.ParticipantComponent { Individual = new ResourceReference($"Practitioner/{HospitalSite.PractitionerId(i % 4)}") }],
                Location =
                [
                    new Encounter.LocationComponent { Location = new ResourceReference($"Location/{DemoStaff.Ward}"), Status = Encounter.EncounterLocationStatus.Active },
                    new Encounter.LocationComponent { Location = new ResourceReference($"Location/{free[i]}"), Status = Encounter.EncounterLocationStatus.Active },
                ],
            }, null, cancellationToken);
        }
    }

    private static async Task<bool> ScoredTodayAsync(FhirRestService fhir, IFhirAccess access, Encounter encounter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scores = await PatientReads.SearchAsync(fhir, access, "Observation", [new("subject", encounter.Subject!.Reference!), new("code", $"{VitalSigns.Snomed}|{VitalSigns.News2TotalCode}"), new("date", "ge" + now.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture)), new("_count", "1")], cancellationToken);
        return scores.Matches.Count > 0;
    }

    private static async System.Threading.Tasks.Task WriteSetAsync(FhirRestService fhir, IFhirAccess access, string patient, DateTimeOffset at, (decimal Rr, decimal SpO2, bool Oxygen, decimal Sbp, decimal Pulse, bool Alert, decimal Temp) set, CancellationToken cancellationToken)
    {
        Observation Of(string loinc, string snomed, string display) => new()
        {
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")],
            Code = new CodeableConcept { Coding = [new Coding(VitalSigns.Snomed, snomed, display), new Coding(VitalSigns.Loinc, loinc, display)] },
            Subject = new ResourceReference($"Patient/{patient}"),
            Effective = new FhirDateTime(at),
        };
        Quantity Measure(decimal value, string unit, string code) => new(value, code) { Unit = unit, System = VitalSigns.Ucum };

        var respiration = Of("9279-1", "86290005", "Respiratory rate");
        respiration.Value = Measure(set.Rr, "breaths per minute", "/min");
        var saturation = Of("2708-6", "431314004", "Peripheral oxygen saturation");
        saturation.Value = Measure(set.SpO2, "%", "%");
        var pulse = Of("8867-4", "364075005", "Heart rate");
        pulse.Value = Measure(set.Pulse, "beats per minute", "/min");
        var temperature = Of("8310-5", "276885007", "Body temperature");
        temperature.Value = Measure(set.Temp, "°C", "Cel");
        var pressure = Of("85354-9", "75367002", "Blood pressure");
        pressure.Component =
        [
            new Observation.ComponentComponent { Code = new CodeableConcept(VitalSigns.Loinc, "8480-6", "Systolic blood pressure"), Value = Measure(set.Sbp, "mmHg", "mm[Hg]") },
            new Observation.ComponentComponent { Code = new CodeableConcept(VitalSigns.Loinc, "8462-4", "Diastolic blood pressure"), Value = Measure(Math.Round(set.Sbp * 0.6m), "mmHg", "mm[Hg]") },
        ];
        var air = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(VitalSigns.Snomed, set.Oxygen ? VitalSigns.PatientOnOxygen : VitalSigns.BreathingRoomAir, set.Oxygen ? "Patient on oxygen" : "Breathing room air"),
            Subject = new ResourceReference($"Patient/{patient}"),
            Effective = new FhirDateTime(at),
        };
        var consciousness = new Observation
        {
            Status = ObservationStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey", "Survey")],
            Code = new CodeableConcept(VitalSigns.Snomed, "1104441000000107", "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score"),
            Subject = new ResourceReference($"Patient/{patient}"),
            Effective = new FhirDateTime(at),
            Value = new CodeableConcept(VitalSigns.Snomed, set.Alert ? "248234008" : "130987000", set.Alert ? "Mentally alert" : "Acute confusion"),
        };
        foreach (var observation in new[] { respiration, saturation, air, pressure, pulse, consciousness, temperature })
            await fhir.CreateAsync(access, "Observation", observation, null, cancellationToken);
    }
}

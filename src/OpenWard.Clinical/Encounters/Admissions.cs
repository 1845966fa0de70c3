using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Encounters;

/// <summary>
/// Admission, ward transfer and discharge as pure functions over FHIR R4 Encounters conformant to
/// UK Core Encounter (https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter, package 2.0.0).
/// Wards and beds are Locations told apart by physicalType "wa" and "bd"
/// (http://terminology.hl7.org/CodeSystem/location-physical-type); a bed is partOf its ward.
/// </summary>
public static class Admissions
{
    public const string UkCoreProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter";

    /// <summary>v3-ActCode IMP "inpatient encounter" (as in UKCore-Encounter-InpatientEncounter-Example).</summary>
    public static readonly Coding Inpatient = new("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter");

    private const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    /// <summary>
    /// v3-ParticipationType ATND "attender" (confirmed in UKCore-Encounter-InpatientEncounter-Example) and
    /// ADM "admitter" (confirmed in v3-codesystems.xml of the Firely specification package, hl7.fhir.specification.data.r4).
    /// </summary>
    public static readonly Coding Attender = new(ParticipationType, "ATND", "attender");

    public static readonly Coding Admitter = new(ParticipationType, "ADM", "admitter");

    public const string AdmissionMethodExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AdmissionMethod";

    public const string DischargeMethodExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DischargeMethod";

    public const string AdmissionMethodSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland";

    public const string SourceOfAdmissionSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-SourceOfAdmissionEngland";

    public const string DischargeMethodSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeMethodEngland";

    public const string DischargeDestinationSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestinationEngland";

    /// <summary>
    /// Illustrative subset of UK Core AdmissionMethodEngland, codes and displays as in
    /// profiles/ukcore-r4-2.0.0/codesystems/CodeSystem-UKCore-AdmissionMethodEngland.xml.
    /// </summary>
    public static readonly IReadOnlyList<(string Code, string Display)> AdmissionMethods =
    [
        ("11", "Elective Admission: Waiting list"),
        ("12", "Elective Admission: Booked"),
        ("13", "Elective Admission: Planned"),
        ("21", "Emergency Admission: Emergency Care Department or dental casualty department of the Health Care Provider"),
        ("2D", "Emergency Admission: Other emergency admission"),
        ("99", "Admission Method not known"),
    ];

    /// <summary>Illustrative subset of UK Core SourceOfAdmissionEngland (CodeSystem-UKCore-SourceOfAdmissionEngland.xml); displays shortened.</summary>
    public static readonly IReadOnlyList<(string Code, string Display)> AdmissionSources =
    [
        ("19", "Usual place of residence"),
        ("29", "Temporary place of residence when usually resident elsewhere"),
        ("51", "NHS other Hospital Provider - Ward for general Patients or the younger physically disabled"),
        ("54", "NHS run Care Home"),
        ("99", "Source of admission not known"),
    ];

    /// <summary>Illustrative subset of UK Core DischargeMethodEngland (CodeSystem-UKCore-DischargeMethodEngland.xml).</summary>
    public static readonly IReadOnlyList<(string Code, string Display)> DischargeMethods =
    [
        ("1", "Patient discharged on clinical advice or with clinical consent"),
        ("4", "Patient died"),
        ("6", "Patient discharged him/herself"),
        ("7", "Patient discharged by a relative or advocate"),
        ("9", "Method of discharge  not known"),
    ];

    /// <summary>Illustrative subset of UK Core DischargeDestinationEngland (CodeSystem-UKCore-DischargeDestinationEngland.xml); displays shortened.</summary>
    public static readonly IReadOnlyList<(string Code, string Display)> DischargeDestinations =
    [
        ("19", "Usual place of residence"),
        ("29", "Temporary place of residence when usually resident elsewhere"),
        ("54", "NHS run Care Home"),
        ("79", "Not applicable - Patient died or stillbirth"),
        ("99", "Not known"),
    ];

    public static bool IsBed(Location location) => HasPhysicalType(location, "bd");

    public static bool IsWard(Location location) => HasPhysicalType(location, "wa");

    /// <summary>The wards among the locations, in name order.</summary>
    public static IReadOnlyList<Location> Wards(IEnumerable<Location> locations) =>
        [.. locations.Where(IsWard).OrderBy(w => w.Name, StringComparer.Ordinal)];

    /// <summary>The beds of the ward (partOf it) that no current encounter holds as an active location, in name order.</summary>
    public static IReadOnlyList<Location> FreeBeds(string wardId, IEnumerable<Location> locations, IEnumerable<Encounter> current)
    {
        var taken = OccupiedBeds(current);
        return
        [
            .. locations
                .Where(l => IsBed(l) && l.PartOf?.Reference == $"Location/{wardId}" && !taken.Contains($"Location/{l.Id}"))
                .OrderBy(l => l.Name?.Length ?? 0).ThenBy(l => l.Name, StringComparer.Ordinal),
        ];
    }

    /// <summary>References ("Location/x") held by a current encounter (<see cref="EncounterStates.HeldLocations"/>).</summary>
    public static IReadOnlySet<string> OccupiedBeds(IEnumerable<Encounter> encounters) =>
        encounters.SelectMany(EncounterStates.HeldLocations).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Parses a date and time the user typed (date "dd/mm/yyyy" or ISO, time "hh:mm") as UK local time, or
    /// adds an NHS-style message. Dates in the future (beyond five minutes' clock drift) are refused.
    /// </summary>
    public static DateTimeOffset? ParseWhen(string? date, string? time, DateTimeOffset now, TimeZoneInfo zone, string what, string field, List<(string Field, string Message)> errors)
    {
        var when = ParseLocal(date, time, zone, what, field, errors);
        if (when > now + TimeSpan.FromMinutes(5))
        {
            errors.Add((field, $"The date and time of the {what} must be now or in the past"));
            return null;
        }

        return when;
    }

    /// <summary>
    /// Parses when an admission is expected, as <see cref="ParseWhen"/> does, but looking forward: from
    /// the start of today (an arrival expected this morning is still expected) to a year ahead.
    /// </summary>
    public static DateTimeOffset? ParseExpected(string? date, string? time, DateTimeOffset now, TimeZoneInfo zone, string field, List<(string Field, string Message)> errors)
    {
        var when = ParseLocal(date, time, zone, "expected admission", field, errors);
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        if (when is { } at && (TimeZoneInfo.ConvertTime(at, zone).Date < today || at > now.AddYears(1)))
        {
            errors.Add((field, "The expected admission must be today or later, and within a year"));
            return null;
        }

        return when;
    }

    private static DateTimeOffset? ParseLocal(string? date, string? time, TimeZoneInfo zone, string what, string field, List<(string Field, string Message)> errors)
    {
        if (string.IsNullOrWhiteSpace(date) || string.IsNullOrWhiteSpace(time))
        {
            errors.Add((field, $"Enter the date and time of the {what}"));
            return null;
        }

        string[] dateFormats = ["d/M/yyyy", "yyyy-MM-dd"];
        if (!DateTime.TryParseExact(date.Trim(), dateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || !TimeSpan.TryParseExact(time.Trim(), ["h\\:mm", "hh\\:mm"], CultureInfo.InvariantCulture, out var clock)
            || clock >= TimeSpan.FromDays(1))
        {
            errors.Add((field, $"The date and time of the {what} must be a real date, for example 27/3/2026, and a time, for example 14:30"));
            return null;
        }

        var local = day.Date + clock;
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// An expected admission: a planned inpatient encounter at the ward from the expected time, with
    /// the consultant and reason when known. Its ward's staff have a care relationship with the
    /// patient while it is <see cref="ExpectedWindow">current</see>; <see cref="Admit"/> fulfils it.
    /// </summary>
    public static Encounter Expect(string patientId, string wardId, DateTimeOffset expected, string? consultantId, string? admissionMethod, string? reason)
    {
        var encounter = new Encounter
        {
            Meta = new Meta { Profile = [UkCoreProfile] },
            Status = Encounter.EncounterStatus.Planned,
            Class = Inpatient,
            Subject = new ResourceReference($"Patient/{patientId}"),
            Period = new Period { Start = FhirTime(expected) },
            Location = [new Encounter.LocationComponent { Location = new ResourceReference($"Location/{wardId}"), Status = Encounter.EncounterLocationStatus.Planned }],
        };
        if (consultantId is not null)
        {
            encounter.Participant.Add(new Encounter.ParticipantComponent { Type = [new CodeableConcept { Coding = [Attender] }], Individual = new ResourceReference($"Practitioner/{consultantId}") });
        }

        if (Find(AdmissionMethods, admissionMethod) is { } m)
        {
            encounter.Hospitalization = new Encounter.HospitalizationComponent();
            encounter.Hospitalization.Extension.Add(new Extension(AdmissionMethodExtension, new CodeableConcept(AdmissionMethodSystem, m.Code, m.Display)));
        }

        if (!string.IsNullOrWhiteSpace(reason))
        {
            encounter.ReasonCode.Add(new CodeableConcept { Text = reason.Trim() });
        }

        return encounter;
    }

    /// <summary>
    /// When a planned encounter counts as expected now: from the start of yesterday (a late arrival)
    /// to the end of tomorrow, in the hospital's time zone. Older plans no longer give anyone access.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset Until) ExpectedWindow(DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        DateTimeOffset Local(DateTime day) => new(day, zone.GetUtcOffset(day));
        return (Local(today.AddDays(-1)), Local(today.AddDays(2)));
    }

    /// <summary>A copy of the expected admission, cancelled: the patient is no longer expected on its ward.</summary>
    public static Encounter CancelExpected(Encounter expected)
    {
        var cancelled = (Encounter)expected.DeepCopy();
        cancelled.Status = Encounter.EncounterStatus.Cancelled;
        return cancelled;
    }

    /// <summary>Encounter date criteria that find the planned encounters starting within <see cref="ExpectedWindow"/>.</summary>
    public static KeyValuePair<string, string>[] ExpectedCriteria(DateTimeOffset now, TimeZoneInfo zone)
    {
        var (from, until) = ExpectedWindow(now, zone);
        // "sa" (starts after) the second before the window: a plan's open-ended period overlaps every later date, so "ge" would find old plans too.
        return [new("date", "sa" + FhirTime(from.AddSeconds(-1))), new("date", "lt" + FhirTime(until))];
    }

    /// <summary>
    /// An inpatient encounter, in progress, at the ward and bed from <paramref name="when"/>. Given the
    /// patient's expected admission, it is that encounter, fulfilled: same id and reason, the end of its
    /// planned status kept in statusHistory, so that the stay is one encounter rather than a plan left behind.
    /// </summary>
    public static Encounter Admit(string patientId, string wardId, string? bedId, string consultantId, string? admissionMethod, string? admissionSource, DateTimeOffset when, Encounter? expected = null)
    {
        var start = FhirTime(when);
        var encounter = new Encounter
        {
            Meta = new Meta { Profile = [UkCoreProfile] },
            Status = Encounter.EncounterStatus.InProgress,
            Class = Inpatient,
            Subject = new ResourceReference($"Patient/{patientId}"),
            Participant =
            [
                new Encounter.ParticipantComponent { Type = [new CodeableConcept { Coding = [Attender, Admitter] }], Individual = new ResourceReference($"Practitioner/{consultantId}") },
            ],
            Period = new Period { Start = start },
            Location = [Active(wardId, start), .. bedId is null ? [] : new[] { Active(bedId, start) }],
        };
        var method = Find(AdmissionMethods, admissionMethod);
        var source = Find(AdmissionSources, admissionSource);
        if (method is not null || source is not null)
        {
            encounter.Hospitalization = new Encounter.HospitalizationComponent();
            if (method is { } m)
            {
                encounter.Hospitalization.Extension.Add(new Extension(AdmissionMethodExtension, new CodeableConcept(AdmissionMethodSystem, m.Code, m.Display)));
            }

            if (source is { } s)
            {
                encounter.Hospitalization.AdmitSource = new CodeableConcept(SourceOfAdmissionSystem, s.Code, s.Display);
            }
        }

        if (expected is not null)
        {
            encounter.Id = expected.Id;
            encounter.Identifier = expected.Identifier;
            encounter.ReasonCode = expected.ReasonCode;
            encounter.BasedOn = expected.BasedOn;
            encounter.StatusHistory = [.. expected.StatusHistory, new Encounter.StatusHistoryComponent { Status = Encounter.EncounterStatus.Planned, Period = new Period { End = start } }];
        }

        return encounter;
    }

    /// <summary>A copy of the encounter moved to a new ward and bed (none when the ward is to give one): active locations become completed at <paramref name="when"/>.</summary>
    public static Encounter Transfer(Encounter current, string wardId, string? bedId, DateTimeOffset when)
    {
        var moved = (Encounter)current.DeepCopy();
        var at = FhirTime(when);
        CompleteLocations(moved, at);
        moved.Location.Add(Active(wardId, at));
        if (bedId is not null)
        {
            moved.Location.Add(Active(bedId, at));
        }
        return moved;
    }

    /// <summary>A copy of the encounter finished at <paramref name="when"/>, locations completed, with the discharge method and destination.</summary>
    public static Encounter Discharge(Encounter current, string? dischargeMethod, string? destination, DateTimeOffset when)
    {
        var done = (Encounter)current.DeepCopy();
        var at = FhirTime(when);
        done.Status = Encounter.EncounterStatus.Finished;
        done.Period ??= new Period();
        done.Period.End = at;
        CompleteLocations(done, at);
        if (Find(DischargeMethods, dischargeMethod) is { } m)
        {
            done.Extension.RemoveAll(e => e.Url == DischargeMethodExtension);
            done.Extension.Add(new Extension(DischargeMethodExtension, new CodeableConcept(DischargeMethodSystem, m.Code, m.Display)));
        }

        if (Find(DischargeDestinations, destination) is { } d)
        {
            done.Hospitalization ??= new Encounter.HospitalizationComponent();
            done.Hospitalization.DischargeDisposition = new CodeableConcept(DischargeDestinationSystem, d.Code, d.Display);
        }

        return done;
    }

    /// <summary>
    /// When the patient arrived where they are now: the latest start of the encounter or of any of
    /// its locations. A transfer or discharge cannot precede it (a location's period would end
    /// before it began, which R4's per-1 rule refuses).
    /// </summary>
    public static DateTimeOffset? LatestMove(Encounter encounter) =>
        encounter.Location.Select(l => l.Period?.StartElement).Append(encounter.Period?.StartElement)
            .Select(start => start?.ToDateTimeOffset(TimeSpan.Zero))
            .Max();

    /// <summary>A FHIR dateTime to the second with its offset ("2026-03-01T09:30:00+00:00").</summary>
    public static string FhirTime(DateTimeOffset when) => when.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static void CompleteLocations(Encounter encounter, string at)
    {
        foreach (var location in encounter.Location.Where(l => l.Status is null or Encounter.EncounterLocationStatus.Active))
        {
            location.Status = Encounter.EncounterLocationStatus.Completed;
            location.Period ??= new Period();
            location.Period.End = at;
        }
    }

    private static Encounter.LocationComponent Active(string locationId, string start) => new()
    {
        Location = new ResourceReference($"Location/{locationId}"),
        Status = Encounter.EncounterLocationStatus.Active,
        Period = new Period { Start = start },
    };

    private static (string Code, string Display)? Find(IReadOnlyList<(string Code, string Display)> list, string? code) =>
        string.IsNullOrEmpty(code) ? null : list.Where(i => i.Code == code).Select(i => ((string, string)?)i).FirstOrDefault();

    private static bool HasPhysicalType(Location location, string code) =>
        location.PhysicalType?.Coding.Any(c => c.Code == code && c.System is null or "http://terminology.hl7.org/CodeSystem/location-physical-type") == true;
}

using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>An encounter as the pages show it, with the Locations and Practitioners it names (as far as the user could read them).</summary>
public sealed record EncounterView(Encounter Encounter, PatientReads.Found Found)
{
    public (string Name, Location? Bed, Location? Ward) Place => PatientReads.Place(Encounter, Found);

    /// <summary>The attending (ATND) or admitting (ADM) practitioner's name, or "Not known".</summary>
    public string Consultant => Encounter.Participant
        .Where(p => p.Type.SelectMany(t => t.Coding).Any(c => c.Code is "ATND" or "ADM"))
        .Select(p => Found.Resolve<Practitioner>(p.Individual))
        .OfType<Practitioner>()
        .Select(p => PatientDisplay.StaffName(p))
        .FirstOrDefault() ?? PatientDisplay.NotKnown;

    /// <summary>The ward an expected admission is to (its planned location), by name.</summary>
    public string ExpectedWardName =>
        Encounter.Location.FirstOrDefault(l => l.Status == Encounter.EncounterLocationStatus.Planned) is { } ward ? LocationName(ward) : PatientDisplay.NotKnown;

    public string LocationName(Encounter.LocationComponent location) =>
        Found.Resolve<Location>(location.Location)?.Name ?? location.Location?.Display ?? PatientDisplay.NotKnown;
}

/// <summary>Encounter searches shared by the Encounters tab, admission, transfer and discharge (and the chart summary).</summary>
public static class EncounterReads
{
    /// <summary>The patient's encounters, newest first, with their locations and practitioners included.</summary>
    public static async Task<IReadOnlyList<EncounterView>> ForPatientAsync(FhirRestService fhir, IFhirAccess access, string patientId, string? status, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> query = [new("patient", patientId), new("_sort", "-date"), new("_count", "100"), new("_include", "Encounter:location"), new("_include", "Encounter:participant")];
        if (status is not null)
        {
            query.Add(new("status", status));
        }

        var found = await PatientReads.SearchAsync(fhir, access, "Encounter", query, cancellationToken);
        return [.. found.Of<Encounter>().Select(e => new EncounterView(e, found))];
    }

    /// <summary>The patient's expected admissions now (<see cref="Admissions.ExpectedWindow"/>), earliest first.</summary>
    public static async Task<IReadOnlyList<EncounterView>> ExpectedAsync(FhirRestService fhir, IFhirAccess access, string patientId, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = await PatientReads.SearchAsync(fhir, access, "Encounter",
            [new("patient", patientId), new("status", "planned"), .. Admissions.ExpectedCriteria(time.GetUtcNow(), time.LocalTimeZone), new("_sort", "date"), new("_count", "10"), new("_include", "Encounter:location"), new("_include", "Encounter:participant")],
            cancellationToken);
        return [.. found.Of<Encounter>().Select(e => new EncounterView(e, found))];
    }

    /// <summary>The active Practitioners, by name, to choose a consultant from.</summary>
    public static async Task<IReadOnlyList<Practitioner>> ConsultantsAsync(FhirRestService fhir, IFhirAccess access, CancellationToken cancellationToken) =>
        [.. (await PatientReads.SearchAsync(fhir, access, "Practitioner", [new("active", "true"), new("_count", "200")], cancellationToken)).Of<Practitioner>().OrderBy(PatientDisplay.StaffName, StringComparer.Ordinal)];

    /// <summary>The full banner (allergies and current place) for the encounter pages.</summary>
    public static async Task<PatientBanner> BannerAsync(FhirRestService fhir, IFhirAccess access, Patient patient, DateOnly today, CancellationToken cancellationToken)
    {
        var allergies = (await PatientReads.SearchAsync(fhir, access, "AllergyIntolerance", [new("patient", patient.Id!), new("_count", "50")], cancellationToken)).Of<AllergyIntolerance>();
        return PatientBanner.For(patient, today, [.. allergies], await PatientReads.CurrentLocationAsync(fhir, access, patient.Id!, cancellationToken));
    }

    /// <summary>A FHIR dateTime shown in the hospital's time zone, "3-Mar-2026 14:30"; empty when absent.</summary>
    public static string Time(string? value, TimeZoneInfo zone) =>
        value is null ? "" : new FhirDateTime(value).ToDateTimeOffset(TimeSpan.Zero) is var at
            ? $"{PatientDisplay.Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime))} {TimeZoneInfo.ConvertTime(at, zone):HH:mm}"
            : "";

    /// <summary>
    /// The patient's current inpatient stay (current encounter) with its ward, bed and consultant;
    /// null when they are not in hospital. For the chart summary and the banner's neighbours.
    /// </summary>
    public static async Task<EncounterView?> CurrentStayAsync(FhirRestService fhir, IFhirAccess access, string patientId, CancellationToken cancellationToken) =>
        await ForPatientAsync(fhir, access, patientId, EncounterStates.CurrentSearchValue, cancellationToken) is [var newest, ..] ? newest : null;
}

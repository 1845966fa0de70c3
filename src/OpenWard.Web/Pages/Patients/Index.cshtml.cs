using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// My patients: for outpatient staff, today's clinic (their Appointments today) and the referrals
/// waiting for them or their teams (active ServiceRequests whose performer is them or a CareTeam of
/// theirs); for ward staff, the ward list of each ward they work on (their account's wards), that is
/// every current encounter at the ward, by bed, and the patients expected on it (planned
/// encounters from yesterday to tomorrow, see <see cref="Admissions.ExpectedWindow"/>). These are the same records that give them a care
/// relationship with the patient (<see cref="CareRelationships"/>), so everyone listed can be opened.
/// </summary>
public sealed class IndexModel(FhirRestService fhir, TimeProvider time) : PageModel
{
    /// <summary>More patients than any ward has beds; a ward past this shows the first ones and says so.</summary>
    public const int MaximumPerWard = 100;

    public IReadOnlyList<WardList> Wards { get; private set; } = [];

    /// <summary>Today's clinic; null for staff with no Practitioner record (no appointments can be theirs).</summary>
    public PatientList<ClinicRow>? Clinic { get; private set; }

    /// <summary>Referrals waiting for the user or their teams; null for staff with neither.</summary>
    public PatientList<ReferralRow>? Referrals { get; private set; }

    public sealed record PatientList<TRow>(IReadOnlyList<TRow> Rows, bool Truncated);

    public sealed record ClinicRow(string PatientId, string Time, string Name, string Age, string NhsNumber, string Clinic, string Status, string Description, IReadOnlyList<string> Alerts);

    public sealed record ReferralRow(string PatientId, string Name, string Age, string NhsNumber, string Reason, string To, string Referred, string Priority, IReadOnlyList<string> Alerts);

    public sealed record WardList(string Id, string Name, IReadOnlyList<WardRow> Patients, bool Truncated)
    {
        public PatientList<ExpectedRow> Expected { get; init; } = new([], false);

        /// <summary>Whether the user may see NEWS2 and escalations (not a ward clerk): otherwise those columns are left out.</summary>
        public bool ShowsBoard { get; init; } = true;
    }

    public sealed record ExpectedRow(string PatientId, string Expected, string Name, string Age, string NhsNumber, string Consultant, string Reason, IReadOnlyList<string> Alerts);

    public sealed record WardRow(string PatientId, string Bed, string Name, string Age, string NhsNumber, string Consultant, int DaysInHospital, IReadOnlyList<string> Alerts)
    {
        public int? BedNumber { get; init; }

        /// <summary>The patient's NEWS2, observations due and open escalations (<see cref="WardBoard"/>).</summary>
        public BoardStatus Board { get; init; } = BoardStatus.Nothing;
    }

    /// <summary>Now, for the board's "due" and "overdue" words.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The hospital's time zone, for times of day.</summary>
    public TimeZoneInfo Zone => time.LocalTimeZone;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var shown = await PageAccess.RunAsync(HttpContext, "search-type", 'E', async access =>
        {
            var wards = new List<WardList>();
            foreach (var ward in access.Principal.Wards)
            {
                wards.Add(await WardListAsync(access, ward, today, cancellationToken) with { Expected = await ExpectedAsync(access, ward, today, cancellationToken) });
            }

            Wards = wards;
            if (access.Principal.PractitionerId is { } practitioner)
            {
                Clinic = await ClinicAsync(access, practitioner, cancellationToken);
            }

            var referredTo = access.Principal.Teams.Select(t => $"CareTeam/{t}").Concat(access.Principal.PractitionerId is { } me ? [$"Practitioner/{me}"] : []).ToList();
            if (referredTo.Count > 0)
            {
                Referrals = await ReferralsAsync(access, referredTo, today, cancellationToken);
            }

            return this;
        });
        return shown is null ? Challenge() : Page();
    }

    /// <summary>The ward's current patients, by risk; shared with the large-screen board (Wards/Board).</summary>
    internal static async Task<WardList> WardListAsync(FhirRestService fhir, TimeProvider time, IFhirAccess access, string wardId, DateOnly today, CancellationToken cancellationToken)
    {
        return await new IndexModel(fhir, time).WardListAsync(access, wardId, today, cancellationToken);
    }

    private async Task<WardList> WardListAsync(IFhirAccess access, string wardId, DateOnly today, CancellationToken cancellationToken)
    {
        var found = await PatientReads.SearchAsync(fhir, access, "Encounter",
        [
            new("location", $"Location/{wardId}"), new("status", EncounterStates.CurrentSearchValue),
            new("_include", "Encounter:patient"), new("_include", "Encounter:participant"), new("_include", "Encounter:location"),
            new("_count", (MaximumPerWard + 1).ToString(CultureInfo.InvariantCulture)),
        ], cancellationToken);
        var encounters = found.Of<Encounter>().ToList();
        var wardName = found.Included.OfType<Location>().FirstOrDefault(l => l.Id == wardId)?.Name ?? await WardNameAsync(access, wardId, cancellationToken);

        var patientIds = encounters.Select(e => found.Resolve<Patient>(e.Subject)?.Id).OfType<string>().Distinct().ToList();
        var alerts = await AlertsAsync(access, patientIds, cancellationToken);
        var board = await WardBoardReads.StatusesAsync(fhir, access, patientIds, time.GetUtcNow(), cancellationToken);

        var rows = new List<WardRow>();
        foreach (var encounter in encounters.Take(MaximumPerWard))
        {
            if (found.Resolve<Patient>(encounter.Subject) is not { Id: { } patientId } patient)
            {
                continue; // the policy withheld the patient: leave the row out rather than show half of it
            }

            var (_, bed, _) = PatientReads.Place(encounter, found);
            var bedName = BedName(bed?.Name, wardName);
            rows.Add(new WardRow(
                patientId, bedName, PatientDisplay.Name(patient), PatientDisplay.Age(patient, today), PatientDisplay.NhsNumber(patient),
                Consultant(encounter, found), DaysSince(encounter.Period?.StartElement, today), alerts.GetValueOrDefault(patientId, []))
            {
                BedNumber = TrailingNumber(bedName),
                Board = board?.GetValueOrDefault(patientId, BoardStatus.Nothing) ?? BoardStatus.Nothing,
            });
        }

        // By risk (WardBoard.Order): an unanswered escalation first, then band, overdue, score, and bed.
        var sorted = WardBoard.Order(rows.OrderBy(r => r.Name, StringComparer.Ordinal), r => r.Board, r => r.BedNumber, r => r.Bed, time.GetUtcNow());
        return new WardList(wardId, wardName, sorted, encounters.Count > MaximumPerWard) { ShowsBoard = board is not null };
    }

    /// <summary>The patients expected on the ward (planned admissions from yesterday to tomorrow), by expected time.</summary>
    private async Task<PatientList<ExpectedRow>> ExpectedAsync(IFhirAccess access, string wardId, DateOnly today, CancellationToken cancellationToken)
    {
        var found = await PatientReads.SearchAsync(fhir, access, "Encounter",
        [
            new("location", $"Location/{wardId}"), new("status", "planned"), .. Admissions.ExpectedCriteria(time.GetUtcNow(), time.LocalTimeZone),
            new("_include", "Encounter:patient"), new("_include", "Encounter:participant"), new("_sort", "date"),
            new("_count", (MaximumPerWard + 1).ToString(CultureInfo.InvariantCulture)),
        ], cancellationToken);
        var encounters = found.Of<Encounter>().ToList();
        var rows = new List<ExpectedRow>();
        foreach (var encounter in encounters.Take(MaximumPerWard))
        {
            if (found.Resolve<Patient>(encounter.Subject) is not { Id: { } patientId } patient)
            {
                continue; // the policy withheld the patient: leave the row out rather than show half of it
            }

            var reason = encounter.ReasonCode.Select(PatientDisplay.Text).FirstOrDefault() ?? PatientDisplay.NotKnown;
            rows.Add(new ExpectedRow(patientId, ChartDisplay.When(encounter.Period?.StartElement, time.LocalTimeZone), PatientDisplay.Name(patient), PatientDisplay.Age(patient, today), PatientDisplay.NhsNumber(patient), Consultant(encounter, found), reason, []));
        }

        var alerts = await AlertsAsync(access, [.. rows.Select(r => r.PatientId).Distinct()], cancellationToken);
        return new PatientList<ExpectedRow>([.. rows.Select(r => r with { Alerts = alerts.GetValueOrDefault(r.PatientId, []) })], encounters.Count > MaximumPerWard);
    }

    /// <summary>The user's appointments today where the hospital is, by time, with the patient's alerts.</summary>
    private async Task<PatientList<ClinicRow>> ClinicAsync(IFhirAccess access, string practitionerId, CancellationToken cancellationToken)
    {
        var zone = time.LocalTimeZone;
        var midnight = time.GetLocalNow().Date;
        string Instant(DateTime local) => new DateTimeOffset(local, zone.GetUtcOffset(local)).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        var found = await PatientReads.SearchAsync(fhir, access, "Appointment",
        [
            new("actor", $"Practitioner/{practitionerId}"), new("status", "booked,arrived,checked-in,fulfilled"),
            new("date", "ge" + Instant(midnight)), new("date", "lt" + Instant(midnight.AddDays(1))),
            new("_include", "Appointment:patient"), new("_include", "Appointment:location"), new("_sort", "date"),
            new("_count", (MaximumPerWard + 1).ToString(CultureInfo.InvariantCulture)),
        ], cancellationToken);
        var appointments = found.Of<Appointment>().ToList();
        var rows = new List<ClinicRow>();
        var today = DateOnly.FromDateTime(midnight);
        foreach (var appointment in appointments.Take(MaximumPerWard))
        {
            var actors = appointment.Participant.Select(p => p.Actor).ToList();
            if (actors.Select(found.Resolve<Patient>).OfType<Patient>().FirstOrDefault() is not { Id: { } patientId } patient)
            {
                continue; // the policy withheld the patient: leave the row out rather than show half of it
            }

            var clinic = actors.Select(found.Resolve<Location>).OfType<Location>().FirstOrDefault()?.Name ?? PatientDisplay.NotKnown;
            var at = appointment.Start is { } start ? TimeZoneInfo.ConvertTime(start, zone).ToString("HH:mm", CultureInfo.InvariantCulture) : PatientDisplay.NotKnown;
            rows.Add(new ClinicRow(patientId, at, PatientDisplay.Name(patient), PatientDisplay.Age(patient, today), PatientDisplay.NhsNumber(patient), clinic, ChartDisplay.Words(appointment.Status), appointment.Description ?? "", []));
        }

        var alerts = await AlertsAsync(access, [.. rows.Select(r => r.PatientId).Distinct()], cancellationToken);
        return new PatientList<ClinicRow>([.. rows.Select(r => r with { Alerts = alerts.GetValueOrDefault(r.PatientId, []) })], appointments.Count > MaximumPerWard);
    }

    /// <summary>Active referrals to the user or their teams, oldest first (longest waiting at the top).</summary>
    private async Task<PatientList<ReferralRow>> ReferralsAsync(IFhirAccess access, IReadOnlyList<string> referredTo, DateOnly today, CancellationToken cancellationToken)
    {
        var found = await PatientReads.SearchAsync(fhir, access, "ServiceRequest",
        [
            new("performer", string.Join(',', referredTo)), new("status", "active"),
            new("_include", "ServiceRequest:subject"), new("_sort", "authored"),
            new("_count", (MaximumPerWard + 1).ToString(CultureInfo.InvariantCulture)),
        ], cancellationToken);
        var requests = found.Of<ServiceRequest>().ToList();
        var rows = new List<ReferralRow>();
        foreach (var request in requests.Take(MaximumPerWard))
        {
            if (found.Resolve<Patient>(request.Subject) is not { Id: { } patientId } patient)
            {
                continue;
            }

            // A team CareTeam has no patient, so the policy gives no one a relationship with it: the
            // name comes from the referral's reference, as the referrer wrote it.
            var performer = request.Performer.FirstOrDefault(p => referredTo.Contains(p.Reference));
            var to = performer?.Display ?? (performer?.Reference?.StartsWith("CareTeam/", StringComparison.Ordinal) == true ? "Your team" : "You");
            var reason = request.ReasonCode.Select(PatientDisplay.Text).FirstOrDefault() ?? PatientDisplay.Text(request.Code);
            rows.Add(new ReferralRow(patientId, PatientDisplay.Name(patient), PatientDisplay.Age(patient, today), PatientDisplay.NhsNumber(patient), reason, to, ChartDisplay.When(request.AuthoredOnElement, time.LocalTimeZone), ChartDisplay.Words(request.Priority), []));
        }

        var alerts = await AlertsAsync(access, [.. rows.Select(r => r.PatientId).Distinct()], cancellationToken);
        return new PatientList<ReferralRow>([.. rows.Select(r => r with { Alerts = alerts.GetValueOrDefault(r.PatientId, []) })], requests.Count > MaximumPerWard);
    }

    private async Task<string> WardNameAsync(IFhirAccess access, string wardId, CancellationToken cancellationToken)
    {
        try
        {
            return (await PatientReads.ReadAsync<Location>(fhir, access, wardId, cancellationToken)).Name ?? wardId;
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return wardId;
        }
    }

    /// <summary>The patients' active alerts (Flag resources), by patient id.</summary>
    private async Task<Dictionary<string, IReadOnlyList<string>>> AlertsAsync(IFhirAccess access, IReadOnlyList<string> patientIds, CancellationToken cancellationToken)
    {
        if (patientIds.Count == 0)
        {
            return [];
        }

        var flags = await PatientReads.SearchAsync(fhir, access, "Flag", [new("patient", string.Join(',', patientIds.Select(id => $"Patient/{id}"))), new("_count", "500")], cancellationToken);
        // R4 defines no status search parameter for Flag: active ones are picked out here.
        return flags.Of<Flag>()
            .Where(f => f.Status == Flag.FlagStatus.Active)
            .Select(f => (Flag: f, Subject: f.Subject?.Reference))
            .Where(f => f.Subject?.StartsWith("Patient/", StringComparison.Ordinal) == true)
            .GroupBy(f => f.Subject!["Patient/".Length..], f => f.Flag)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(f => PatientDisplay.Text(f.Code)).Distinct()]);
    }

    /// <summary>The attending (else the first) practitioner of the encounter, by name.</summary>
    private static string Consultant(Encounter encounter, PatientReads.Found found)
    {
        var participants = encounter.Participant.Where(p => p.Period?.End is null).ToList();
        var attending = participants.FirstOrDefault(p => p.Type.Any(t => t.Coding.Any(c => c.Code == "ATND"))) ?? participants.FirstOrDefault();
        return found.Resolve<Practitioner>(attending?.Individual) is { } practitioner ? PatientDisplay.StaffName(practitioner) : PatientDisplay.NotKnown;
    }

    /// <summary>Whole days since admission (0 on the day of admission).</summary>
    private static int DaysSince(FhirDateTime? start, DateOnly today) =>
        start?.TryToDateTimeOffset(out var admitted) == true ? Math.Max(0, today.DayNumber - DateOnly.FromDateTime(admitted.LocalDateTime).DayNumber) : 0;

    /// <summary>"Elm Ward bed 3" on Elm Ward is "Bed 3"; no bed is "No bed".</summary>
    private static string BedName(string? bed, string ward)
    {
        if (string.IsNullOrWhiteSpace(bed))
        {
            return "No bed";
        }

        var name = bed.StartsWith(ward + " ", StringComparison.Ordinal) ? bed[(ward.Length + 1)..] : bed;
        return char.ToUpper(name[0], CultureInfo.InvariantCulture) + name[1..];
    }

    private static int? TrailingNumber(string text)
    {
        var start = text.Length;
        while (start > 0 && char.IsAsciiDigit(text[start - 1]))
        {
            start--;
        }

        return start < text.Length && int.TryParse(text.AsSpan(start), CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}

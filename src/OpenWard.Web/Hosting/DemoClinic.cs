using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.DemoData;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Pages.Patients;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Hosting;

/// <summary>
/// Demo mode's outpatient work, relative to the clock (the generated population is relative to a
/// fixed instant, so it has no clinic today): today's clinic for the demo outpatient doctor in
/// Medical Outpatients (adults), added on the first start of each day, and a respiratory team with referrals
/// waiting for it, added once; and two admissions expected on the demo ward that afternoon, added
/// on the first start of each day, so that the demo nurse can admit a patient she may already see.
/// The patients are demo patients not in hospital. Illustrative data, written through
/// <see cref="FhirRestService"/> like any other.
/// </summary>
public static class DemoClinic
{
    /// <summary>The demo outpatient doctor's team, which the referrals are to.</summary>
    public const string TeamId = "team-respiratory";

    public const int Appointments = 6;

    public const int Referrals = 3;

    public const int ExpectedAdmissions = 2;

    private static readonly string[] Reasons = ["Breathlessness on exertion", "Chronic cough", "Abnormal chest X-ray"];

    private static readonly string[] AdmissionReasons = ["Community-acquired pneumonia, from the emergency department", "Fall at home, from the emergency department"];

    public static async System.Threading.Tasks.Task SeedAsync(FhirRestService fhir, TimeProvider time, CancellationToken cancellationToken)
    {
        var access = OperatorAccess.Instance;
        var doctor = $"Practitioner/{DemoStaff.ClinicPractitionerId}";
        var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
        var patients = await OutpatientsAsync(fhir, access, Appointments + Referrals + ExpectedAdmissions, today.AddYears(-18), cancellationToken);

        var day = today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        if (!await ExistsAsync(fhir, access, "Appointment", $"demo-appt-{day}-01", cancellationToken))
        {
            for (var i = 0; i < Math.Min(Appointments, patients.Count); i++)
            {
                var start = At(today, new TimeOnly(9, 0).AddMinutes(20 * i), time.LocalTimeZone);
                var id = $"demo-appt-{day}-{i + 1:D2}";
                await fhir.UpdateAsync(access, "Appointment", id, new Appointment
                {
                    Id = id,
                    Status = i < 2 ? Appointment.AppointmentStatus.Arrived : Appointment.AppointmentStatus.Booked,
                    Description = i % 3 == 0 ? "New patient" : "Follow-up",
                    StartElement = new Instant(start),
                    EndElement = new Instant(start.AddMinutes(20)),
                    Participant =
                    [
                        Participant($"Patient/{patients[i]}"),
                        Participant(doctor),
                        Participant($"Location/{HospitalSite.ClinicId(0)}"),
                    ],
                }, null, cancellationToken);
            }
        }

        if (!await ExistsAsync(fhir, access, "CareTeam", TeamId, cancellationToken))
        {
            await fhir.UpdateAsync(access, "CareTeam", TeamId, new CareTeam
            {
                Id = TeamId,
                Status = CareTeam.CareTeamStatus.Active,
                Name = "Respiratory outpatient team",
                Participant = [new CareTeam.ParticipantComponent { Member = new ResourceReference(doctor) }],
                ManagingOrganization = [new ResourceReference($"Organization/{HospitalSite.TrustId}")],
            }, null, cancellationToken);
            for (var i = 0; i < Referrals && Appointments + i < patients.Count; i++)
            {
                var id = $"demo-referral-{i + 1:D2}";
                await fhir.UpdateAsync(access, "ServiceRequest", id, new ServiceRequest
                {
                    Id = id,
                    Status = RequestStatus.Active,
                    Intent = RequestIntent.Order,
                    Priority = i == 0 ? RequestPriority.Urgent : RequestPriority.Routine,
                    // SNOMED CT 3457005 |Patient referral (procedure)|.
                    Code = new CodeableConcept("http://snomed.info/sct", "3457005", "Patient referral", "Referral to the respiratory outpatient team"),
                    ReasonCode = [new CodeableConcept { Text = Reasons[i] }],
                    Subject = new ResourceReference($"Patient/{patients[Appointments + i]}"),
                    AuthoredOnElement = new FhirDateTime(time.GetUtcNow().AddDays(-3 - (7 * i))),
                    Requester = new ResourceReference($"Organization/{HospitalSite.PracticeId(i)}"),
                    Performer = [new ResourceReference($"CareTeam/{TeamId}", "Respiratory outpatient team")],
                }, null, cancellationToken);
            }
        }

        await ExpectAsync(fhir, access, patients, today, time.LocalTimeZone, cancellationToken);
    }

    /// <summary>Today's expected admissions to the demo ward, one per patient with no plan already.</summary>
    private static async System.Threading.Tasks.Task ExpectAsync(FhirRestService fhir, IFhirAccess access, IReadOnlyList<string> patients, DateOnly today, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        var day = today.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        for (var i = 0; i < ExpectedAdmissions && Appointments + Referrals + i < patients.Count; i++)
        {
            var id = $"demo-expected-{day}-{i + 1:D2}";
            var patientId = patients[Appointments + Referrals + i];
            var planned = await PatientReads.SearchAsync(fhir, access, "Encounter", [new("patient", patientId), new("status", "planned"), new("_count", "1")], cancellationToken);
            if (planned.Matches.Count > 0 || await ExistsAsync(fhir, access, "Encounter", id, cancellationToken))
            {
                continue;
            }

            var expected = Admissions.Expect(patientId, DemoStaff.Ward, At(today, new TimeOnly(14 + (2 * i), 0), zone), HospitalSite.PractitionerId(0), "21", AdmissionReasons[i]);
            expected.Id = id;
            await fhir.UpdateAsync(access, "Encounter", id, expected, null, cancellationToken);
        }
    }

    private static Appointment.ParticipantComponent Participant(string actor) =>
        new() { Actor = new ResourceReference(actor), Status = ParticipationStatus.Accepted };

    private static DateTimeOffset At(DateOnly day, TimeOnly at, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(at);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Adult demo patients (born on or before <paramref name="bornBy"/>, in id order) with no current encounter, so not in hospital now.</summary>
    private static async Task<List<string>> OutpatientsAsync(FhirRestService fhir, IFhirAccess access, int wanted, DateOnly bornBy, CancellationToken cancellationToken)
    {
        var found = await PatientReads.SearchAsync(fhir, access, "Patient", [new("_sort", "_id"), new("_count", "50")], cancellationToken);
        var chosen = new List<string>();
        var adults = found.Of<Patient>()
            .Where(p => p.Id?.StartsWith("pat-", StringComparison.Ordinal) == true && PatientDisplay.BirthDate(p) is { } born && born <= bornBy)
            .Select(p => p.Id!);
        foreach (var id in adults)
        {
            if (chosen.Count == wanted)
            {
                break;
            }

            if (await PatientReads.CurrentEncounterAsync(fhir, access, id, cancellationToken) is null)
            {
                chosen.Add(id);
            }
        }

        return chosen;
    }

    private static async Task<bool> ExistsAsync(FhirRestService fhir, IFhirAccess access, string type, string id, CancellationToken cancellationToken)
    {
        try
        {
            await fhir.ReadAsync(access, type, id, cancellationToken);
            return true;
        }
        catch (FhirException e) when (e.Status is 404 or 410)
        {
            return false;
        }
    }
}

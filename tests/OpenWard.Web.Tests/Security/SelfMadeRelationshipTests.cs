using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// A care relationship comes only from records the writer was allowed to write for every patient
/// they name: a doctor cannot make one for themselves with an Appointment or a referral that also
/// names a patient in their care, nor with an absolute URL to the patient; and a record that names
/// the patient only by absolute URL makes none, whoever wrote it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SelfMadeRelationshipTests(ServerFixture server)
{
    private const string Ward = "selfmade-ward";

    private CareRelationships Relationships => server.Services.GetRequiredService<CareRelationships>();

    /// <summary>A doctor on the ward, one patient admitted there (in their care) and one elsewhere with a Condition.</summary>
    private async Task<(string Doctor, string Practitioner, string Own, string Target)> ArrangeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var (doctor, practitioner, own, target) = ($"selfmade-doctor-{suffix}", $"selfmade-dr-{suffix}", $"selfmade-own-{suffix}", $"selfmade-target-{suffix}");
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(doctor, "Dev Patel", StaffRole.Doctor) { Wards = [Ward], PractitionerId = practitioner }, default);
        using var system = await server.ClientWithScopeAsync();
        await PutAsync(system, new Practitioner { Id = practitioner });
        await PutAsync(system, new Patient { Id = own });
        await PutAsync(system, new Patient { Id = target });
        await PutAsync(system, WardStays.InProgress($"{own}-enc", own, Ward));
        await PutAsync(system, new Condition
        {
            Id = $"{target}-con",
            Code = new CodeableConcept("http://snomed.info/sct", "195967001", "Asthma"),
            Subject = new ResourceReference($"Patient/{target}"),
        });
        return (doctor, practitioner, own, target);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_appointment_naming_a_patient_in_care_and_another_is_refused_and_gives_no_relationship_with_the_other()
    {
        var (doctor, practitioner, own, target) = await ArrangeAsync();
        using var api = StaffTokens.Client(server, doctor);
        var now = DateTimeOffset.UtcNow;
        var appointment = new Appointment
        {
            Status = Appointment.AppointmentStatus.Booked,
            Start = now,
            End = now.AddMinutes(30),
            Participant =
            [
                new Appointment.ParticipantComponent { Actor = new ResourceReference($"Patient/{own}"), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = new ResourceReference($"Patient/{target}"), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = new ResourceReference($"Practitioner/{practitioner}"), Status = ParticipationStatus.Accepted },
            ],
        };

        using var created = await api.PostAsync("Appointment", Json(appointment));

        Assert.False(created.IsSuccessStatusCode, $"The appointment was written: {await created.Content.ReadAsStringAsync()}");
        await AssertNoRelationshipAsync(api, doctor, target);
    }

    [Theory]
    [InlineData(null)] // this server's own address
    [InlineData("https://elsewhere.example.org/fhir")]
    public async System.Threading.Tasks.Task A_referral_naming_the_patient_by_absolute_url_is_refused_and_gives_no_relationship(string? baseUrl)
    {
        var (doctor, practitioner, own, target) = await ArrangeAsync();
        using var api = StaffTokens.Client(server, doctor);
        var referral = new ServiceRequest
        {
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference($"{baseUrl ?? server.FhirUrl}/Patient/{target}"),
            // A performer in the doctor's care puts the referral in that patient's compartment.
            Performer = [new ResourceReference($"Practitioner/{practitioner}"), new ResourceReference($"Patient/{own}")],
        };

        using var created = await api.PostAsync("ServiceRequest", Json(referral));

        Assert.False(created.IsSuccessStatusCode, $"The referral was written: {await created.Content.ReadAsStringAsync()}");
        await AssertNoRelationshipAsync(api, doctor, target);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_referral_naming_the_patient_only_by_absolute_url_makes_no_relationship_whoever_wrote_it()
    {
        var (doctor, practitioner, _, target) = await ArrangeAsync();
        using var system = await server.ClientWithScopeAsync();
        await PutAsync(system, new ServiceRequest
        {
            Id = $"{target}-absolute-referral",
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Subject = new ResourceReference($"{server.FhirUrl}/Patient/{target}"),
            Performer = [new ResourceReference($"Practitioner/{practitioner}")],
        });
        using var api = StaffTokens.Client(server, doctor);

        await AssertNoRelationshipAsync(api, doctor, target);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_appointment_for_a_patient_in_care_still_makes_the_relationship_it_should()
    {
        var (doctor, practitioner, own, _) = await ArrangeAsync();
        using var api = StaffTokens.Client(server, doctor);
        var now = DateTimeOffset.UtcNow;

        using var created = await api.PostAsync("Appointment", Json(new Appointment
        {
            Status = Appointment.AppointmentStatus.Booked,
            Start = now,
            End = now.AddMinutes(30),
            Participant =
            [
                new Appointment.ParticipantComponent { Actor = new ResourceReference($"Patient/{own}"), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = new ResourceReference($"Practitioner/{practitioner}"), Status = ParticipationStatus.Accepted },
            ],
        }));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    /// <summary>The relationship is worked out afresh (no cached answer), and the target's Condition stays unreadable.</summary>
    private async System.Threading.Tasks.Task AssertNoRelationshipAsync(HttpClient api, string doctor, string target)
    {
        Relationships.ForgetPatient(target);
        var principal = (await server.Services.GetRequiredService<StaffDirectory>().FindAsync(doctor, default))!.ToPrincipal();
        Assert.Equal(Relationship.None, await Relationships.ForAsync(principal, target, default));
        using var condition = await api.GetAsync($"Condition/{target}-con");
        Assert.NotEqual(HttpStatusCode.OK, condition.StatusCode);
        Assert.DoesNotContain("Asthma", await condition.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static StringContent Json(Resource resource) => new(FhirSerialization.ToJson(resource), Encoding.UTF8, "application/fhir+json");

    private static async System.Threading.Tasks.Task PutAsync(HttpClient client, Resource resource)
    {
        using var response = await client.PutAsync($"{resource.TypeName}/{resource.Id}", Json(resource));
        Assert.True(response.IsSuccessStatusCode, $"{resource.TypeName}/{resource.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Search.Query;
using OpenWard.Security.Policy;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;

namespace OpenWard.Browser.Tests;

/// <summary>
/// The demo nurse's ward as the browser tests need it: which demo patients she cares for, and
/// admissions to her ward written as a ward clerk would (illustrative data).
/// </summary>
public static class DemoWard
{
    /// <summary>Ids of the demo patients, in a stable order.</summary>
    public static async Task<List<string>> PatientIdsAsync(IServiceProvider services)
    {
        var query = services.GetRequiredService<SearchQueryParser>().Parse("Patient", [], lenient: false);
        var found = await services.GetRequiredService<IResourceStore>().SearchAsync(query, default);
        // Only the generated ones ("pat-000001"): patients registered by other tests get GUIDs, which would sort first.
        return [.. found.Matches.Select(m => m.Id).Where(id => id.StartsWith("pat-", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>The nurse's relationship with a patient, as the policy sees it.</summary>
    public static async Task<Relationship> NurseRelationshipAsync(IServiceProvider services, string patientId)
    {
        var nurse = (await services.GetRequiredService<StaffDirectory>().FindAsync("nurse", default))!.ToPrincipal();
        return await services.GetRequiredService<CareRelationships>().ForAsync(nurse, patientId, default);
    }

    /// <summary>A demo patient the nurse has no relationship with: opening their record needs break-glass.</summary>
    public static async Task<string> PatientWithoutNurseAsync(IServiceProvider services)
    {
        foreach (var id in await PatientIdsAsync(services))
        {
            if (await NurseRelationshipAsync(services, id) == Relationship.None)
            {
                return id;
            }
        }

        throw new InvalidOperationException("Every demo patient is on the nurse's ward; this test needs one who is not.");
    }

    /// <summary>
    /// Admits the patient now to <paramref name="bed"/> of the nurse's ward, optionally under a
    /// consultant. The write rules hold here too (one current stay per patient, one patient per bed),
    /// and the demo population's occupancy moves with the clock, so whoever holds the bed and the
    /// patient's own current stay are discharged first.
    /// </summary>
    public static async System.Threading.Tasks.Task AdmitAsync(IServiceProvider services, string patientId, string bed, TimeSpan since, string? consultant = null)
    {
        await DischargeAsync(services, [new("patient", patientId), new("status", EncounterStates.CurrentSearchValue)]);
        await DischargeAsync(services, [new("location", $"Location/{bed}"), new("status", EncounterStates.CurrentSearchValue)]);
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.InProgress,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient encounter"),
            Subject = new ResourceReference($"Patient/{patientId}"),
            Period = new Period { Start = new FhirDateTime(DateTimeOffset.UtcNow - since).ToString() },
            Location =
            [
                new Encounter.LocationComponent { Location = new ResourceReference($"Location/{DemoStaff.Ward}"), Status = Encounter.EncounterLocationStatus.Active },
                new Encounter.LocationComponent { Location = new ResourceReference($"Location/{bed}"), Status = Encounter.EncounterLocationStatus.Active },
            ],
        };
        if (consultant is not null)
        {
            encounter.Participant.Add(new Encounter.ParticipantComponent
            {
                Type = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "ATND", "attender")],
                Individual = new ResourceReference($"Practitioner/{consultant}"),
            });
        }

        await services.GetRequiredService<FhirRestService>().CreateAsync(OperatorAccess.Instance, "Encounter", encounter, null, default);
        services.GetRequiredService<CareRelationships>().Forget("nurse", patientId);
    }

    /// <summary>Discharges whoever holds these beds now, so a test can admit into them through the page.</summary>
    public static async System.Threading.Tasks.Task FreeBedsAsync(IServiceProvider services, params string[] beds)
    {
        foreach (var bed in beds)
        {
            await DischargeAsync(services, [new("location", $"Location/{bed}"), new("status", EncounterStates.CurrentSearchValue)]);
        }
    }

    /// <summary>Marks the current encounters matching <paramref name="criteria"/> finished, their locations completed.</summary>
    private static async System.Threading.Tasks.Task DischargeAsync(IServiceProvider services, List<KeyValuePair<string, string>> criteria)
    {
        var query = services.GetRequiredService<SearchQueryParser>().Parse("Encounter", criteria, lenient: false);
        var fhir = services.GetRequiredService<FhirRestService>();
        foreach (var stored in (await services.GetRequiredService<IResourceStore>().SearchAsync(query, default)).Matches)
        {
            var encounter = (Encounter)OpenWard.Fhir.Serialization.FhirSerialization.ParseJson(stored.Json!);
            encounter.Status = Encounter.EncounterStatus.Finished;
            foreach (var location in encounter.Location)
            {
                location.Status = Encounter.EncounterLocationStatus.Completed;
            }

            await fhir.UpdateAsync(OperatorAccess.Instance, "Encounter", encounter.Id!, encounter, null, default);
        }
    }
}

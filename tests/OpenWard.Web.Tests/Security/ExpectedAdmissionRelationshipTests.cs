using Microsoft.Extensions.DependencyInjection;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage.Security;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// An expected admission gives the ward's staff a care relationship while it is current (from the
/// start of yesterday to the end of tomorrow), not before, not after, not once cancelled, and not
/// to staff of other wards; a page's change reaches every user's cached answer at once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ExpectedAdmissionRelationshipTests(ServerFixture server)
{
    private const string Ward = "loc-expect-ward";

    private FhirRestService Fhir => server.Services.GetRequiredService<FhirRestService>();

    private CareRelationships Relationships => server.Services.GetRequiredService<CareRelationships>();

    [Theory]
    [InlineData(-3, Relationship.None)] // a plan from three days ago that nobody admitted or cancelled
    [InlineData(-1, Relationship.CareRelationship)] // a late arrival
    [InlineData(0, Relationship.CareRelationship)]
    [InlineData(1, Relationship.CareRelationship)]
    [InlineData(3, Relationship.None)] // too early to need the record
    public async Task A_planned_encounter_at_the_ward_counts_only_around_its_expected_day(int days, Relationship expected)
    {
        var patientId = $"expect-rel-{days + 10}";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", patientId, new Hl7.Fhir.Model.Patient { Id = patientId }, null, default);
        var zone = server.Services.GetRequiredService<TimeProvider>().LocalTimeZone;
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date.AddDays(days).AddHours(12);
        var plan = Admissions.Expect(patientId, Ward, new DateTimeOffset(local, zone.GetUtcOffset(local)), null, null, null);
        plan.Id = $"{patientId}-plan";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Encounter", plan.Id, plan, null, default);

        Assert.Equal(expected, await Relationships.ForAsync(Nurse("expect-nurse-a", Ward), patientId, default));
        Assert.Equal(Relationship.None, await Relationships.ForAsync(Nurse("expect-nurse-b", "loc-other-ward"), patientId, default));
    }

    [Fact]
    public async Task Cancelling_the_plan_ends_the_relationship_for_every_user_at_once_when_the_page_says_so()
    {
        const string patientId = "expect-rel-cancel";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Patient", patientId, new Hl7.Fhir.Model.Patient { Id = patientId }, null, default);
        var plan = Admissions.Expect(patientId, Ward, DateTimeOffset.UtcNow, null, null, null);
        plan.Id = "expect-rel-cancel-plan";
        await Fhir.UpdateAsync(OperatorAccess.Instance, "Encounter", plan.Id, plan, null, default);
        var nurse = Nurse("expect-nurse-c", Ward);
        Assert.Equal(Relationship.CareRelationship, await Relationships.ForAsync(nurse, patientId, default));

        await Fhir.UpdateAsync(OperatorAccess.Instance, "Encounter", plan.Id, Admissions.CancelExpected(plan), null, default);
        Assert.Equal(Relationship.CareRelationship, await Relationships.ForAsync(nurse, patientId, default)); // cached: the API does not tell the cache
        Relationships.ForgetPatient(patientId);

        Assert.Equal(Relationship.None, await Relationships.ForAsync(nurse, patientId, default));
    }

    private static Principal Nurse(string userName, string ward) => new StaffAccount(userName, userName, StaffRole.Nurse) { Wards = [ward] }.ToPrincipal();
}

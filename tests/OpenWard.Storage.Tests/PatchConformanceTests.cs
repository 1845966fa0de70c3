using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Patch;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Storage.Tests;

/// <summary>
/// The patch interaction (https://hl7.org/fhir/R4/http.html#patch) on every engine, through the
/// FHIR service: a patch is an update of the server's own copy, so versions, history, indexes,
/// If-Match and the write checks all apply, and a failed patch stores nothing.
/// </summary>
public abstract class PatchConformanceTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : StoreFixture
{
    private const string UkCorePatient = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";

    // UK Core 2.0.0's NHS number verification status extension and code system (profiles/ukcore-r4-2.0.0).
    private const string VerificationStatusExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
    private const string VerificationStatusSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";

    private static readonly IFhirAccess Operator = OperatorAccess.Instance;

    private FhirRestService Fhir => fixture.Fhir;
    private static CancellationToken None => CancellationToken.None;

    /// <summary>A synthetic NHS number (999 range, never a real person) with a valid Modulus 11 check digit.</summary>
    private static string UniqueNhsNumber() => TestNhsNumbers.Next();

    private async Task<StoredResource> CreatePatientAsync(string family, string? profile = null)
    {
        var patient = new Patient
        {
            Identifier = [new Identifier(NhsNumber.IdentifierSystem, UniqueNhsNumber())],
            Name = [new HumanName { Family = family, Given = ["Ann", "Beth"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = "1980-05-17",
        };
        if (profile is not null)
        {
            patient.Meta = new Meta { Profile = [profile] };
            patient.Identifier[0].Extension.Add(VerificationStatus("01"));
        }

        var response = await Fhir.CreateAsync(Operator, "Patient", patient, null, None);
        return response.Stored!;
    }

    private static Extension VerificationStatus(string code) => new(VerificationStatusExtension, new CodeableConcept(VerificationStatusSystem, code));

    private static JsonPatch Json(string patch) => JsonPatch.Parse(Encoding.UTF8.GetBytes(patch));

    private static Binary JsonPatchBinary(string patch) => new() { ContentType = ResourcePatch.JsonPatchMediaType, Data = Encoding.UTF8.GetBytes(patch) };

    private static Parameters ReplaceBirthDate(string date)
    {
        var operation = new Parameters.ParameterComponent { Name = "operation" };
        operation.Part.Add(new() { Name = "type", Value = new Code("replace") });
        operation.Part.Add(new() { Name = "path", Value = new FhirString("Patient.birthDate") });
        operation.Part.Add(new() { Name = "value", Value = new Date(date) });
        return new Parameters { Parameter = [operation] };
    }

    private async Task<Patient> CurrentAsync(string id)
    {
        var current = await fixture.Store.ReadAsync("Patient", id, None);
        return (Patient)FhirSerialization.ParseJson(current!.Json!);
    }

    private async Task<List<string>> FamilySearchAsync(string family)
    {
        var response = await Fhir.SearchAsync(Operator, "Patient", QueryString.Parse($"family:exact={family}"), lenient: false, null, None);
        return response.Bundle!.Entries.Where(e => e.SearchMode == Bundle.SearchEntryMode.Match).Select(e => e.Stored!.Id).ToList();
    }

    /// <summary>Asserts that <paramref name="created"/> is still the current version with the same content (jsonb may reorder members).</summary>
    private async System.Threading.Tasks.Task AssertUnchangedAsync(StoredResource created)
    {
        var current = await fixture.Store.ReadAsync("Patient", created.Id, None);
        Assert.Equal(created.VersionId, current!.VersionId);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(created.Json!), JsonNode.Parse(current.Json!)), "the stored content changed");
    }

    [Fact]
    public async System.Threading.Tasks.Task A_JSON_Patch_makes_a_new_version_that_history_records_as_a_PATCH()
    {
        var created = await CreatePatientAsync("Patchley");

        var response = await Fhir.PatchAsync(Operator, "Patient", created.Id, Json("""[{"op":"replace","path":"/name/0/given/1","value":"Bea"},{"op":"add","path":"/active","value":true}]"""), null, None);

        Assert.Equal(200, response.Status);
        Assert.Equal(2, response.Stored!.VersionId);
        var patient = await CurrentAsync(created.Id);
        Assert.Equal(["Ann", "Bea"], patient.Name[0].Given);
        Assert.True(patient.Active);
        Assert.Equal("2", patient.Meta!.VersionId);
        var history = await fixture.Store.HistoryAsync(new HistoryQuery("Patient", created.Id, null, 10, 0), None);
        Assert.Equal([(2, "PATCH"), (1, "POST")], history.Entries.Select(e => (e.VersionId, e.Method)));
    }

    [Fact]
    public async System.Threading.Tasks.Task Search_indexes_follow_the_patched_content()
    {
        var family = "Before" + Guid.NewGuid().ToString("N")[..6];
        var renamed = "After" + Guid.NewGuid().ToString("N")[..6];
        var created = await CreatePatientAsync(family);

        await Fhir.PatchAsync(Operator, "Patient", created.Id, Json($$"""[{"op":"replace","path":"/name/0/family","value":"{{renamed}}"}]"""), null, None);

        Assert.Empty(await FamilySearchAsync(family));
        Assert.Equal([created.Id], await FamilySearchAsync(renamed));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_FHIRPath_Patch_is_applied_the_same_way()
    {
        var created = await CreatePatientAsync("Pathway");

        var response = await Fhir.PatchAsync(Operator, "Patient", created.Id, ResourcePatch.FromResource(ReplaceBirthDate("1981-06-18")), "W/\"1\"", None);

        Assert.Equal(2, response.Stored!.VersionId);
        Assert.Equal("1981-06-18", (await CurrentAsync(created.Id)).BirthDate);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_stale_If_Match_is_412_and_changes_nothing()
    {
        var created = await CreatePatientAsync("Stale");
        await Fhir.PatchAsync(Operator, "Patient", created.Id, Json("""[{"op":"add","path":"/active","value":true}]"""), "W/\"1\"", None);

        var error = await Assert.ThrowsAsync<FhirException>(() =>
            Fhir.PatchAsync(Operator, "Patient", created.Id, Json("""[{"op":"replace","path":"/name/0/family","value":"Lost"}]"""), "W/\"1\"", None));

        Assert.Equal(412, error.Status);
        var current = await fixture.Store.ReadAsync("Patient", created.Id, None);
        Assert.Equal(2, current!.VersionId);
        Assert.DoesNotContain("Lost", current.Json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/name/0/family","value":"Someone else"},{"op":"replace","path":"/active","value":false}]""", 422, ResourcePatch.TestFailedCode)]
    [InlineData("""[{"op":"add","path":"/active","value":true},{"op":"remove","path":"/telecom"}]""", 422, ResourcePatch.FailedCode)]
    [InlineData("""[{"op":"add","path":"/active","value":true},{"op":"replace","path":"/gender","value":"sometimes"}]""", 422, ResourcePatch.ResultInvalidCode)]
    [InlineData("""[{"op":"add","path":"/active","value":true},{"op":"replace","path":"/id","value":"someone-else"}]""", 400, ResourcePatch.IdentityCode)]
    [InlineData("""[{"op":"replace","path":"/identifier/0/value","value":"9434765918"}]""", 422, "NHS_NUMBER_INVALID")]
    public async System.Threading.Tasks.Task A_patch_that_fails_stores_nothing(string patch, int status, string code)
    {
        var created = await CreatePatientAsync("Failing");

        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.PatchAsync(Operator, "Patient", created.Id, Json(patch), null, None));

        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.Outcome.Issue[0].Details!.Coding[0].Code);
        await AssertUnchangedAsync(created);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_patch_that_breaks_a_claimed_UK_Core_profile_is_422_and_stores_nothing()
    {
        var created = await CreatePatientAsync("Profiled", UkCorePatient);
        var secondStatus = $$$"""{"url":"{{{VerificationStatusExtension}}}","valueCodeableConcept":{"coding":[{"system":"{{{VerificationStatusSystem}}}","code":"02"}]}}""";

        var error = await Assert.ThrowsAsync<FhirException>(() =>
            Fhir.PatchAsync(Operator, "Patient", created.Id, Json($$"""[{"op":"add","path":"/identifier/0/extension/-","value":{{secondStatus}}}]"""), null, None));

        Assert.Equal(422, error.Status);
        Assert.Contains(error.Outcome.Issue, issue => issue.Expression.Contains("Patient.identifier[0]"));
        await AssertUnchangedAsync(created);
    }

    [Fact]
    public async System.Threading.Tasks.Task Patching_an_unknown_resource_is_404_and_a_deleted_one_410()
    {
        var deleted = await CreatePatientAsync("Deleted");
        await Fhir.DeleteAsync(Operator, "Patient", deleted.Id, None);
        var patch = Json("""[{"op":"add","path":"/active","value":true}]""");

        var unknown = await Assert.ThrowsAsync<FhirException>(() => Fhir.PatchAsync(Operator, "Patient", "no-such-patient", patch, null, None));
        var gone = await Assert.ThrowsAsync<FhirException>(() => Fhir.PatchAsync(Operator, "Patient", deleted.Id, patch, null, None));

        Assert.Equal(404, unknown.Status);
        Assert.Equal(410, gone.Status);
        Assert.Null(await fixture.Store.ReadAsync("Patient", "no-such-patient", None));
    }

    [Fact]
    public async System.Threading.Tasks.Task Conditional_patch_patches_the_one_match_and_refuses_none_or_several()
    {
        var family = "Cond" + Guid.NewGuid().ToString("N")[..6];
        var twins = "Twin" + Guid.NewGuid().ToString("N")[..6];
        var created = await CreatePatientAsync(family);
        await CreatePatientAsync(twins);
        await CreatePatientAsync(twins);
        var patch = Json("""[{"op":"add","path":"/active","value":true}]""");

        var one = await Fhir.ConditionalPatchAsync(Operator, "Patient", $"family:exact={family}", patch, null, None);
        var none = await Assert.ThrowsAsync<FhirException>(() => Fhir.ConditionalPatchAsync(Operator, "Patient", "family:exact=Nobody-at-all", patch, null, None));
        var several = await Assert.ThrowsAsync<FhirException>(() => Fhir.ConditionalPatchAsync(Operator, "Patient", $"family:exact={twins}", patch, null, None));

        Assert.Equal(created.Id, one.Stored!.Id);
        Assert.Equal(2, one.Stored.VersionId);
        Assert.Equal(404, none.Status);
        Assert.Equal(412, several.Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task Concurrent_patches_never_lose_an_applied_change()
    {
        var created = await CreatePatientAsync("Concurrent");
        var tasks = Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                await Fhir.PatchAsync(Operator, "Patient", created.Id, Json($$"""[{"op":"add","path":"/name/0/given/-","value":"Writer{{i}}"}]"""), null, None);
                return $"Writer{i}";
            }
            catch (FhirException e) when (e.Status is 409 or 412)
            {
                return null;
            }
        });

        var applied = (await System.Threading.Tasks.Task.WhenAll(tasks)).OfType<string>().ToList();

        Assert.NotEmpty(applied);
        var patient = await CurrentAsync(created.Id);
        Assert.Equal(applied.Order(StringComparer.Ordinal), patient.Name[0].Given.Skip(2).Order(StringComparer.Ordinal));
        Assert.Equal(1 + applied.Count, int.Parse(patient.Meta!.VersionId!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_applies_JSON_Patch_in_a_Binary_and_FHIRPath_Patch_entries()
    {
        var first = await CreatePatientAsync("TxnJson");
        var second = await CreatePatientAsync("TxnPath");
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = JsonPatchBinary("""[{"op":"test","path":"/meta/versionId","value":"1"},{"op":"add","path":"/active","value":false}]"""),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Patient/{first.Id}" },
        });
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = ReplaceBirthDate("1975-09-09"),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Patient/{second.Id}", IfMatch = "W/\"1\"" },
        });

        var response = await Fhir.ProcessBundleAsync(Operator, bundle, None);

        Assert.Equal(["200 OK", "200 OK"], response.Bundle!.Entries.Select(e => e.ResponseStatus));
        Assert.Equal(["W/\"2\"", "W/\"2\""], response.Bundle.Entries.Select(e => e.ResponseEtag));
        Assert.False((await CurrentAsync(first.Id)).Active);
        Assert.Equal("1975-09-09", (await CurrentAsync(second.Id)).BirthDate);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_FHIRPath_Patch_in_a_transaction_may_refer_to_a_resource_the_transaction_creates()
    {
        var patient = await CreatePatientAsync("TxnOld");
        var observation = await Fhir.CreateAsync(Operator, "Observation", new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
            Subject = new ResourceReference($"Patient/{patient.Id}"),
        }, null, None);
        var newPatient = new Patient { Name = [new HumanName { Family = "TxnNew" }] };
        var fullUrl = "urn:uuid:" + Guid.NewGuid();
        var operation = new Parameters.ParameterComponent { Name = "operation" };
        operation.Part.Add(new() { Name = "type", Value = new Code("replace") });
        operation.Part.Add(new() { Name = "path", Value = new FhirString("Observation.subject") });
        operation.Part.Add(new() { Name = "value", Value = new ResourceReference(fullUrl) });
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Parameters { Parameter = [operation] },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Observation/{observation.Stored!.Id}" },
        });
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = fullUrl, Resource = newPatient, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });

        var response = await Fhir.ProcessBundleAsync(Operator, bundle, None);

        var createdId = response.Bundle!.Entries[1].Stored!.Id;
        var patched = (Observation)FhirSerialization.ParseJson((await fixture.Store.ReadAsync("Observation", observation.Stored.Id, None))!.Json!);
        Assert.Equal($"Patient/{createdId}", patched.Subject!.Reference);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_failing_patch_entry_rolls_back_the_whole_transaction()
    {
        var patched = await CreatePatientAsync("TxnRollback");
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = JsonPatchBinary("""[{"op":"add","path":"/active","value":true}]"""),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Patient/{patched.Id}" },
        });
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = JsonPatchBinary("""[{"op":"test","path":"/gender","value":"male"}]"""),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Patient/{patched.Id}" },
        });

        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.ProcessBundleAsync(Operator, bundle, None));

        Assert.Equal(422, error.Status);
        Assert.Contains("Entry 1", error.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        await AssertUnchangedAsync(patched);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_batch_answers_each_patch_entry_on_its_own()
    {
        var patched = await CreatePatientAsync("Batch");
        var bundle = new Bundle { Type = Bundle.BundleType.Batch };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = JsonPatchBinary("""[{"op":"add","path":"/active","value":true}]"""),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Patient/{patched.Id}" },
        });
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Patient(),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PATCH, Url = $"Patient/{patched.Id}" },
        });

        var response = await Fhir.ProcessBundleAsync(Operator, bundle, None);

        Assert.Equal(["200 OK", "400"], response.Bundle!.Entries.Select(e => e.ResponseStatus));
        Assert.True((await CurrentAsync(patched.Id)).Active);
    }
}

public sealed class SqlitePatchConformanceTests(SqliteStoreFixture fixture) : PatchConformanceTests<SqliteStoreFixture>(fixture);

public sealed class PostgresPatchConformanceTests(PostgresStoreFixture fixture) : PatchConformanceTests<PostgresStoreFixture>(fixture);

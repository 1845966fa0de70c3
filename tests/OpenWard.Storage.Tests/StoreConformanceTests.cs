using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Storage.Tests;

/// <summary>
/// The storage conformance suite: every engine must pass every test here (Npgsql's habit of one
/// specification suite for all providers). Writes go through the FHIR service so the real
/// indexer, checks and history are exercised.
/// </summary>
public abstract class StoreConformanceTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : StoreFixture
{
    private static readonly IFhirAccess Operator = OperatorAccess.Instance;
    private FhirRestService Fhir => fixture.Fhir;
    private static CancellationToken None => CancellationToken.None;


    private static string UniqueNhsNumber() => TestNhsNumbers.Next();

    private static Patient NewPatient(string family, string given, string nhsNumber, string birthDate = "1980-05-17") => new()
    {
        Identifier = [new Identifier(NhsNumber.IdentifierSystem, nhsNumber)],
        Name = [new HumanName { Family = family, Given = [given] }],
        Gender = AdministrativeGender.Female,
        BirthDate = birthDate,
    };

    private async Task<StoredResource> CreateAsync(Resource resource)
    {
        var response = await Fhir.CreateAsync(Operator, resource.TypeName, resource, null, None);
        Assert.Equal(201, response.Status);
        return response.Stored!;
    }

    private async Task<List<StoredResource>> SearchAsync(string type, string query, string? compartment = null)
    {
        var response = await Fhir.SearchAsync(Operator, type, QueryString.Parse(query), lenient: false, compartment, None);
        return response.Bundle!.Entries.Where(e => e.SearchMode == Bundle.SearchEntryMode.Match).Select(e => e.Stored!).ToList();
    }

    private static Observation HeartRate(string patientId, string dateTime, decimal value) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", "8867-4", "Heart rate"),
        Subject = new ResourceReference($"Patient/{patientId}"),
        Effective = new FhirDateTime(dateTime),
        Value = new Quantity(value, "/min") { System = "http://unitsofmeasure.org", Code = "/min" },
    };

    [Fact]
    public async System.Threading.Tasks.Task A_search_with_two_indexed_criteria_finds_the_same_matches_whichever_criterion_is_rarer()
    {
        // Many finished encounters at one ward and two in progress: the status is the rarer
        // criterion, though a reference usually names fewer rows than a code (the store measures).
        var ward = "Location/ward-" + Guid.NewGuid().ToString("N");
        var patient = await CreateAsync(NewPatient("Wardley", "Ann", UniqueNhsNumber()));
        Encounter At(Encounter.EncounterStatus status) => new()
        {
            Status = status,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP"),
            Subject = new ResourceReference($"Patient/{patient.Id}"),
            Location = [new Encounter.LocationComponent { Location = new ResourceReference(ward) }],
        };
        for (var i = 0; i < 30; i++)
        {
            await CreateAsync(At(Encounter.EncounterStatus.Finished));
        }

        var current = new[] { await CreateAsync(At(Encounter.EncounterStatus.InProgress)), await CreateAsync(At(Encounter.EncounterStatus.InProgress)) };

        var found = await SearchAsync("Encounter", $"location={ward}&status=in-progress&_total=accurate");
        var reversed = await SearchAsync("Encounter", $"status=in-progress&location={ward}");

        Assert.Equal(current.Select(c => c.Id).Order(), found.Select(f => f.Id).Order());
        Assert.Equal(current.Select(c => c.Id).Order(), reversed.Select(f => f.Id).Order());
        Assert.Equal(30, (await SearchAsync("Encounter", $"location={ward}&status=finished&_count=100")).Count);
    }

    [Fact]
    public async System.Threading.Tasks.Task Create_then_read_returns_the_same_content_as_version_1()
    {
        var created = await CreateAsync(NewPatient("Smith", "Zoë", UniqueNhsNumber()));

        var read = await Fhir.ReadAsync(Operator, "Patient", created.Id, None);

        Assert.Equal(200, read.Status);
        Assert.Equal(1, read.Stored!.VersionId);
        var patient = (Patient)FhirSerialization.ParseJson(read.Stored.Json!);
        Assert.Equal("Zoë", patient.Name[0].Given!.Single());
        Assert.Equal("1", patient.Meta!.VersionId);
        Assert.Equal(created.LastUpdated, patient.Meta.LastUpdated);
    }

    [Fact]
    public async System.Threading.Tasks.Task Every_way_of_reading_a_resource_says_which_patient_it_belongs_to()
    {
        var patient = await CreateAsync(NewPatient("Owner", "Olu", UniqueNhsNumber()));
        var observation = await CreateAsync(HeartRate(patient.Id, "2025-01-02T10:00:00Z", 71));
        var location = await CreateAsync(new Location { Name = "No patient's" });

        Assert.Equal(patient.Id, patient.PatientId);
        Assert.Equal(patient.Id, observation.PatientId);
        Assert.Equal(patient.Id, (await fixture.Store.ReadAsync("Observation", observation.Id, None))!.PatientId);
        Assert.Equal(patient.Id, (await fixture.Store.VReadAsync("Observation", observation.Id, 1, None))!.PatientId);
        Assert.Equal(patient.Id, Assert.Single(await SearchAsync("Observation", $"_id={observation.Id}")).PatientId);
        Assert.Equal(patient.Id, (await fixture.Store.HistoryAsync(new HistoryQuery("Observation", observation.Id, null, 10, 0), None)).Entries.Single().PatientId);
        Assert.All((await fixture.Store.PatientCompartmentAsync(patient.Id, 10, 0, None)).Entries, e => Assert.Equal(patient.Id, e.PatientId));
        Assert.Null((await fixture.Store.ReadAsync("Location", location.Id, None))!.PatientId);

        var response = await Fhir.SearchAsync(Operator, "Observation", QueryString.Parse($"_id={observation.Id}&_include=Observation:subject"), lenient: false, null, None);
        Assert.Equal(patient.Id, response.Bundle!.Entries.Single(e => e.SearchMode == Bundle.SearchEntryMode.Include).Stored!.PatientId);
    }

    [Fact]
    public async System.Threading.Tasks.Task Update_makes_a_new_version_and_history_keeps_every_version()
    {
        var created = await CreateAsync(NewPatient("Jones", "Ann", UniqueNhsNumber()));
        var patient = (Patient)FhirSerialization.ParseJson(created.Json!);
        patient.Name[0].Family = "Jones-Evans";

        var updated = await Fhir.UpdateAsync(Operator, "Patient", created.Id, patient, "W/\"1\"", None);

        Assert.Equal(200, updated.Status);
        Assert.Equal(2, updated.Stored!.VersionId);
        var history = await fixture.Store.HistoryAsync(new HistoryQuery("Patient", created.Id, null, 10, 0), None);
        Assert.Equal([2, 1], history.Entries.Select(e => e.VersionId));
        var first = await Fhir.VReadAsync(Operator, "Patient", created.Id, "1", None);
        Assert.Contains("\"Jones\"", first.Stored!.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Update_with_a_stale_If_Match_is_refused_with_412_and_changes_nothing()
    {
        var created = await CreateAsync(NewPatient("Brown", "Tom", UniqueNhsNumber()));
        var patient = (Patient)FhirSerialization.ParseJson(created.Json!);
        await Fhir.UpdateAsync(Operator, "Patient", created.Id, patient, "W/\"1\"", None);

        patient.Name[0].Family = "Lost update";
        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.UpdateAsync(Operator, "Patient", created.Id, patient, "W/\"1\"", None));

        Assert.Equal(412, error.Status);
        var current = await fixture.Store.ReadAsync("Patient", created.Id, None);
        Assert.Equal(2, current!.VersionId);
        Assert.DoesNotContain("Lost update", current.Json, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task Concurrent_updates_of_the_same_version_never_both_succeed()
    {
        var created = await CreateAsync(NewPatient("Race", "Rita", UniqueNhsNumber()));
        var tasks = Enumerable.Range(0, 6).Select(async i =>
        {
            var copy = (Patient)FhirSerialization.ParseJson(created.Json!);
            copy.Name[0].Given = [$"Writer{i}"];
            try
            {
                await Fhir.UpdateAsync(Operator, "Patient", created.Id, copy, "W/\"1\"", None);
                return true;
            }
            catch (FhirException e) when (e.Status is 409 or 412)
            {
                return false;
            }
        });

        var results = await System.Threading.Tasks.Task.WhenAll(tasks);

        Assert.Equal(1, results.Count(r => r));
        var current = await fixture.Store.ReadAsync("Patient", created.Id, None);
        Assert.Equal(2, current!.VersionId);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_failing_write_among_concurrent_writes_fails_alone()
    {
        var family = "Group" + Guid.NewGuid().ToString("N")[..6];
        var writes = Enumerable.Range(0, 24).Select(async i =>
        {
            var nhs = i == 7 ? "9434765918" : UniqueNhsNumber(); // one invalid NHS number
            try
            {
                await Fhir.CreateAsync(Operator, "Patient", NewPatient(family, $"G{i}", nhs), null, None);
                return 201;
            }
            catch (FhirException e)
            {
                return e.Status;
            }
        });

        var statuses = await System.Threading.Tasks.Task.WhenAll(writes);

        Assert.Equal(23, statuses.Count(s => s == 201));
        Assert.Equal(422, statuses[7]);
        var stored = await Fhir.SearchAsync(Operator, "Patient", QueryString.Parse($"family={family}&_summary=count"), false, null, None);
        Assert.Equal(23, stored.Bundle!.Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task Update_with_a_client_id_creates_the_resource()
    {
        var id = "client-" + Guid.NewGuid().ToString("N")[..8];
        var patient = NewPatient("Client", "Cara", UniqueNhsNumber());
        patient.Id = id;

        var response = await Fhir.UpdateAsync(Operator, "Patient", id, patient, null, None);

        Assert.Equal(201, response.Status);
        Assert.Equal($"Patient/{id}/_history/1", response.Location);
    }

    [Fact]
    public async System.Threading.Tasks.Task Read_of_a_deleted_resource_is_410_and_its_earlier_version_stays_readable()
    {
        var created = await CreateAsync(NewPatient("Gone", "Gail", UniqueNhsNumber()));

        var deleted = await Fhir.DeleteAsync(Operator, "Patient", created.Id, None);

        Assert.Equal(204, deleted.Status);
        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.ReadAsync(Operator, "Patient", created.Id, None));
        Assert.Equal(410, error.Status);
        Assert.Equal(200, (await Fhir.VReadAsync(Operator, "Patient", created.Id, "1", None)).Status);
        Assert.Empty(await SearchAsync("Patient", $"_id={created.Id}"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Read_of_an_unknown_resource_is_404()
    {
        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.ReadAsync(Operator, "Patient", "does-not-exist", None));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_invalid_NHS_number_is_refused_with_422_and_nothing_is_stored()
    {
        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.CreateAsync(Operator, "Patient", NewPatient("Bad", "Number", "9434765918"), null, None));

        Assert.Equal(422, error.Status);
        Assert.Contains("NHS number", error.Message, StringComparison.Ordinal);
        Assert.Empty(await SearchAsync("Patient", "identifier=https://fhir.nhs.uk/Id/nhs-number|9434765918"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Search_by_NHS_number_finds_exactly_that_patient()
    {
        var nhs = UniqueNhsNumber();
        var created = await CreateAsync(NewPatient("Token", "Tina", nhs));
        await CreateAsync(NewPatient("Token", "Other", UniqueNhsNumber()));

        var found = await SearchAsync("Patient", $"identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}");

        Assert.Equal([created.Id], found.Select(f => f.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task Name_search_is_a_prefix_match_ignoring_case_and_accents()
    {
        var family = "Ößlér" + Guid.NewGuid().ToString("N")[..6];
        var created = await CreateAsync(NewPatient(family, "Zoë", UniqueNhsNumber()));

        var byPrefix = await SearchAsync("Patient", $"family={family[..8].ToUpperInvariant()}");
        var byGiven = await SearchAsync("Patient", $"name=zoe&family={family}");
        var exactWrongCase = await SearchAsync("Patient", $"family:exact={family.ToLowerInvariant()}");

        Assert.Contains(byPrefix, p => p.Id == created.Id);
        Assert.Equal([created.Id], byGiven.Select(p => p.Id));
        Assert.Empty(exactWrongCase);
    }

    [Fact]
    public async System.Threading.Tasks.Task Observations_are_found_by_subject_code_and_date_range()
    {
        var patient = await CreateAsync(NewPatient("Vitals", "Vera", UniqueNhsNumber()));
        var inMay = await CreateAsync(HeartRate(patient.Id, "2024-05-10T08:30:00Z", 72));
        await CreateAsync(HeartRate(patient.Id, "2024-07-01T09:00:00Z", 80));

        var may = await SearchAsync("Observation", $"subject=Patient/{patient.Id}&code=http://loinc.org|8867-4&date=2024-05");
        var after = await SearchAsync("Observation", $"subject=Patient/{patient.Id}&date=gt2024-06-01");
        var compartment = await SearchAsync("Observation", "code=8867-4", compartment: patient.Id);
        var fast = await SearchAsync("Observation", $"subject=Patient/{patient.Id}&value-quantity=gt75");

        Assert.Equal([inMay.Id], may.Select(o => o.Id));
        Assert.Single(after);
        Assert.Equal(2, compartment.Count);
        Assert.Single(fast);
    }

    [Fact]
    public async System.Threading.Tasks.Task Chained_and_reverse_chained_searches_follow_references()
    {
        var nhs = UniqueNhsNumber();
        var patient = await CreateAsync(NewPatient("Chain", "Chloe", nhs));
        var observation = await CreateAsync(HeartRate(patient.Id, "2024-01-01", 61));

        var chained = await SearchAsync("Observation", $"subject:Patient.identifier=https://fhir.nhs.uk/Id/nhs-number|{nhs}");
        var reverse = await SearchAsync("Patient", $"_has:Observation:subject:code=8867-4&identifier={nhs}");

        Assert.Equal([observation.Id], chained.Select(o => o.Id));
        Assert.Equal([patient.Id], reverse.Select(p => p.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task Negated_missing_and_chained_criteria_combine_with_a_selective_one()
    {
        var nhs = UniqueNhsNumber();
        var patient = await CreateAsync(NewPatient("Combine", "Cora", nhs));
        var heartRate = await CreateAsync(HeartRate(patient.Id, "2024-06-01", 64));
        var temperature = HeartRate(patient.Id, "2024-06-01", 37);
        temperature.Code = new CodeableConcept("http://loinc.org", "8310-5", "Body temperature");
        var temperatureStored = await CreateAsync(temperature);
        var noBirthDate = NewPatient("Combine", "Nobirth", UniqueNhsNumber());
        noBirthDate.BirthDate = null;
        var unborn = await CreateAsync(noBirthDate);

        var notHeartRate = await SearchAsync("Observation", $"subject=Patient/{patient.Id}&code:not=8867-4");
        var chainedProbe = await SearchAsync("Observation", $"_id={heartRate.Id},{temperatureStored.Id}&subject:Patient.identifier={nhs}&code=8310-5");
        var missing = await SearchAsync("Patient", $"family=Combine&birthdate:missing=true");
        var present = await SearchAsync("Patient", $"identifier={nhs}&birthdate:missing=false");

        Assert.Equal([temperatureStored.Id], notHeartRate.Select(o => o.Id));
        Assert.Equal([temperatureStored.Id], chainedProbe.Select(o => o.Id));
        Assert.Contains(missing, p => p.Id == unborn.Id);
        Assert.DoesNotContain(missing, p => p.Id == patient.Id);
        Assert.Equal([patient.Id], present.Select(p => p.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task Include_and_revinclude_add_the_referenced_and_referring_resources()
    {
        var nhs = UniqueNhsNumber();
        var patient = await CreateAsync(NewPatient("Include", "Ida", nhs));
        var observation = await CreateAsync(HeartRate(patient.Id, "2024-02-02", 66));

        var withPatient = await Fhir.SearchAsync(Operator, "Observation", QueryString.Parse($"_id={observation.Id}&_include=Observation:subject"), false, null, None);
        var withObservations = await Fhir.SearchAsync(Operator, "Patient", QueryString.Parse($"identifier={nhs}&_revinclude=Observation:subject"), false, null, None);

        Assert.Contains(withPatient.Bundle!.Entries, e => e.SearchMode == Bundle.SearchEntryMode.Include && e.Stored!.Id == patient.Id);
        Assert.Contains(withObservations.Bundle!.Entries, e => e.SearchMode == Bundle.SearchEntryMode.Include && e.Stored!.Id == observation.Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task Includes_stop_at_the_page_cap_with_the_first_found()
    {
        // More observations than a page may include, each a member of the first: one statement
        // per include would need thousands of parameters.
        var patient = await CreateAsync(NewPatient("Many", "Max", UniqueNhsNumber()));
        var first = Guid.NewGuid().ToString("N");
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        for (var i = 0; i < SearchResult.MaxIncluded + 100; i++)
        {
            var observation = HeartRate(patient.Id, "2024-02-02", 60 + (i % 40));
            observation.Id = i == 0 ? first : Guid.NewGuid().ToString("N");
            observation.HasMember = [new ResourceReference($"Observation/{first}")];
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = observation, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Observation/{observation.Id}" } });
        }

        await Fhir.ProcessBundleAsync(Operator, bundle, None);

        var capped = await Fhir.SearchAsync(Operator, "Patient", QueryString.Parse($"_id={patient.Id}&_revinclude=Observation:subject&_revinclude:iterate=Observation:has-member"), false, null, None);
        var fullPage = await Fhir.SearchAsync(Operator, "Observation", QueryString.Parse($"subject=Patient/{patient.Id}&_count=1000&_include=Observation:subject&_revinclude:iterate=Observation:has-member"), false, null, None);

        Assert.Equal(SearchResult.MaxIncluded, capped.Bundle!.Entries.Count(e => e.SearchMode == Bundle.SearchEntryMode.Include));
        Assert.Contains(capped.Bundle.Entries, e => e.Resource is OperationOutcome { Issue: [{ Details.Coding: [{ Code: "SEARCH_INCLUDES_TRUNCATED" }, ..] }, ..] });
        Assert.Equal(1000, fullPage.Bundle!.Entries.Count(e => e.SearchMode == Bundle.SearchEntryMode.Match));
        Assert.Contains(fullPage.Bundle.Entries, e => e.SearchMode == Bundle.SearchEntryMode.Include && e.Stored!.Id == patient.Id);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_filtered_search_pages_and_checks_has_over_what_the_caller_may_see()
    {
        var patient = await CreateAsync(NewPatient("Filtered", "Fay", UniqueNhsNumber()));
        var observations = new List<StoredResource>();
        for (var i = 0; i < 5; i++)
        {
            observations.Add(await CreateAsync(HeartRate(patient.Id, "2024-02-02", 150 + i)));
        }

        // The first, second and fourth are hidden.
        var access = new HidingAccess([.. new[] { 0, 1, 3 }.Select(i => observations[i].Reference)]);
        async Task<(string Ids, bool Next)> PageAsync(string query)
        {
            var bundle = (await Fhir.SearchAsync(access, "Observation", QueryString.Parse(query), false, null, None)).Bundle!;
            return (string.Join(',', bundle.Entries.Where(e => e.SearchMode == Bundle.SearchEntryMode.Match).Select(e => e.Stored!.Id)), bundle.Links.Any(l => l.Relation == "next"));
        }

        var search = $"subject=Patient/{patient.Id}&_count=1";
        Assert.Equal((observations[2].Id, true), await PageAsync(search));
        Assert.Equal((observations[4].Id, false), await PageAsync(search + "&_offset=1"));
        Assert.Equal(("", false), await PageAsync(search + "&_offset=2"));

        var viaHidden = await Fhir.SearchAsync(access, "Patient", QueryString.Parse($"_id={patient.Id}&_has:Observation:subject:value-quantity=150"), false, null, None);
        var viaVisible = await Fhir.SearchAsync(access, "Patient", QueryString.Parse($"_id={patient.Id}&_has:Observation:subject:value-quantity=152"), false, null, None);
        Assert.DoesNotContain(viaHidden.Bundle!.Entries, e => e.SearchMode == Bundle.SearchEntryMode.Match);
        Assert.Contains(viaVisible.Bundle!.Entries, e => e.SearchMode == Bundle.SearchEntryMode.Match && e.Stored!.Id == patient.Id);

        // $everything pages the same way: the patient, then the two visible observations.
        async Task<(string Ids, bool Next)> EverythingAsync(int offset)
        {
            var bundle = (await Fhir.PatientEverythingAsync(access, patient.Id, QueryString.Parse($"_count=2&_offset={offset}"), None)).Bundle!;
            return (string.Join(',', bundle.Entries.Select(e => e.Stored!.Id)), bundle.Links.Any(l => l.Relation == "next"));
        }

        Assert.Equal(($"{patient.Id},{observations[2].Id}", true), await EverythingAsync(0));
        Assert.Equal((observations[4].Id, false), await EverythingAsync(2));

        // A patient the caller may not see is answered as one that does not exist.
        var hiddenPatient = new HidingAccess([patient.Reference]);
        var hidden = await Assert.ThrowsAsync<FhirException>(() => Fhir.PatientEverythingAsync(hiddenPatient, patient.Id, [], None));
        var unknown = await Assert.ThrowsAsync<FhirException>(() => Fhir.PatientEverythingAsync(hiddenPatient, "no-such-patient", [], None));
        Assert.Equal(404, hidden.Status);
        Assert.Equal(unknown.Outcome.Issue[0].Diagnostics!.Replace("no-such-patient", patient.Id, StringComparison.Ordinal), hidden.Outcome.Issue[0].Diagnostics);
    }

    /// <summary>A caller who may see everything but the given resources.</summary>
    private sealed class HidingAccess(HashSet<string> hidden) : IFhirAccess
    {
        public bool SeesEverything => false;

        public void Demand(string resourceType, OpenWard.Security.FhirAction action)
        {
        }

        public ValueTask DemandAsync(OpenWard.Security.FhirAction action, StoredResource resource, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<bool> MayReadAsync(StoredResource resource, bool named, CancellationToken cancellationToken) => ValueTask.FromResult(!hidden.Contains(resource.Reference));

        public ValueTask<IReadOnlyList<StoredResource>> FilterAsync(IReadOnlyList<StoredResource> resources, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<StoredResource>>([.. resources.Where(r => !hidden.Contains(r.Reference))]);

        public ValueTask DemandWriteAsync(OpenWard.Security.FhirAction action, StoredResource? current, StoredResource next, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public System.Threading.Tasks.Task RecordWritesAsync(IStoreTransaction transaction, CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;

        public void BeginEntry(OpenWard.Fhir.Rest.Audit.BundleEntryAudit entry)
        {
        }

        public System.Threading.Tasks.Task EndEntryAsync(int status, string? failure, CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;
    }

    [Fact]
    public async System.Threading.Tasks.Task Migration_9_gives_a_task_stored_before_it_the_patient_it_is_for()
    {
        var patient = await CreateAsync(NewPatient("Compartment", "Task", UniqueNhsNumber()));
        var task = await CreateAsync(new Hl7.Fhir.Model.Task
        {
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
            For = new ResourceReference(patient.Reference),
        });
        Assert.Equal(patient.Id, task.PatientId);

        // As a store written before Task joined the compartment held it: no patient on any row.
        var dialect = ((SqlResourceStore)fixture.Store).Dialect;
        var key = $"(SELECT resource_key FROM resource WHERE resource_type = 'Task' AND id = '{task.Id}')";
        var forget = new List<string>
        {
            $"UPDATE resource SET patient_id = NULL WHERE resource_type = 'Task' AND id = '{task.Id}'",
            $"UPDATE resource_history SET patient_id = NULL WHERE resource_type = 'Task' AND id = '{task.Id}'",
        };
        forget.AddRange(Schema.IndexTables.Select(table => $"UPDATE {table} SET patient_id = NULL WHERE resource_key = {key}"));
        await ExecuteSqlAsync(dialect, string.Join(";\n", forget));
        Assert.DoesNotContain((await fixture.Store.PatientCompartmentAsync(patient.Id, 100, 0, None)).Entries, e => e.Reference == task.Reference);

        await ExecuteSqlAsync(dialect, Schema.Migrations.Single(m => m.Version == 9).Sql(dialect));

        Assert.Contains((await fixture.Store.PatientCompartmentAsync(patient.Id, 100, 0, None)).Entries, e => e.Reference == task.Reference);
        Assert.Equal(patient.Id, (await fixture.Store.ReadAsync("Task", task.Id, None))!.PatientId);
        Assert.Equal([task.Id], (await SearchAsync("Task", "status=requested", compartment: patient.Id)).Select(t => t.Id));
    }

    private static async System.Threading.Tasks.Task ExecuteSqlAsync(SqlDialect dialect, string sql)
    {
        await using var connection = await dialect.OpenAsync(None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(None);
    }

    [Fact]
    public async System.Threading.Tasks.Task Sorted_pages_are_stable_and_cover_every_match_once()
    {
        var family = "Page" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 7; i++)
        {
            await CreateAsync(NewPatient(family, $"G{i}", UniqueNhsNumber(), $"19{50 + i}-01-01"));
        }

        var seen = new List<string>();
        for (var offset = 0; offset < 9; offset += 3)
        {
            var page = await SearchAsync("Patient", $"family={family}&_sort=-birthdate&_count=3&_offset={offset}");
            seen.AddRange(page.Select(p => ((Patient)FhirSerialization.ParseJson(p.Json!)).BirthDate!));
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"19{56 - i}-01-01"), seen);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_transaction_resolves_urn_uuid_references_between_its_entries()
    {
        var nhs = UniqueNhsNumber();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:7f1b0c9e-0000-4000-8000-000000000001",
            Resource = NewPatient("Txn", "Tia", nhs),
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
        });
        var observation = HeartRate("x", "2024-03-03", 70);
        observation.Subject = new ResourceReference("urn:uuid:7f1b0c9e-0000-4000-8000-000000000001");
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = observation, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } });

        var response = await Fhir.ProcessBundleAsync(Operator, bundle, None);

        Assert.All(response.Bundle!.Entries, e => Assert.Equal("201 Created", e.ResponseStatus));
        var found = await SearchAsync("Observation", $"subject:Patient.identifier={nhs}");
        Assert.Single(found);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_failing_transaction_entry_rolls_back_every_entry()
    {
        var nhs = UniqueNhsNumber();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = NewPatient("Rollback", "Rob", nhs), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = NewPatient("Rollback", "Bad", "1234567890"), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });

        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.ProcessBundleAsync(Operator, bundle, None));

        Assert.Equal(422, error.Status);
        Assert.Contains("Entry 1", error.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Empty(await SearchAsync("Patient", $"identifier={nhs}"));
    }

    [Theory]
    [InlineData(Bundle.HTTPVerb.GET)]
    [InlineData(Bundle.HTTPVerb.PUT)]
    [InlineData(Bundle.HTTPVerb.DELETE)]
    public async System.Threading.Tasks.Task A_transaction_entry_whose_url_names_no_type_is_a_400(Bundle.HTTPVerb method)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = method == Bundle.HTTPVerb.PUT ? NewPatient("Typeless", "Tia", UniqueNhsNumber()) : null,
            Request = new Bundle.RequestComponent { Method = method, Url = "?_id=x" },
        });

        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.ProcessBundleAsync(Operator, bundle, None));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_batch_entry_that_refers_to_another_entry_fails_alone()
    {
        var nhs = UniqueNhsNumber();
        var bundle = new Bundle { Type = Bundle.BundleType.Batch };
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = "urn:uuid:0e6f3f0a-0000-4000-8000-000000000009", Resource = NewPatient("Batch", "Bea", nhs), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" } });
        var observation = HeartRate("x", "2024-03-03", 70);
        observation.Subject = new ResourceReference("urn:uuid:0e6f3f0a-0000-4000-8000-000000000009");
        bundle.Entry.Add(new Bundle.EntryComponent { Resource = observation, Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" } });

        var response = await Fhir.ProcessBundleAsync(Operator, bundle, None);

        Assert.Equal("201 Created", response.Bundle!.Entries[0].ResponseStatus);
        Assert.Equal("422", response.Bundle.Entries[1].ResponseStatus);
        Assert.Single(await SearchAsync("Patient", $"identifier={nhs}"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Conditional_create_returns_the_existing_match_instead_of_a_duplicate()
    {
        var nhs = UniqueNhsNumber();
        var first = await Fhir.CreateAsync(Operator, "Patient", NewPatient("Cond", "Cat", nhs), $"identifier={nhs}", None);
        var second = await Fhir.CreateAsync(Operator, "Patient", NewPatient("Cond", "Cat", nhs), $"identifier={nhs}", None);

        Assert.Equal(201, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(first.Stored!.Id, second.Stored!.Id);
        Assert.Single(await SearchAsync("Patient", $"identifier={nhs}"));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_condition_whose_values_are_all_empty_is_refused_rather_than_matching_everything()
    {
        await CreateAsync(NewPatient("Empty", "Condition", UniqueNhsNumber()));

        var error = await Assert.ThrowsAsync<FhirException>(() => Fhir.ConditionalDeleteAsync(Operator, "Patient", "name:contains=&family=", None));

        Assert.Equal(400, error.Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_client_assertion_id_is_accepted_once_until_it_expires_and_then_again()
    {
        var registry = new SqlReplayRegistry((SqlResourceStore)fixture.Store);
        var client = "client-" + Guid.NewGuid().ToString("N")[..6];
        var now = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

        var first = await registry.TryRecordAsync(client, "jti-1", now.AddMinutes(5), now, None);
        var replay = await registry.TryRecordAsync(client, "jti-1", now.AddMinutes(9), now.AddMinutes(4), None);
        var otherClient = await registry.TryRecordAsync(client + "-b", "jti-1", now.AddMinutes(5), now, None);
        var afterExpiry = await registry.TryRecordAsync(client, "jti-1", now.AddMinutes(12), now.AddMinutes(6), None);

        Assert.True(first);
        Assert.False(replay);
        Assert.True(otherClient);
        Assert.True(afterExpiry);
    }

    [Fact]
    public async System.Threading.Tasks.Task Of_concurrent_uses_of_one_assertion_id_exactly_one_is_accepted()
    {
        var registry = new SqlReplayRegistry((SqlResourceStore)fixture.Store);
        var now = DateTimeOffset.UtcNow;
        var jti = Guid.NewGuid().ToString();

        var results = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(_ => registry.TryRecordAsync("racer", jti, now.AddMinutes(5), now, None)));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async System.Threading.Tasks.Task Migrating_twice_applies_nothing_the_second_time()
    {
        Assert.Equal(0, await fixture.Store.MigrateAsync(None));
    }

    [Fact]
    public async System.Threading.Tasks.Task Patient_everything_returns_the_patient_first_and_its_compartment()
    {
        var patient = await CreateAsync(NewPatient("Every", "Eve", UniqueNhsNumber()));
        await CreateAsync(HeartRate(patient.Id, "2024-04-04", 77));

        var everything = await Fhir.PatientEverythingAsync(Operator, patient.Id, [], None);

        var entries = everything.Bundle!.Entries;
        Assert.Equal(2, entries.Count);
        Assert.Equal("Patient", entries[0].Stored!.ResourceType);
    }

    [Fact]
    public async System.Threading.Tasks.Task Import_keeps_ids_reports_bad_lines_by_position_and_imports_the_rest()
    {
        var good = NewPatient("Import", "Ivy", UniqueNhsNumber());
        good.Id = "import-" + Guid.NewGuid().ToString("N")[..8];
        async IAsyncEnumerable<ImportItem> Items()
        {
            yield return new ImportItem("file.ndjson", 1, FhirSerialization.ToJson(good));
            yield return new ImportItem("file.ndjson", 2, "{ not json");
            yield return new ImportItem("file.ndjson", 3, "{\"resourceType\":\"Patient\",\"gender\":\"not-a-code\"}");
            await System.Threading.Tasks.Task.CompletedTask;
        }

        var summary = await Fhir.ImportAsync(Items(), ImportOptions.Default, null, None);

        Assert.Equal(1, summary.Imported);
        Assert.Equal([2, 3], summary.Problems.Select(p => p.Position));
        Assert.Equal(200, (await Fhir.ReadAsync(Operator, "Patient", good.Id, None)).Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task Import_of_the_same_id_twice_makes_two_versions_and_every_resource_is_searchable()
    {
        var id = "twice-" + Guid.NewGuid().ToString("N")[..8];
        var family = "Bulk" + Guid.NewGuid().ToString("N")[..6];
        var first = NewPatient(family, "First", UniqueNhsNumber());
        first.Id = id;
        var second = NewPatient(family, "Second", UniqueNhsNumber());
        second.Id = id;
        var others = Enumerable.Range(0, 150).Select(i =>
        {
            var p = NewPatient(family, $"Other{i}", UniqueNhsNumber());
            p.Id = $"{id}-{i}";
            return p;
        });
        async IAsyncEnumerable<ImportItem> Items()
        {
            var position = 0;
            foreach (var patient in new[] { first, second }.Concat(others))
            {
                yield return new ImportItem("bulk.ndjson", ++position, FhirSerialization.ToJson(patient));
            }

            await System.Threading.Tasks.Task.CompletedTask;
        }

        var summary = await Fhir.ImportAsync(Items(), ImportOptions.Default, null, None);

        Assert.Equal(152, summary.Imported);
        Assert.Empty(summary.Problems);
        var current = await fixture.Store.ReadAsync("Patient", id, None);
        Assert.Equal(2, current!.VersionId);
        Assert.Contains("Second", current.Json, StringComparison.Ordinal);
        var page = await Fhir.SearchAsync(Operator, "Patient", QueryString.Parse($"family={family}&_summary=count"), false, null, None);
        Assert.Equal(151, page.Bundle!.Total);
        Assert.Single(await SearchAsync("Patient", $"family={family}&given=second"));
        Assert.Empty(await SearchAsync("Patient", $"family={family}&given=first"));
    }

    /// <summary>Examples the parser refuses because the example itself is defective (reasons in UkCoreExampleTests).</summary>
    private static readonly HashSet<string> UnparsableExamples =
    [
        "Extension-UKCore-CodingSCT-IllicitDrugs-Example.xml",
        "UKCore-Observation-Lab-Albumin-Example.xml",
        "UKCore-Questionnaire-EOLPlan-Example.xml",
        "UKCore-Bundle-Sn-NoAllergyData-Example.xml",
        "Extension-UKCore-ConditionEpisode-Example.xml",
    ];

    /// <summary>Its NHS number 9912003890 fails the Modulus 11 check (the check digit would be 6), so it is refused.</summary>
    private const string InvalidNhsNumberExample = "UKCore-Patient-BabyPatient-Example.xml";

    [Theory]
    [MemberData(nameof(UkCoreExampleData.OfSupportedTypes), MemberType = typeof(UkCoreExampleData))]
    public async System.Threading.Tasks.Task Each_UK_Core_example_loads_through_the_API_and_reads_back_with_the_same_content(string example)
    {
        var xml = await File.ReadAllTextAsync(Path.Combine(OpenWard.Fhir.Tests.UkCoreExamples.Directory, example));
        if (UnparsableExamples.Contains(example))
        {
            Assert.Equal(400, Assert.Throws<FhirException>(() => FhirSerialization.ParseXml(xml)).Status);
            return;
        }

        var resource = FhirSerialization.ParseXml(xml);
        var id = resource.Id;
        if (example == InvalidNhsNumberExample)
        {
            var refused = await Assert.ThrowsAsync<FhirException>(() => Fhir.UpdateAsync(Operator, resource.TypeName, id!, resource, null, None));
            Assert.Equal(422, refused.Status);
            return;
        }

        if (resource is AuditEvent)
        {
            // Audit events enter the store only through the audit chain, never as ordinary writes.
            var recorded = DateTimeOffset.UtcNow;
            resource.Meta ??= new Meta();
            resource.Meta.VersionId = "1";
            resource.Meta.LastUpdated = recorded;
            var auditEvent = new ResourceWrite("AuditEvent", id!, 1, recorded, FhirSerialization.ToJson(resource), null, "POST");
            await fixture.Store.WriteAsync(async tx => { await tx.AppendAuditEventsAsync([auditEvent], None); return 0; }, None);
            var stored = await fixture.Store.ReadAsync("AuditEvent", id!, None);
            Assert.Equal(WithoutVersionMeta(FhirSerialization.ParseXml(xml)), WithoutVersionMeta(FhirSerialization.ParseJson(stored!.Json!)));
            return;
        }

        var written = await Fhir.UpdateAsync(Operator, resource.TypeName, id!, resource, null, None);
        var read = await Fhir.ReadAsync(Operator, resource.TypeName, id!, None);

        Assert.True(written.Status is 200 or 201);
        Assert.Equal(WithoutVersionMeta(FhirSerialization.ParseXml(xml)), WithoutVersionMeta(FhirSerialization.ParseJson(read.Stored!.Json!)));
    }

    /// <summary>The content as JSON, without the meta.versionId and meta.lastUpdated the server sets.</summary>
    private static string WithoutVersionMeta(Resource resource)
    {
        if (resource.Meta is { } meta)
        {
            meta.VersionId = null;
            meta.LastUpdated = null;
            if (meta.IsExactly(new Meta()))
            {
                resource.Meta = null;
            }
        }

        return FhirSerialization.ToJson(resource);
    }
}

public static class UkCoreExampleData
{
    public static TheoryData<string> OfSupportedTypes() => new(OpenWard.Fhir.Tests.UkCoreExamples.OfSupportedTypes());
}

public sealed class SqliteStoreConformanceTests(SqliteStoreFixture fixture) : StoreConformanceTests<SqliteStoreFixture>(fixture);

public sealed class PostgresStoreConformanceTests(PostgresStoreFixture fixture) : StoreConformanceTests<PostgresStoreFixture>(fixture);

using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Security;
using OpenWard.Storage.Security;
using OpenWard.Web.Tests.Security;

namespace OpenWard.Web.Tests.Clinical;

/// <summary>
/// Each write rule of OpenWard.Clinical holds over the FHIR API as it does on the pages: sent by a
/// system (a backend token) and by a signed-in doctor through a SMART token, as a plain write, as
/// a PATCH, a conditional write or a Bundle entry, the refused write answers the rule's status and
/// code and leaves what was stored as it was. Runs on both engines.
/// </summary>
public abstract class WriteRulesOverHttpTests(ServerFixture server)
{
    private const string Nhs = "https://fhir.nhs.uk/Id/nhs-number";
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];

    public static TheoryData<string> Writers() => ["system", "doctor"];

    /// <summary>A patient in hospital on a ward, a doctor on that ward, and a client for the writer asked for.</summary>
    private async Task<(HttpClient Client, string Patient, string Ward)> ArrangeAsync(string writer, string name)
    {
        var id = $"{name}-{_run}";
        var ward = $"ward-{id}";
        using var system = await server.ClientWithScopeAsync();
        await RequireAsync(system, HttpMethod.Put, $"Location/{ward}", $$$"""{"resourceType":"Location","id":"{{{ward}}}","name":"Ward {{{id}}}","physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"wa"}]}}""");
        await RequireAsync(system, HttpMethod.Put, $"Patient/{id}", $$$"""{"resourceType":"Patient","id":"{{{id}}}","name":[{"family":"Rule{{{_run}}}"}]}""");
        await RequireAsync(system, HttpMethod.Put, $"Encounter/{id}-stay", Stay($"{id}-stay", id, ward, bed: null));
        if (writer == "system")
        {
            return (await server.ClientWithScopeAsync(), id, ward);
        }

        var doctor = $"rules-doctor-{id}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(doctor, "Rula Rule", StaffRole.Doctor) { Wards = [ward] }, default);
        return (StaffTokens.Client(server, doctor), id, ward);
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task An_allergy_marked_entered_in_error_is_not_made_current_again_by_put_patch_or_bundle(string writer)
    {
        var (client, patient, _) = await ArrangeAsync(writer, "eie");
        using (client)
        {
            var id = $"{patient}-allergy";
            await SystemPutAsync($"AllergyIntolerance/{id}", Allergy(id, patient, "entered-in-error"));

            await AssertRefusedAsync(client, HttpMethod.Put, $"AllergyIntolerance/{id}", Allergy(id, patient, "confirmed"), 422, "ENTERED_IN_ERROR_IS_FINAL");
            await AssertRefusedAsync(client, HttpMethod.Patch, $"AllergyIntolerance/{id}", """[{"op":"replace","path":"/verificationStatus/coding/0/code","value":"confirmed"}]""", 422, "ENTERED_IN_ERROR_IS_FINAL", "application/json-patch+json");
            await AssertRefusedAsync(client, HttpMethod.Put, $"AllergyIntolerance?_id={id}", Allergy(id, patient, "confirmed"), 422, "ENTERED_IN_ERROR_IS_FINAL");
            await AssertDeleteRefusedAsync(client, writer, $"AllergyIntolerance/{id}", "ENTERED_IN_ERROR_IS_FINAL");
            await AssertBundleEntryRefusedAsync(client, $"AllergyIntolerance/{id}", Allergy(id, patient, "confirmed"), "422", "ENTERED_IN_ERROR_IS_FINAL");

            Assert.Equal("1", await VersionAsync(client, $"AllergyIntolerance/{id}"));
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_condition_or_note_marked_entered_in_error_stays_so(string writer)
    {
        var (client, patient, _) = await ArrangeAsync(writer, "eie2");
        using (client)
        {
            var condition = $"{patient}-condition";
            await SystemPutAsync($"Condition/{condition}", $$$"""{"resourceType":"Condition","id":"{{{condition}}}","verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"entered-in-error"}]},"code":{"text":"Asthma"},"subject":{"reference":"Patient/{{{patient}}}"}}""");
            await AssertRefusedAsync(client, HttpMethod.Put, $"Condition/{condition}", $$$"""{"resourceType":"Condition","id":"{{{condition}}}","verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},"code":{"text":"Asthma"},"subject":{"reference":"Patient/{{{patient}}}"}}""", 422, "ENTERED_IN_ERROR_IS_FINAL");

            var note = $"{patient}-note";
            await SystemPutAsync($"DocumentReference/{note}", Note(note, patient, "entered-in-error", "entered-in-error", "Wrong patient"));
            await AssertRefusedAsync(client, HttpMethod.Put, $"DocumentReference/{note}", Note(note, patient, "current", "final", "Wrong patient"), 422, "ENTERED_IN_ERROR_IS_FINAL");
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_signed_note_changes_only_as_an_amendment_and_keeps_the_signed_text_in_history(string writer)
    {
        var (client, patient, _) = await ArrangeAsync(writer, "signed");
        using (client)
        {
            var id = $"{patient}-note";
            await SystemPutAsync($"DocumentReference/{id}", Note(id, patient, "current", "final", "Chest clear."));

            await AssertRefusedAsync(client, HttpMethod.Put, $"DocumentReference/{id}", Note(id, patient, "current", "final", "Chest full of crackles."), 422, "SIGNED_NOTE_AMEND_ONLY");
            await AssertRefusedAsync(client, HttpMethod.Patch, $"DocumentReference/{id}", """[{"op":"replace","path":"/docStatus","value":"preliminary"}]""", 422, "SIGNED_NOTE_AMEND_ONLY", "application/json-patch+json");
            await AssertDeleteRefusedAsync(client, writer, $"DocumentReference/{id}", "SIGNED_NOTE_AMEND_ONLY");
            await AssertBundleEntryRefusedAsync(client, $"DocumentReference/{id}", Note(id, patient, "current", "final", "Overwritten in a Bundle."), "422", "SIGNED_NOTE_AMEND_ONLY");

            await RequireAsync(client, HttpMethod.Put, $"DocumentReference/{id}", Note(id, patient, "current", "amended", "Chest clear. Addendum: crackles at the left base."));
            using var history = await client.GetAsync($"DocumentReference/{id}/_history");
            var text = await history.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, history.StatusCode);
            Assert.Contains(Base64("Chest clear."), text, StringComparison.Ordinal);
            Assert.Equal("2", await VersionAsync(client, $"DocumentReference/{id}"));
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_patient_in_hospital_is_not_given_a_second_current_inpatient_stay(string writer)
    {
        var (client, patient, ward) = await ArrangeAsync(writer, "stay");
        using (client)
        {
            await AssertRefusedAsync(client, HttpMethod.Post, "Encounter", Stay(null, patient, ward, bed: null), 409, "ONE_CURRENT_INPATIENT_STAY");
            await AssertRefusedAsync(client, HttpMethod.Put, $"Encounter?identifier=urn:rules|{_run}-second", Stay(null, patient, ward, bed: null), 409, "ONE_CURRENT_INPATIENT_STAY");
            await AssertBundleEntryRefusedAsync(client, "Encounter", Stay(null, patient, ward, bed: null), "409", "ONE_CURRENT_INPATIENT_STAY", post: true);

            // The stay itself may change (a transfer), and a finished stay is history, not a second stay.
            await RequireAsync(client, HttpMethod.Put, $"Encounter/{patient}-stay", Stay($"{patient}-stay", patient, ward, bed: null, status: "onleave"));
            await RequireAsync(client, HttpMethod.Post, "Encounter", Stay(null, patient, ward, bed: null, status: "finished"));
            using var search = await client.GetAsync($"Encounter?patient={patient}&status=arrived,triaged,in-progress,onleave");
            Assert.Equal(1, Total(await search.Content.ReadAsStringAsync()));
        }
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_bed_holds_one_patient_whoever_moves_another_into_it(string writer)
    {
        var (client, patient, ward) = await ArrangeAsync(writer, "bed");
        using (client)
        {
            var bed = await BedAsync(ward);
            using var system = await server.ClientWithScopeAsync();
            var occupant = $"{patient}-occupant";
            await RequireAsync(system, HttpMethod.Put, $"Patient/{occupant}", $$$"""{"resourceType":"Patient","id":"{{{occupant}}}"}""");
            await RequireAsync(system, HttpMethod.Put, $"Encounter/{occupant}-stay", Stay($"{occupant}-stay", occupant, ward, bed));

            await AssertRefusedAsync(client, HttpMethod.Put, $"Encounter/{patient}-stay", Stay($"{patient}-stay", patient, ward, bed), 409, "BED_HOLDS_ONE_PATIENT");
            await AssertRefusedAsync(client, HttpMethod.Patch, $"Encounter/{patient}-stay", $$$"""[{"op":"add","path":"/location/-","value":{"location":{"reference":"Location/{{{bed}}}"},"status":"active"}}]""", 409, "BED_HOLDS_ONE_PATIENT", "application/json-patch+json");
            await AssertBundleEntryRefusedAsync(client, $"Encounter/{patient}-stay", Stay($"{patient}-stay", patient, ward, bed), "409", "BED_HOLDS_ONE_PATIENT");

            // Once the occupant is discharged the bed is free.
            await RequireAsync(system, HttpMethod.Put, $"Encounter/{occupant}-stay", Stay($"{occupant}-stay", occupant, ward, bed, status: "finished"));
            await RequireAsync(client, HttpMethod.Put, $"Encounter/{patient}-stay", Stay($"{patient}-stay", patient, ward, bed));
        }
    }

    [Fact]
    public async Task Twenty_admissions_racing_for_one_free_bed_admit_exactly_one_patient()
    {
        var ward = $"race-ward-{_run}";
        using var system = await server.ClientWithScopeAsync();
        await RequireAsync(system, HttpMethod.Put, $"Location/{ward}", $$$"""{"resourceType":"Location","id":"{{{ward}}}","name":"Race ward","physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"wa"}]}}""");
        var bed = await BedAsync(ward);
        var patients = Enumerable.Range(0, 20).Select(i => $"race-{_run}-{i}").ToList();
        foreach (var patient in patients)
        {
            await RequireAsync(system, HttpMethod.Put, $"Patient/{patient}", $$$"""{"resourceType":"Patient","id":"{{{patient}}}"}""");
        }

        using var start = new SemaphoreSlim(0);
        var admissions = patients.Select(async patient =>
        {
            await start.WaitAsync();
            using var response = await system.PostAsync("Encounter", Body(Stay(null, patient, ward, bed)));
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(patients.Count);
        var answers = await Task.WhenAll(admissions);

        Assert.Single(answers, a => a.Item1 == 201);
        Assert.All(answers.Where(a => a.Item1 != 201), a =>
        {
            Assert.Equal(409, a.Item1);
            Assert.Contains("BED_HOLDS_ONE_PATIENT", a.Item2, StringComparison.Ordinal);
        });
        using var holders = await system.GetAsync($"Encounter?location=Location/{bed}&status=in-progress");
        Assert.Equal(1, Total(await holders.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Twenty_admission_pages_posted_at_once_for_one_free_bed_admit_exactly_one_patient()
    {
        var ward = $"race-page-ward-{_run}";
        var consultant = $"race-page-dr-{_run}";
        await SystemPutAsync($"Location/{ward}", $$$"""{"resourceType":"Location","id":"{{{ward}}}","name":"Race page ward","physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"wa"}]}}""");
        var bed = await BedAsync(ward);
        await SystemPutAsync($"Practitioner/{consultant}", $$$"""{"resourceType":"Practitioner","id":"{{{consultant}}}","active":true,"name":[{"family":"Race","given":["Rita"]}]}""");
        var doctor = $"race-page-doctor-{_run}";
        const string password = "race-page-password-1";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(
            new StaffAccount(doctor, "Rita Race", StaffRole.Doctor) { Wards = [ward], PractitionerId = consultant, PasswordHash = server.Services.GetRequiredService<OpenWard.Web.Security.Passwords.PasswordHasher>().Hash(password) }, default);
        var patients = Enumerable.Range(0, 20).Select(i => $"race-page-{_run}-{i}").ToList();
        foreach (var patient in patients)
        {
            // Referred to the doctor: a care relationship, so the admission page is theirs to use.
            await SystemPutAsync($"Patient/{patient}", $$$"""{"resourceType":"Patient","id":"{{{patient}}}","name":[{"family":"Racer"}]}""");
            await SystemPutAsync($"ServiceRequest/{patient}-referral", $$$"""{"resourceType":"ServiceRequest","id":"{{{patient}}}-referral","status":"active","intent":"order","subject":{"reference":"Patient/{{{patient}}}"},"performer":[{"reference":"Practitioner/{{{consultant}}}"}]}""");
        }

        using var browser = new TestBrowser();
        await browser.SignInAsync($"{server.BaseUrl}/signin", doctor, password);
        using var opened = await browser.GetAsync($"{server.BaseUrl}/patients/{patients[0]}/admit");
        var html = await opened.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains($"value=\"{bed}\"", html, StringComparison.Ordinal);
        var token = TestBrowser.Hidden(html, "__RequestVerificationToken");
        var when = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(-2), TimeZoneInfo.Local);

        using var start = new SemaphoreSlim(0);
        var posts = patients.Select(async patient =>
        {
            await start.WaitAsync();
            using var response = await browser.PostFormAsync($"{server.BaseUrl}/patients/{patient}/admit", [
                new("__RequestVerificationToken", token),
                new("PatientId", patient),
                new("Bed", bed),
                new("Consultant", consultant),
                new("Date", when.ToString("d/M/yyyy", System.Globalization.CultureInfo.InvariantCulture)),
                new("Time", when.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
            ]);
            return ((int)response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }).ToList();
        start.Release(patients.Count);
        var answers = await Task.WhenAll(posts);

        // Admitted: redirected to the patient's encounters. Not admitted: the form again, saying why.
        Assert.Single(answers, a => a.Item1 == 302);
        Assert.All(answers.Where(a => a.Item1 != 302), a =>
        {
            Assert.Equal(200, a.Item1);
            Assert.True(a.Item2.Contains("This bed has just been taken", StringComparison.Ordinal) || a.Item2.Contains("BED_HOLDS_ONE_PATIENT", StringComparison.Ordinal), a.Item2[..Math.Min(a.Item2.Length, 2000)]);
        });
        using var system = await server.ClientWithScopeAsync();
        using var holders = await system.GetAsync($"Encounter?location=Location/{bed}&status=in-progress");
        Assert.Equal(1, Total(await holders.Content.ReadAsStringAsync()));
    }

    [Theory]
    [InlineData("system")]
    [InlineData("clerk")]
    public async Task A_second_live_patient_with_an_nhs_number_already_on_a_live_record_is_refused_naming_that_record(string writer)
    {
        var number = TestNhsNumbers.Next();
        using var system = await server.ClientWithScopeAsync();
        var existing = $"nhs-{_run}";
        await RequireAsync(system, HttpMethod.Put, $"Patient/{existing}", PatientWith(existing, number));
        using var client = writer == "system" ? await server.ClientWithScopeAsync() : await ClerkAsync();

        var refused = await AssertRefusedAsync(client, HttpMethod.Post, "Patient", PatientWith(null, number), 409, "NHS_NUMBER_ON_ONE_LIVE_RECORD");
        Assert.Contains($"Patient/{existing}", refused, StringComparison.Ordinal);
        await AssertRefusedAsync(client, HttpMethod.Put, $"Patient?identifier=urn:rules|{_run}", PatientWith(null, number), 409, "NHS_NUMBER_ON_ONE_LIVE_RECORD");

        // Once the first record is merged into another, the number may be on the kept record.
        await RequireAsync(system, HttpMethod.Put, $"Patient/{existing}-kept", $$$"""{"resourceType":"Patient","id":"{{{existing}}}-kept"}""");
        await RequireAsync(system, HttpMethod.Put, $"Patient/{existing}", Merged(existing, number, $"{existing}-kept"));
        await RequireAsync(system, HttpMethod.Put, $"Patient/{existing}-kept", PatientWith($"{existing}-kept", number));
    }

    [Theory]
    [InlineData("H1,H2")]
    [InlineData("H9\\")]
    [InlineData("H$1|x")]
    public async Task A_hospital_number_with_search_characters_is_checked_as_written_not_a_500(string number)
    {
        var body = $$$"""{"resourceType":"Patient","identifier":[{"system":"https://fhir.openward.example/Id/hospital-number","value":{{{System.Text.Json.JsonSerializer.Serialize(number + _run)}}}}]}""";
        using var system = await server.ClientWithScopeAsync();
        await RequireAsync(system, HttpMethod.Post, "Patient", body);

        await AssertRefusedAsync(system, HttpMethod.Post, "Patient", body, 409, "HOSPITAL_NUMBER_ON_ONE_LIVE_RECORD");
        await RequireAsync(system, HttpMethod.Post, "Patient", body.Replace(_run, _run + "x", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task A_merged_record_takes_no_new_clinical_data_and_the_refusal_names_the_record_kept(string writer)
    {
        var (client, patient, _) = await ArrangeAsync(writer, "merged");
        using (client)
        {
            using var system = await server.ClientWithScopeAsync();
            await RequireAsync(system, HttpMethod.Put, $"Patient/{patient}-kept", $$$"""{"resourceType":"Patient","id":"{{{patient}}}-kept"}""");
            await RequireAsync(system, HttpMethod.Put, $"Patient/{patient}", Merged(patient, null, $"{patient}-kept"));

            var refused = await AssertRefusedAsync(client, HttpMethod.Post, "Observation", $$$"""{"resourceType":"Observation","status":"final","code":{"text":"Pulse"},"subject":{"reference":"Patient/{{{patient}}}"},"valueQuantity":{"value":80,"unit":"/min"}}""", 409, "MERGED_RECORD_CLOSED");
            Assert.Contains($"Patient/{patient}-kept", refused, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_record_is_merged_only_into_one_other_live_record()
    {
        var id = $"link-{_run}";
        using var system = await server.ClientWithScopeAsync();
        await SystemPutAsync($"Patient/{id}", $$$"""{"resourceType":"Patient","id":"{{{id}}}"}""");
        await SystemPutAsync($"Patient/{id}-kept", $$$"""{"resourceType":"Patient","id":"{{{id}}}-kept"}""");
        await SystemPutAsync($"Patient/{id}-merged", Merged($"{id}-merged", null, $"{id}-kept"));

        await AssertRefusedAsync(system, HttpMethod.Put, $"Patient/{id}", Merged(id, null, id), 409, "MERGE_INTO_LIVE_RECORD");
        await AssertRefusedAsync(system, HttpMethod.Put, $"Patient/{id}", Merged(id, null, $"{id}-nobody"), 409, "MERGE_INTO_LIVE_RECORD");
        await AssertRefusedAsync(system, HttpMethod.Put, $"Patient/{id}", Merged(id, null, $"{id}-merged"), 409, "MERGE_INTO_LIVE_RECORD");
        await AssertRefusedAsync(system, HttpMethod.Patch, $"Patient/{id}", $$$"""[{"op":"add","path":"/link","value":[{"other":{"reference":"Patient/{{{id}}}-kept"},"type":"replaced-by"},{"other":{"reference":"Patient/{{{id}}}-merged"},"type":"replaced-by"}]}]""", 409, "MERGE_INTO_LIVE_RECORD", "application/json-patch+json");
        Assert.Equal("1", await VersionAsync(system, $"Patient/{id}"));

        await RequireAsync(system, HttpMethod.Put, $"Patient/{id}", Merged(id, null, $"{id}-kept"));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task No_known_allergies_is_not_recorded_over_a_recorded_allergy(string writer)
    {
        var (client, patient, _) = await ArrangeAsync(writer, "nka");
        using (client)
        {
            await RequireAsync(client, HttpMethod.Post, "AllergyIntolerance", Allergy(null, patient, "confirmed"));
            await AssertRefusedAsync(client, HttpMethod.Post, "AllergyIntolerance", $$$"""{"resourceType":"AllergyIntolerance","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},"code":{"coding":[{"system":"http://snomed.info/sct","code":"716186003","display":"No known allergy"}]},"patient":{"reference":"Patient/{{{patient}}}"}}""", 409, "NO_KNOWN_ALLERGIES_CONTRADICTED");
        }
    }

    [Fact]
    public async Task On_the_allergy_page_a_merged_record_takes_nothing_and_the_page_names_the_record_kept_and_the_check()
    {
        var (client, patient, ward) = await ArrangeAsync("system", "pagemerged");
        client.Dispose();
        await SystemPutAsync($"Patient/{patient}-kept", $$$"""{"resourceType":"Patient","id":"{{{patient}}}-kept"}""");
        await SystemPutAsync($"Patient/{patient}", Merged(patient, null, $"{patient}-kept"));
        var nurse = $"rules-nurse-{_run}";
        const string password = "rules-page-password-1";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(
            new StaffAccount(nurse, "Nia Nurse", StaffRole.Nurse) { Wards = [ward], PasswordHash = server.Services.GetRequiredService<OpenWard.Web.Security.Passwords.PasswordHasher>().Hash(password) }, default);
        using var browser = new TestBrowser();
        await browser.SignInAsync($"{server.BaseUrl}/signin", nurse, password);
        var form = $"{server.BaseUrl}/patients/{patient}/allergies/new";
        using var opened = await browser.GetAsync(form);
        var html = await opened.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);

        using var saved = await browser.PostFormAsync(form, [
            new("__RequestVerificationToken", TestBrowser.Hidden(html, "__RequestVerificationToken")),
            new("Input.PatientId", patient),
            new("Input.Statement", "allergy"),
            new("Input.SubstanceText", "Merged-record test substance"),
        ]);

        var page = WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Nothing was saved", page, StringComparison.Ordinal);
        Assert.Contains($"Patient/{patient}-kept", page, StringComparison.Ordinal);
        Assert.Contains("MERGED_RECORD_CLOSED", page, StringComparison.Ordinal);
        using var system = await server.ClientWithScopeAsync();
        using var allergies = await system.GetAsync($"AllergyIntolerance?patient={patient}");
        Assert.Equal(0, Total(await allergies.Content.ReadAsStringAsync()));
    }

    /// <summary>Creates (or replaces) a resource with a chosen id, as only a system may.</summary>
    private async Task SystemPutAsync(string url, string body)
    {
        using var system = await server.ClientWithScopeAsync();
        await RequireAsync(system, HttpMethod.Put, url, body);
    }

    private async Task<HttpClient> ClerkAsync()
    {
        var clerk = $"rules-clerk-{_run}";
        await server.Services.GetRequiredService<StaffDirectory>().SaveAsync(new StaffAccount(clerk, "Cleo Clerk", StaffRole.WardClerk), default);
        return StaffTokens.Client(server, clerk);
    }

    private async Task<string> BedAsync(string ward)
    {
        var bed = $"{ward}-bed";
        using var system = await server.ClientWithScopeAsync();
        await RequireAsync(system, HttpMethod.Put, $"Location/{bed}", $$$"""{"resourceType":"Location","id":"{{{bed}}}","name":"Bed 1","partOf":{"reference":"Location/{{{ward}}}"},"physicalType":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/location-physical-type","code":"bd"}]}}""");
        return bed;
    }

    private static string PatientWith(string? id, string number) =>
        $$$"""{"resourceType":"Patient"{{{(id is null ? "" : $",\"id\":\"{id}\"")}}},"identifier":[{"system":"{{{Nhs}}}","value":"{{{number}}}"}],"name":[{"family":"Number"}]}""";

    private static string Merged(string id, string? number, string keptId) =>
        $$$"""{"resourceType":"Patient","id":"{{{id}}}","active":false{{{(number is null ? "" : $",\"identifier\":[{{\"system\":\"{Nhs}\",\"value\":\"{number}\"}}]")}}},"link":[{"other":{"reference":"Patient/{{{keptId}}}"},"type":"replaced-by"}]}""";

    private string Stay(string? id, string patient, string ward, string? bed, string status = "in-progress") =>
        $$$"""{"resourceType":"Encounter"{{{(id is null ? "" : $",\"id\":\"{id}\"")}}},"identifier":[{"system":"urn:rules","value":"{{{_run}}}"}],"status":"{{{status}}}","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"},"subject":{"reference":"Patient/{{{patient}}}"},"location":[{"location":{"reference":"Location/{{{ward}}}"},"status":"active"}{{{(bed is null ? "" : $",{{\"location\":{{\"reference\":\"Location/{bed}\"}},\"status\":\"active\"}}")}}}]}""";

    private static string Allergy(string? id, string patient, string verification) =>
        $$$"""{"resourceType":"AllergyIntolerance"{{{(id is null ? "" : $",\"id\":\"{id}\"")}}},"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical","code":"active"}]},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/allergyintolerance-verification","code":"{{{verification}}}"}]},"code":{"text":"Penicillin"},"patient":{"reference":"Patient/{{{patient}}}"}}""";

    private static string Note(string id, string patient, string status, string docStatus, string text) =>
        $$$"""{"resourceType":"DocumentReference","id":"{{{id}}}","status":"{{{status}}}","docStatus":"{{{docStatus}}}","type":{"text":"Ward round note"},"subject":{"reference":"Patient/{{{patient}}}"},"content":[{"attachment":{"contentType":"text/plain","data":"{{{Base64(text)}}}"}}]}""";

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static StringContent Body(string json, string type = "application/fhir+json") => new(json, Encoding.UTF8, type);

    private static async Task RequireAsync(HttpClient client, HttpMethod method, string url, string body)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = Body(body) });
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Sends the write and asserts the rule's status and code; returns the OperationOutcome text.</summary>
    private static async Task<string> AssertRefusedAsync(HttpClient client, HttpMethod method, string url, string? body, int status, string? code, string type = "application/fhir+json")
    {
        using var response = await client.SendAsync(new HttpRequestMessage(method, url) { Content = body is null ? null : Body(body, type) });
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(status == (int)response.StatusCode, $"{method} {url}: expected {status}, got {(int)response.StatusCode} {text}");
        if (code is not null)
        {
            Assert.Contains($"\"code\":\"{code}\"", text, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>A delete: staff may never delete patient data (the policy's 403 comes first); a system meets the rule.</summary>
    private static Task<string> AssertDeleteRefusedAsync(HttpClient client, string writer, string url, string code) =>
        writer == "system"
            ? AssertRefusedAsync(client, HttpMethod.Delete, url, null, 422, code)
            : AssertRefusedAsync(client, HttpMethod.Delete, url, null, 403, "PATIENT_DATA_NOT_DELETED");

    /// <summary>The same write as the only entry of a transaction: the whole Bundle is refused with the rule's code.</summary>
    private static async Task AssertBundleEntryRefusedAsync(HttpClient client, string url, string resource, string status, string code, bool post = false)
    {
        var bundle = $$$"""{"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":"urn:uuid:{{{Guid.NewGuid()}}}","resource":{{{resource}}},"request":{"method":"{{{(post ? "POST" : "PUT")}}}","url":"{{{url}}}"}}]}""";
        using var response = await client.PostAsync("", Body(bundle));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), $"transaction {url}: expected {status}, got {(int)response.StatusCode} {text}");
        Assert.Contains(code, text, StringComparison.Ordinal);
    }

    private static async Task<string?> VersionAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("meta").GetProperty("versionId").GetString();
    }

    private static int Total(string searchset)
    {
        using var json = JsonDocument.Parse(searchset);
        return json.RootElement.TryGetProperty("entry", out var entries) ? entries.EnumerateArray().Count(e => e.GetProperty("search").GetProperty("mode").GetString() == "match") : 0;
    }
}

[Collection(ServerCollection.Name)]
public sealed class WriteRulesOnSqliteTests(ServerFixture server) : WriteRulesOverHttpTests(server);

[Collection(PostgresServerCollection.Name)]
public sealed class WriteRulesOnPostgresTests(PostgresServerFixture server) : WriteRulesOverHttpTests(server);

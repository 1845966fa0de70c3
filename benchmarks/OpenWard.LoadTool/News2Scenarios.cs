using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OpenWard.LoadTool;

/// <summary>
/// A monitor or bedside device sending full sets of observations (issue #19: "measure a transaction
/// of a full set with 8 clients"): each operation posts one transaction Bundle of the seven NEWS2
/// inputs for one of 100 patients at a time of its own, so the write path scores it, writes the
/// NEWS2 Observation and, for the sets that score high enough (about a third of them: the values
/// are drawn at random over the chart), raises an escalation Task with its job.
/// </summary>
public sealed class News2Scenarios(HttpClient http)
{
    private const int Patients = 100;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _sets;

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        for (var n = 0; n < Patients; n++)
        {
            var id = $"news2-load-{_run}-{n}";
            using var content = new StringContent(new JsonObject { ["resourceType"] = "Patient", ["id"] = id, ["birthDate"] = "1950-05-05", ["name"] = new JsonArray(new JsonObject { ["family"] = "Monitor" }) }.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(HttpScenarios.FhirJson);
            using var response = await http.PutAsync($"Patient/{id}", content, cancellationToken);
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"Preparing the NEWS2 patients: {(int)response.StatusCode} from PUT Patient/{id}");
        }
    }

    /// <summary>One set: seven Observations in one transaction; throws unless it answers 200.</summary>
    public async Task<int> SetAsync(int client, CancellationToken cancellationToken)
    {
        var set = Interlocked.Increment(ref _sets);
        var patient = $"news2-load-{_run}-{set % Patients}";
        // Each set its own second, going back from now, so no two share a time.
        var at = DateTimeOffset.UtcNow.AddSeconds(-set).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        var random = Random.Shared;
        var entries = new JsonArray
        {
            Entry(Quantity(patient, at, "9279-1", random.Next(8, 30), "/min")),
            Entry(Quantity(patient, at, "2708-6", random.Next(88, 100), "%")),
            Entry(Coded(patient, at, random.Next(4) == 0 ? "371825009" : "722742002")),
            Entry(Quantity(patient, at, "8480-6", random.Next(85, 180), "mm[Hg]")),
            Entry(Quantity(patient, at, "8867-4", random.Next(45, 140), "/min")),
            Entry(Acvpu(patient, at, random.Next(10) == 0 ? "130987000" : "248234008")),
            Entry(Quantity(patient, at, "8310-5", 35 + random.Next(0, 50) / 10m, "Cel")),
        };
        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
        using var content = new StringContent(bundle.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(HttpScenarios.FhirJson);
        using var response = await http.PostAsync("", content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"{(int)response.StatusCode} from a NEWS2 set transaction: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return 1;
    }

    private static JsonObject Entry(JsonObject resource) => new() { ["resource"] = resource, ["request"] = new JsonObject { ["method"] = "POST", ["url"] = "Observation" } };

    private static JsonObject Base(string patient, string at, JsonObject code) => new()
    {
        ["resourceType"] = "Observation",
        ["status"] = "final",
        ["code"] = code,
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patient}" },
        ["effectiveDateTime"] = at,
    };

    private static JsonObject Code(string system, string code) => new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code }) };

    private static JsonObject Quantity(string patient, string at, string loinc, decimal value, string unit)
    {
        var observation = Base(patient, at, Code("http://loinc.org", loinc));
        observation["valueQuantity"] = new JsonObject { ["value"] = value, ["unit"] = unit, ["system"] = "http://unitsofmeasure.org", ["code"] = unit };
        return observation;
    }

    private static JsonObject Coded(string patient, string at, string snomed) => Base(patient, at, Code("http://snomed.info/sct", snomed));

    private static JsonObject Acvpu(string patient, string at, string snomed)
    {
        var observation = Base(patient, at, Code("http://snomed.info/sct", "1104441000000107"));
        observation["valueCodeableConcept"] = Code("http://snomed.info/sct", snomed);
        return observation;
    }
}

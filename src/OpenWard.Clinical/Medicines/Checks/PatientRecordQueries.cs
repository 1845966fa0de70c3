using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// The searches that read a patient's <see cref="PatientContext"/> from the record, the same for the
/// CDS Hooks services (with the caller's access) and for the write path (inside its transaction):
/// one home for what the checks need.
/// </summary>
public static class PatientRecordQueries
{
    /// <summary>The most resources of one kind read for one patient; a longer record is reported as partly read.</summary>
    public const int Limit = 500;

    /// <summary>Body weight (LOINC 29463-7, SNOMED CT 27113001, as issue #18 names them; and LOINC 3141-9, body weight measured) and height (LOINC 8302-2).</summary>
    public static readonly string[] WeightCodes = ["http://loinc.org|29463-7", "http://snomed.info/sct|27113001", "http://loinc.org|3141-9"];

    public static readonly string[] HeightCodes = ["http://loinc.org|8302-2"];

    /// <summary>How far back observations are read: the oldest a height may be (weights and results must be newer).</summary>
    public const int ObservationDays = 366;

    /// <summary>A search for each kind of record, by resource type and criteria.</summary>
    public static IEnumerable<(PatientData Data, string ResourceType, IReadOnlyList<KeyValuePair<string, string>> Criteria)> For(string patientId, Formulary formulary, DateTimeOffset now)
    {
        var observationCodes = WeightCodes.Concat(HeightCodes)
            .Concat(formulary.Knowledge.LabTests.Values.SelectMany(t => t.Loinc ?? []).Select(code => $"http://loinc.org|{code}"));
        yield return (PatientData.Allergies, "AllergyIntolerance", [new("patient", patientId)]);
        yield return (PatientData.Conditions, "Condition", [new("patient", patientId)]);
        yield return (PatientData.Observations, "Observation", [new("patient", patientId), new("code", string.Join(',', observationCodes)), new("date", $"ge{now.AddDays(-ObservationDays).UtcDateTime:yyyy-MM-dd}")]);
        yield return (PatientData.Medications, "MedicationRequest", [new("patient", patientId), new("status", "active,on-hold")]);
    }

    /// <summary>Puts what was read into a context; <paramref name="notRead"/> says what could not be.</summary>
    public static PatientContext Context(Patient? patient, IEnumerable<Resource> resources, IReadOnlyDictionary<PatientData, string> notRead, DateTimeOffset now)
    {
        var all = resources.ToList();
        return new PatientContext
        {
            Now = now,
            Patient = patient,
            Allergies = [.. all.OfType<AllergyIntolerance>()],
            Conditions = [.. all.OfType<Condition>()],
            Observations = [.. all.OfType<Observation>()],
            Orders = [.. all.OfType<MedicationRequest>()],
            NotRead = notRead,
        };
    }

    /// <summary>
    /// The context read inside a write's transaction (the write path's rules), with
    /// <paramref name="writing"/> in place of its stored version, since the write is not stored yet.
    /// </summary>
    public static async Task<PatientContext> ReadAsync(IWriteRuleContext context, string patientId, Formulary formulary, DateTimeOffset now, Resource? writing, CancellationToken cancellationToken)
    {
        var resources = new List<Resource>();
        foreach (var (_, resourceType, criteria) in For(patientId, formulary, now))
        {
            resources.AddRange(await context.FindAsync(resourceType, criteria, Limit, cancellationToken));
        }

        if (writing is not null)
        {
            resources.RemoveAll(r => r.TypeName == writing.TypeName && r.Id == writing.Id);
            resources.Add(writing);
        }

        return Context(await context.ReadAsync("Patient", patientId, cancellationToken) as Patient, resources, new Dictionary<PatientData, string>(), now);
    }
}

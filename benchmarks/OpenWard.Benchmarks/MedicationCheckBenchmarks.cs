using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Benchmarks;

/// <summary>
/// <see cref="MedicationChecks.Run"/> over the starter formulary for one draft order of a patient on
/// 30 active medicines with a weight, renal and laboratory results and an allergy (issue #18's
/// target case), without the HTTP, access and storage around it.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 7, id: "Short")]
public class MedicationCheckBenchmarks
{
    private static readonly string[] Regular =
    [
        "Amlodipine", "Ramipril", "Bisoprolol", "Simvastatin", "Metformin", "Gliclazide", "Levothyroxine", "Omeprazole", "Furosemide", "Clopidogrel",
        "Allopurinol", "Sertraline", "Amitriptyline", "Senna", "Lactulose", "Paracetamol", "Morphine", "Cyclizine", "Salbutamol", "Ipratropium",
        "Prednisolone", "Doxycycline", "Enoxaparin", "Folic acid", "Thiamine", "Tamsulosin", "Finasteride", "Donepezil", "Mirtazapine", "Lansoprazole",
    ];

    private MedicationChecks _checks = null!;
    private PatientContext _patient = null!;
    private MedicationRequest _order = null!;

    [GlobalSetup]
    public void Setup()
    {
        _checks = new MedicationChecks(Formulary.Load(Formulary.StarterPath));
        var now = DateTimeOffset.UtcNow;
        var resources = new List<Resource>
        {
            new AllergyIntolerance { Id = "a", Code = new CodeableConcept { Text = "Penicillin" } },
            Result("w", "29463-7", 72, "kg", now),
            Result("e", "62238-1", 48, "mL/min/{1.73_m2}", now),
            Result("k", "2823-3", 4.6m, "mmol/L", now),
        };
        resources.AddRange(Regular.Select((name, n) => Order($"o{n}", name, 10, MedicationRequest.MedicationrequestStatus.Active)));
        _patient = PatientRecordQueries.Context(new Patient { BirthDate = "1948-03-02" }, resources, new Dictionary<PatientData, string>(), now);
        _order = Order("draft", "Ibuprofen 400mg tablets", 400, MedicationRequest.MedicationrequestStatus.Draft);
    }

    [Benchmark(Description = "check one order, 30 active medicines")]
    public int Run() => _checks.Run(_order, _patient).Alerts.Count;

    private static Observation Result(string id, string loinc, decimal value, string unit, DateTimeOffset when) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", loinc),
        Value = new Quantity { Value = value, System = DoseUnits.UcumSystem, Code = unit },
        Effective = new FhirDateTime(when),
    };

    private static MedicationRequest Order(string id, string name, decimal mg, MedicationRequest.MedicationrequestStatus status) => new()
    {
        Id = id,
        Status = status,
        Medication = new CodeableConcept { Text = name },
        DosageInstruction =
        [
            new Dosage
            {
                Route = new CodeableConcept { Text = "oral" },
                Timing = new Timing { Repeat = new Timing.RepeatComponent { Frequency = 1, Period = 1, PeriodUnit = Timing.UnitsOfTime.D } },
                DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = mg, System = DoseUnits.UcumSystem, Code = "mg" } }],
            },
        ],
    };
}

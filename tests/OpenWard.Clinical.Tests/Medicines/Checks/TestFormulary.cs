using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Clinical.Tests.Medicines.Checks;

/// <summary>
/// A small formulary written for these tests (not clinical content: the numbers are chosen to make
/// each rule easy to reason about), and builders for patients, results and orders.
/// </summary>
internal static class TestFormulary
{
    public const string Json = """
        {
          "format": "openward-formulary", "formatVersion": 2, "version": "test-2",
          "approval": { "status": "illustrative" },
          "defaults": { "weightMaxAgeDays": 30, "labMaxAgeDays": 7, "hardStopFactor": 10 },
          "labTests": [
            { "id": "egfr", "name": "eGFR", "loinc": ["62238-1", "33914-3"], "unit": "mL/min/{1.73_m2}", "source": "test" },
            { "id": "potassium", "name": "Potassium", "loinc": ["2823-3"], "unit": "mmol/L", "source": "test" }
          ],
          "groups": [ { "id": "nsaid", "name": "NSAIDs", "classes": ["non-steroidal anti-inflammatory drug"] } ],
          "duplication": [ { "group": "nsaid", "message": "Two NSAIDs.", "source": "test" } ],
          "interactions": [ { "id": "warfarin-nsaid", "between": ["warfarin"], "and": ["nsaid"], "message": "Bleeding risk.", "source": "test" } ],
          "crossSensitivity": [ { "allergy": "penicillin", "alsoAlerts": "cephalosporin", "message": "Cross-sensitivity.", "source": "test" } ],
          "medicines": [
            { "id": "enoxaparin", "name": "Enoxaparin", "ingredients": [{ "name": "enoxaparin", "class": "low molecular weight heparin" }],
              "doseUnit": "mg", "routes": ["subcutaneous"], "highAlert": "anticoagulant",
              "doseRules": [
                { "id": "child", "age": { "from": "3mo", "to": "18y" }, "single": { "maxPerKg": 1, "max": 150 }, "source": "test" },
                { "id": "adult-prophylaxis", "age": { "from": "18y" }, "indications": ["prophylaxis"], "single": { "max": 40 }, "source": "test" },
                { "id": "adult-treatment", "age": { "from": "18y" }, "single": { "maxPerKg": 1.5 }, "source": "test" }
              ] },
            { "id": "levothyroxine", "name": "Levothyroxine", "ingredients": [{ "name": "levothyroxine" }], "doseUnit": "ug", "routes": ["oral"],
              "doseRules": [ { "id": "adult", "single": { "max": 300 }, "source": "test" } ] },
            { "id": "insulin", "name": "Insulin", "ingredients": [{ "name": "insulin", "class": "insulin" }], "doseUnit": "[iU]", "wrongUnitSeverity": "hard-stop", "routes": ["subcutaneous", "intravenous"] },
            { "id": "methotrexate", "name": "Methotrexate", "ingredients": [{ "name": "methotrexate" }], "doseUnit": "mg", "routes": ["oral"],
              "doseRules": [ { "id": "weekly", "routes": ["oral"], "weekly": { "max": 25 },
                "frequency": { "maxPerWeek": 1, "severity": "hard-stop", "message": "Once a week only." }, "source": "test" } ] },
            { "id": "paracetamol", "name": "Paracetamol", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg", "routes": ["oral", "intravenous"],
              "doseRules": [ { "id": "adult", "age": { "from": "12y" }, "single": { "max": 1000 }, "daily": { "max": 4000 }, "source": "test" } ] },
            { "id": "co-codamol", "name": "Co-codamol", "ingredients": [{ "name": "codeine", "class": "opioid" }, { "name": "paracetamol" }], "doseUnit": "mg", "routes": ["oral"] },
            { "id": "ibuprofen", "name": "Ibuprofen", "ingredients": [{ "name": "ibuprofen", "class": "non-steroidal anti-inflammatory drug" }], "doseUnit": "mg", "routes": ["oral"] },
            { "id": "naproxen", "name": "Naproxen", "ingredients": [{ "name": "naproxen", "class": "non-steroidal anti-inflammatory drug" }], "doseUnit": "mg", "routes": ["oral"] },
            { "id": "warfarin", "name": "Warfarin", "ingredients": [{ "name": "warfarin" }], "doseUnit": "mg", "routes": ["oral"] },
            { "id": "cefalexin", "name": "Cefalexin", "ingredients": [{ "name": "cefalexin", "class": "cephalosporin" }], "doseUnit": "mg", "routes": ["oral"] },
            { "id": "amoxicillin", "name": "Amoxicillin", "ingredients": [{ "name": "amoxicillin", "class": "penicillin" }], "doseUnit": "mg", "routes": ["oral"] },
            { "id": "vincristine", "name": "Vincristine", "ingredients": [{ "name": "vincristine" }], "doseUnit": "mg", "routes": ["intravenous"],
              "routeRules": [ { "route": "intrathecal", "severity": "hard-stop", "message": "Never intrathecal.", "source": "test" } ] },
            { "id": "metformin", "name": "Metformin", "ingredients": [{ "name": "metformin" }], "doseUnit": "mg", "routes": ["oral"],
              "renalRules": [ { "below": 30, "message": "Avoid.", "source": "test" } ] },
            { "id": "aspirin", "name": "Aspirin", "ingredients": [{ "name": "aspirin" }], "doseUnit": "mg", "routes": ["oral"],
              "ageRules": [ { "under": "16y", "message": "Reye's syndrome.", "source": "test" } ] },
            { "id": "propranolol", "name": "Propranolol", "ingredients": [{ "name": "propranolol" }], "doseUnit": "mg", "routes": ["oral"],
              "conditionRules": [ { "condition": "asthma", "snomed": ["195967001"], "terms": ["asthma"], "message": "Avoid in asthma.", "source": "test" } ] },
            { "id": "spironolactone", "name": "Spironolactone", "ingredients": [{ "name": "spironolactone" }], "doseUnit": "mg", "routes": ["oral"],
              "labRules": [ { "test": "potassium", "above": 5.5, "message": "Hyperkalaemia.", "source": "test" } ] },
            { "id": "gentamicin", "name": "Gentamicin", "ingredients": [{ "name": "gentamicin" }], "doseUnit": "mg", "routes": ["intravenous"],
              "monitoring": [ { "message": "Take gentamicin levels.", "source": "test" } ] }
          ]
        }
        """;

    public static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    public static readonly Lazy<MedicationChecks> Checks = new(() => new MedicationChecks(Formulary.Parse(Json)));

    public static Patient PatientBorn(string birthDate) => new() { Id = "p", BirthDate = birthDate };

    public static Observation Result(string id, string system, string code, decimal value, string unit, DateTimeOffset when) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(system, code),
        Value = new Quantity { Value = value, System = DoseUnits.UcumSystem, Code = unit, Unit = unit },
        Effective = new FhirDateTime(when),
    };

    public static Observation Weight(decimal kg, int daysAgo = 1) => Result($"w{kg}", "http://loinc.org", "29463-7", kg, "kg", Now.AddDays(-daysAgo));

    public static MedicationRequest Order(string text, decimal dose, string unit, string? route = null, Timing.RepeatComponent? repeat = null, string? id = null)
    {
        var dosage = Prescriptions.Dose(dose, unit, repeat);
        if (route is not null)
            dosage.Route = new CodeableConcept { Text = route };
        return new MedicationRequest
        {
            Id = id,
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = text },
            DosageInstruction = [dosage],
        };
    }

    public static PatientContext Context(string birthDate = "1960-01-01", IEnumerable<Resource>? resources = null) =>
        PatientRecordQueries.Context(PatientBorn(birthDate), resources ?? [], new Dictionary<PatientData, string>(), Now);
}

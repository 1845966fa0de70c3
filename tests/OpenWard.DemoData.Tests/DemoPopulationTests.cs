using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using OpenWard.Fhir;

namespace OpenWard.DemoData.Tests;

public class DemoPopulationTests
{
    private static readonly FhirJsonSerializer Serializer = new();

    private static List<string> Serialised(int seed, int patients) =>
        new DemoPopulation(seed).Generate(patients).Select(r => Serializer.SerializeToString(r)).ToList();

    [Fact]
    public void The_same_seed_and_count_give_byte_identical_json()
    {
        var first = Serialised(seed: 42, patients: 300);
        var second = Serialised(seed: 42, patients: 300);

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_larger_count_extends_a_smaller_one()
    {
        var small = Serialised(seed: 7, patients: 50);
        var large = Serialised(seed: 7, patients: 80);

        Assert.True(large.Count > small.Count);
        Assert.Equal(small, large.Take(small.Count));
    }

    [Fact]
    public void Different_seeds_give_different_people()
    {
        var one = new DemoPopulation(1).Generate(200).OfType<Patient>().ToList();
        var two = new DemoPopulation(2).Generate(200).OfType<Patient>().ToList();

        var sameNhsNumber = one.Zip(two).Count(pair => NhsNumberOf(pair.First) == NhsNumberOf(pair.Second));
        var sameName = one.Zip(two).Count(pair => pair.First.Name[0].ToString() == pair.Second.Name[0].ToString());
        Assert.Equal(0, sameNhsNumber);
        Assert.True(sameName < 20, $"{sameName} of 200 patients have the same name under both seeds");
    }

    [Fact]
    public void Every_resource_of_the_first_200_patients_survives_a_strict_json_round_trip()
    {
        var resources = 0;
        foreach (var resource in new DemoPopulation(3).Generate(200))
        {
            var json = Serializer.SerializeToString(resource);

            // STRICT throws DeserializationFailedException on any unknown element, bad code or bad value.
            var parsed = FhirJsonDeserializer.STRICT.DeserializeResource(json);

            Assert.Equal(json, Serializer.SerializeToString(parsed));
            resources++;
        }

        Assert.True(resources > 200 * 8, $"only {resources} resources for 200 patients");
    }

    [Fact]
    public void Ids_are_unique_and_every_reference_points_at_a_resource_already_yielded()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in new DemoPopulation(4).Generate(2_000))
        {
            Assert.False(string.IsNullOrEmpty(resource.Id));
            foreach (var reference in ReferencesIn(resource))
            {
                Assert.Contains(reference, seen);
            }

            Assert.True(seen.Add(resource.TypeName + "/" + resource.Id), $"{resource.TypeName}/{resource.Id} yielded twice");
        }

        Assert.Equal(2_000, seen.Count(key => key.StartsWith("Patient/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Shared_resources_come_before_the_first_patient()
    {
        var types = new DemoPopulation(5).Generate(1).Select(r => r.TypeName).ToList();
        var firstPatient = types.IndexOf("Patient");

        Assert.Equal(["Organization", "Practitioner", "Location"], types.Take(firstPatient).Distinct());
        Assert.DoesNotContain("Patient", types.Skip(firstPatient + 1));
    }

    [Fact]
    public void Patients_have_valid_unique_nhs_numbers_in_the_synthetic_999_range()
    {
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var patient in new DemoPopulation(6).Generate(5_000).OfType<Patient>())
        {
            var nhsNumber = NhsNumberOf(patient);
            Assert.True(NhsNumber.IsValid(nhsNumber), nhsNumber);
            Assert.StartsWith("999", nhsNumber, StringComparison.Ordinal);
            Assert.True(numbers.Add(nhsNumber), $"{nhsNumber} issued twice");
        }

        Assert.Equal(5_000, numbers.Count);
    }

    [Fact]
    public void The_synthetic_range_gives_every_patient_of_the_largest_run_a_distinct_number()
    {
        var numbers = new SyntheticNhsNumbers(new Random(8));
        var issued = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < DemoPopulation.MaxPatientCount; i++)
        {
            var nhsNumber = numbers.Next();
            Assert.True(issued.Add(nhsNumber));
        }

        Assert.All(issued.Take(1_000), n => Assert.True(NhsNumber.IsValid(n) && n.StartsWith("999", StringComparison.Ordinal)));
    }

    [Fact]
    public void Patients_are_uk_core_shaped()
    {
        var resources = new DemoPopulation(9).Generate(500).ToList();
        var organizations = resources.OfType<Organization>().ToDictionary(o => "Organization/" + o.Id);
        var patients = resources.OfType<Patient>().ToList();

        foreach (var patient in patients)
        {
            Assert.Contains(patient.Identifier, i => i.System == "https://fhir.nhs.uk/Id/nhs-number");
            Assert.Contains(patient.Identifier, i => i.System == "https://fhir.openward.example/Id/hospital-number" && !string.IsNullOrEmpty(i.Value));
            var name = Assert.Single(patient.Name);
            Assert.Equal(HumanName.NameUse.Official, name.Use);
            Assert.False(string.IsNullOrEmpty(name.Family));
            Assert.NotEmpty(name.Given);
            Assert.NotNull(patient.Gender);
            var age = DemoPopulation.ReferenceInstant.Year - int.Parse(patient.BirthDate![..4], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(age, 0, 101);
            var address = Assert.Single(patient.Address);
            Assert.Matches("^[A-Z]{1,2}[0-9]{1,2} [0-9][ABD-HJLNP-UW-Z]{2}$", address.PostalCode);
            var gp = organizations[Assert.Single(patient.GeneralPractitioner).Reference!];
            Assert.Contains(gp.Identifier, i => i.System == "https://fhir.nhs.uk/Id/ods-organization-code");
        }

        // The name lists reach accented and hyphenated names, and ages spread over the whole range.
        Assert.Contains(patients, p => p.Name[0].Given.Concat([p.Name[0].Family!]).Any(n => n!.Any(c => c > 127)));
        Assert.Contains(patients, p => p.Name[0].Family!.Contains('-', StringComparison.Ordinal));
        Assert.Contains(patients, p => p.BirthDate!.CompareTo("2015") > 0);
        Assert.Contains(patients, p => p.BirthDate!.CompareTo("1935") < 0);
    }

    [Fact]
    public void Each_patient_has_resources_in_the_promised_numbers()
    {
        var records = RecordsOf(new DemoPopulation(10).Generate(2_000));

        foreach (var record in records)
        {
            Assert.InRange(record.Count(r => r is Encounter), 1, 4);
            Assert.InRange(record.Count(r => r is Observation), 5, 25);
            Assert.InRange(record.Count(r => r is Condition), 0, 3);
            Assert.InRange(record.Count(r => r is AllergyIntolerance), 0, 2);
            Assert.InRange(record.Count(r => r is MedicationRequest), 0, 3);
        }

        // Each count is spread, not stuck at one value.
        Assert.Equal(4, records.Select(r => r.Count(x => x is Encounter)).Distinct().Count());
        Assert.Equal(4, records.Select(r => r.Count(x => x is Condition)).Distinct().Count());
        Assert.Equal(3, records.Select(r => r.Count(x => x is AllergyIntolerance)).Distinct().Count());
        Assert.Equal(4, records.Select(r => r.Count(x => x is MedicationRequest)).Distinct().Count());
        Assert.True(records.Select(r => r.Count(x => x is Observation)).Distinct().Count() > 10);
    }

    [Fact]
    public void Observations_fall_within_their_encounter_and_before_the_reference_instant()
    {
        var encounters = new Dictionary<string, Encounter>(StringComparer.Ordinal);
        foreach (var resource in new DemoPopulation(11).Generate(1_000))
        {
            if (resource is Encounter encounter)
            {
                encounters["Encounter/" + encounter.Id] = encounter;
                Assert.True(encounter.Period!.StartElement!.ToDateTimeOffset(TimeSpan.Zero) < DemoPopulation.ReferenceInstant);
                continue;
            }

            if (resource is Observation observation)
            {
                var during = encounters[observation.Encounter!.Reference!];
                var period = during.Period!;
                var effective = Assert.IsType<FhirDateTime>(observation.Effective).ToDateTimeOffset(TimeSpan.Zero);
                var end = period.EndElement?.ToDateTimeOffset(TimeSpan.Zero) ?? DemoPopulation.ReferenceInstant;
                Assert.InRange(effective, period.StartElement!.ToDateTimeOffset(TimeSpan.Zero), end);
                Assert.Equal(observation.Subject!.Reference, during.Subject!.Reference);
            }
        }
    }

    [Fact]
    public void Inpatients_in_hospital_now_each_have_their_own_bed()
    {
        var current = new DemoPopulation(12).Generate(1_000).OfType<Encounter>()
            .Where(e => e.Status == Encounter.EncounterStatus.InProgress).ToList();

        Assert.NotEmpty(current);
        Assert.All(current, e => Assert.Equal("IMP", e.Class.Code));
        var beds = current.Select(e => e.Location.Single(l => l.Location!.Reference!.Contains("-bed-", StringComparison.Ordinal)).Location!.Reference!).ToList();
        Assert.Equal(beds.Count, beds.Distinct().Count());
    }

    [Fact]
    public void Encounters_are_inpatient_or_outpatient_with_a_ward_or_clinic()
    {
        var encounters = new DemoPopulation(13).Generate(500).OfType<Encounter>().ToList();

        Assert.All(encounters, e =>
        {
            Assert.Equal("http://terminology.hl7.org/CodeSystem/v3-ActCode", e.Class.System);
            Assert.Contains(e.Class.Code, new[] { "IMP", "AMB" });
            Assert.StartsWith(e.Class.Code == "IMP" ? "Location/loc-ward-" : "Location/loc-clinic-", e.Location[0].Location.Reference, StringComparison.Ordinal);
            Assert.Equal("Organization/org-trust", e.ServiceProvider!.Reference);
        });
        Assert.Contains(encounters, e => e.Class.Code == "IMP");
        Assert.Contains(encounters, e => e.Class.Code == "AMB");
    }

    [Fact]
    public void Vital_signs_are_coded_in_loinc_and_snomed_with_ucum_units()
    {
        var observations = new DemoPopulation(14).Generate(300).OfType<Observation>().ToList();
        var vitalSigns = observations.Where(o => o.Category[0].Coding[0].Code == "vital-signs").ToList();

        foreach (var loinc in new[] { "8867-4", "9279-1", "8310-5", "2708-6", "85354-9", "29463-7", "8302-2" })
        {
            Assert.Contains(vitalSigns, o => o.Code.Coding.Any(c => c.System == "http://loinc.org" && c.Code == loinc));
        }

        Assert.All(vitalSigns, o =>
        {
            Assert.Equal(ObservationStatus.Final, o.Status);
            Assert.Contains(o.Code.Coding, c => c.System == "http://snomed.info/sct");
            var quantities = o.Value is Quantity value ? [value] : o.Component.Select(c => (Quantity)c.Value!).ToList();
            Assert.NotEmpty(quantities);
            Assert.All(quantities, q => Assert.Equal("http://unitsofmeasure.org", q.System));
        });

        // Unit texts and the single LOINC coding of SpO2 are fixed by the UK Core 2.0.0 vital signs profiles.
        var expectedUnits = new Dictionary<string, string>
        {
            ["8867-4"] = "per minute",
            ["9279-1"] = "per minute",
            ["8310-5"] = "degree Celsius",
            ["2708-6"] = "percent",
            ["29463-7"] = "kilogram",
            ["85354-9"] = "millimeter of mercury",
        };
        foreach (var o in vitalSigns)
        {
            var loinc = Assert.Single(o.Code.Coding, c => c.System == "http://loinc.org").Code!;
            if (expectedUnits.TryGetValue(loinc, out var unit))
            {
                var quantity = o.Value as Quantity ?? (Quantity)o.Component[0].Value!;
                Assert.Equal(unit, quantity.Unit);
            }
        }

        var bloodPressure = vitalSigns.First(o => o.Code.Coding.Any(c => c.Code == "85354-9"));
        Assert.Equal(["8480-6", "8462-4"], bloodPressure.Component.Select(c => c.Code!.Coding.Single(x => x.System == "http://loinc.org").Code));
        Assert.Contains(observations, o => o.Category[0].Coding[0].Code == "laboratory" && o.Code.Coding[0].Code == "718-7");
    }

    [Fact]
    public void Conditions_allergies_and_medicines_carry_their_status_code_systems()
    {
        var resources = new DemoPopulation(15).Generate(1_000).ToList();

        Assert.All(resources.OfType<Condition>(), c =>
        {
            Assert.Equal("http://terminology.hl7.org/CodeSystem/condition-clinical", c.ClinicalStatus!.Coding[0].System);
            Assert.Equal("http://terminology.hl7.org/CodeSystem/condition-ver-status", c.VerificationStatus!.Coding[0].System);
            Assert.Equal("problem-list-item", c.Category[0].Coding[0].Code);
            Assert.Equal("http://snomed.info/sct", c.Code!.Coding[0].System);
        });
        Assert.All(resources.OfType<AllergyIntolerance>(), a =>
        {
            Assert.Equal("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", a.ClinicalStatus!.Coding[0].System);
            Assert.Equal("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", a.VerificationStatus!.Coding[0].System);
        });
        Assert.Contains(resources.OfType<AllergyIntolerance>(), a => a.Code!.Coding[0].Code == "91936005");
        Assert.Contains(resources.OfType<AllergyIntolerance>(), a => a.Code!.Coding[0].Code == "716186003");
        Assert.All(resources.OfType<MedicationRequest>(), m =>
        {
            Assert.Equal(MedicationRequest.MedicationRequestIntent.Order, m.Intent);
            Assert.Equal("http://snomed.info/sct", ((CodeableConcept)m.Medication).Coding[0].System);
            Assert.False(string.IsNullOrEmpty(m.DosageInstruction[0].Text));
            Assert.NotNull(m.AuthoredOn);
            Assert.NotNull(m.Substitution?.Allowed); // required by UK Core 2.0.0
        });
        Assert.Contains(resources.OfType<MedicationRequest>(), m => m.Status == MedicationRequest.MedicationrequestStatus.Active);
    }

    [Fact]
    public void No_known_allergies_is_never_recorded_beside_an_allergy()
    {
        foreach (var record in RecordsOf(new DemoPopulation(16).Generate(2_000)))
        {
            var allergies = record.OfType<AllergyIntolerance>().ToList();
            if (allergies.Any(a => a.Code!.Coding[0].Code == "716186003"))
            {
                Assert.Single(allergies);
            }
        }
    }

    [Fact]
    public void Patients_allergic_to_penicillin_are_not_prescribed_amoxicillin()
    {
        var checkedPatients = 0;
        foreach (var record in RecordsOf(new DemoPopulation(17).Generate(3_000)))
        {
            if (record.OfType<AllergyIntolerance>().Any(a => a.Code!.Coding[0].Code == "91936005"))
            {
                checkedPatients++;
                Assert.DoesNotContain(record.OfType<MedicationRequest>(), m => ((CodeableConcept)m.Medication).Coding[0].Display!.StartsWith("Amoxicillin", StringComparison.Ordinal));
            }
        }

        Assert.True(checkedPatients > 50);
    }

    [Fact]
    public void A_hundred_thousand_patients_stream_without_being_held()
    {
        // Counted as they pass: nothing keeps the resources, so memory stays flat.
        var patients = 0;
        var resources = 0L;
        foreach (var resource in new DemoPopulation(18).Generate(100_000))
        {
            resources++;
            if (resource is Patient)
            {
                patients++;
            }
        }

        Assert.Equal(100_000, patients);
        Assert.True(resources > 1_000_000);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(DemoPopulation.MaxPatientCount + 1)]
    public void Generate_refuses_a_count_outside_the_range(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DemoPopulation(1).Generate(count));
    }

    [Fact]
    public void Zero_patients_gives_only_the_shared_resources()
    {
        var resources = new DemoPopulation(1).Generate(0).ToList();

        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.Contains(r.TypeName, new[] { "Organization", "Practitioner", "Location" }));
    }

    private static string NhsNumberOf(Patient patient) =>
        patient.Identifier.Single(i => i.System == NhsNumber.IdentifierSystem).Value!;

    /// <summary>Splits the stream into one list per patient: the Patient and the resources after it.</summary>
    private static List<List<Resource>> RecordsOf(IEnumerable<Resource> resources)
    {
        var records = new List<List<Resource>>();
        foreach (var resource in resources)
        {
            if (resource is Patient)
            {
                records.Add([]);
            }

            if (records.Count > 0)
            {
                records[^1].Add(resource);
            }
        }

        return records;
    }

    /// <summary>Every "reference" string anywhere in the resource's JSON.</summary>
    private static List<string> ReferencesIn(Resource resource)
    {
        var references = new List<string>();
        using var json = JsonDocument.Parse(Serializer.SerializeToString(resource));
        Collect(json.RootElement);
        return references;

        void Collect(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        if (property.Name == "reference" && property.Value.ValueKind == JsonValueKind.String)
                        {
                            references.Add(property.Value.GetString()!);
                        }
                        else
                        {
                            Collect(property.Value);
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }
}

using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.DemoData.Vocabulary;
using OpenWard.Fhir;

namespace OpenWard.DemoData;

/// <summary>
/// Generates one patient and everything recorded about them, in an order where each reference points
/// at a resource already produced: Patient; each Encounter followed by its Observations; Conditions;
/// AllergyIntolerances; MedicationRequests.
/// </summary>
/// <remarks>
/// All randomness comes from the one <see cref="Random"/> passed in, drawn in a fixed order, so a seed
/// gives the same people every time. Physiology is plausible, not realistic: enough for ward lists,
/// charts and early-warning scores to have something to show. All of it is illustrative.
/// </remarks>
internal sealed class PatientRecordGenerator(Random random, HospitalSite site, SyntheticNhsNumbers nhsNumbers)
{
    private const int MinimumObservations = 5; // every patient has at least one encounter, so one round of vital signs
    private const int MaximumObservations = 25;
    private const int ObservationsPerRound = 5; // heart rate, respiratory rate, temperature, SpO2, blood pressure

    private static readonly DateTime Now = DemoPopulation.ReferenceInstant.UtcDateTime;
    private static readonly int ConditionWeightTotal = ClinicalCodes.Conditions.Sum(c => c.Weight);
    private static readonly int AllergyWeightTotal = ClinicalCodes.Allergies.Sum(a => a.Weight);

    private readonly List<ConditionKind> _conditions = new(3);
    private readonly List<string> _conditionIds = new(3);
    private readonly List<AllergyKind> _allergies = new(2);
    private readonly List<Medicine> _medicines = new(3);
    private readonly EncounterPlan[] _plans = new EncounterPlan[4];
    private readonly int[] _rounds = new int[4];
    private readonly bool[] _labs = new bool[4];

    // The patient being generated.
    private string _key = "";
    private string _patientId = "";
    private DateTime _birth;
    private int _age;
    private bool _female;
    private int _practice;
    private int _observationNumber;
    private bool _hasCopd;
    private bool _hasHypertension;
    private bool _hasKidneyDisease;
    private bool _noKnownAllergies;

    /// <summary>Appends patient number <paramref name="index"/> (from 1) and all its resources to <paramref name="output"/>.</summary>
    public void Generate(int index, List<Resource> output)
    {
        _key = index.ToString("D6", CultureInfo.InvariantCulture);
        _patientId = "pat-" + _key;
        _observationNumber = 0;

        ChooseDemographics();
        output.Add(CreatePatient(index));

        ChooseConditions();
        ChooseAllergies();
        var lastInpatient = AddEncounters(output);

        var recorded = new DateTime[_conditions.Count];
        for (var i = 0; i < _conditions.Count; i++)
        {
            var (condition, recordedOn) = CreateCondition(i);
            recorded[i] = recordedOn;
            output.Add(condition);
        }

        AddAllergies(output);
        AddMedicationRequests(recorded, lastInpatient, output);
    }

    private void ChooseDemographics()
    {
        // Ages 0-100, weighted towards the old as a hospital's patients are.
        _age = random.NextDouble() < 0.55 ? random.Next(0, 91) : random.Next(60, 101);
        _birth = Now.Date.AddYears(-_age).AddDays(-random.Next(0, 365));
        _practice = random.Next(Places.Practices.Length);
    }

    private Patient CreatePatient(int index)
    {
        var gender = random.NextDouble() switch
        {
            < 0.49 => AdministrativeGender.Male,
            < 0.985 => AdministrativeGender.Female,
            < 0.995 => AdministrativeGender.Other,
            _ => AdministrativeGender.Unknown,
        };
        _female = gender == AdministrativeGender.Female
            || (gender != AdministrativeGender.Male && random.Next(2) == 0);

        var nhsIdentifier = new Identifier(NhsNumber.IdentifierSystem, nhsNumbers.Next());
        nhsIdentifier.Extension.Add(new Extension(ClinicalCodes.NhsNumberVerificationStatusExtension, Build.Concept(ClinicalCodes.NhsNumberVerified)));

        var names = _female ? Names.FemaleGiven : Names.MaleGiven;
        var name = new HumanName
        {
            Use = HumanName.NameUse.Official,
            Family = FamilyName(),
            Given = GivenNames(names),
        };
        var prefix = Prefix(gender);
        if (prefix is not null)
        {
            name.Prefix = [prefix];
        }

        var practice = Places.Practices[_practice];
        return new Patient
        {
            Id = _patientId,
            Identifier =
            [
                nhsIdentifier,
                new Identifier(ClinicalCodes.HospitalNumberSystem, "H" + index.ToString("D7", CultureInfo.InvariantCulture)) { Use = Identifier.IdentifierUse.Usual },
            ],
            Active = true,
            Name = [name],
            // Ofcom keeps 07700 900000-900999 for drama: never a real subscriber
            // (https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama).
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, "07700 900" + random.Next(1000).ToString("D3", CultureInfo.InvariantCulture))],
            Gender = gender,
            BirthDate = Build.Date(_birth),
            Address =
            [
                new Address
                {
                    Use = Address.AddressUse.Home,
                    Line = [$"{random.Next(1, 250)} {Pick(Places.Streets)}"],
                    City = practice.Town,
                    PostalCode = HospitalSite.Postcode(random, practice),
                },
            ],
            GeneralPractitioner = [Build.Reference("Organization", HospitalSite.PracticeId(_practice))],
            ManagingOrganization = Build.Reference("Organization", HospitalSite.TrustId),
        };
    }

    /// <summary>One given name, or for a quarter of people two different ones.</summary>
    private string[] GivenNames(string[] names)
    {
        var first = Pick(names);
        if (random.NextDouble() < 0.25)
        {
            var second = Pick(names);
            if (second != first)
            {
                return [first, second];
            }
        }

        return [first];
    }

    private string FamilyName()
    {
        var family = Pick(Names.Family);
        if (random.NextDouble() < 0.06)
        {
            var second = Pick(Names.Family);
            if (second != family && !family.Contains('-', StringComparison.Ordinal) && !second.Contains('-', StringComparison.Ordinal))
            {
                return family + "-" + second;
            }
        }

        return family;
    }

    private string? Prefix(AdministrativeGender gender)
    {
        if (_age < 18)
        {
            return null;
        }

        if (random.NextDouble() < 0.03)
        {
            return "Dr";
        }

        return gender switch
        {
            AdministrativeGender.Male => "Mr",
            AdministrativeGender.Female => random.NextDouble() switch { < 0.45 => "Mrs", < 0.75 => "Ms", _ => "Miss" },
            AdministrativeGender.Other => "Mx",
            _ => null,
        };
    }

    private void ChooseConditions()
    {
        _conditions.Clear();
        _conditionIds.Clear();

        // Three chances, each likelier with age: 0-3 long-term conditions.
        var chance = Math.Min(0.6, 0.04 + _age / 150.0);
        var wanted = 0;
        for (var i = 0; i < 3; i++)
        {
            wanted += random.NextDouble() < chance ? 1 : 0;
        }

        for (var attempt = 0; attempt < wanted * 3 && _conditions.Count < wanted; attempt++)
        {
            var kind = WeightedPick(ClinicalCodes.Conditions, ConditionWeightTotal, static c => c.Weight);
            if (kind.MinimumAge <= _age && !_conditions.Contains(kind))
            {
                _conditions.Add(kind);
            }
        }

        _hasCopd = _conditions.Contains(ClinicalCodes.Copd);
        _hasHypertension = _conditions.Contains(ClinicalCodes.Hypertension);
        _hasKidneyDisease = _conditions.Contains(ClinicalCodes.ChronicKidneyDisease);
    }

    private void ChooseAllergies()
    {
        _allergies.Clear();
        var draw = random.NextDouble();
        var count = draw switch { < 0.25 => 0, < 0.40 => 1, < 0.45 => 2, _ => 0 };
        _noKnownAllergies = draw < 0.25; // the rest, over half, have nothing recorded either way
        for (var i = 0; i < count; i++)
        {
            var kind = WeightedPick(ClinicalCodes.Allergies, AllergyWeightTotal, static a => a.Weight);
            if (!_allergies.Contains(kind))
            {
                _allergies.Add(kind);
            }
        }
    }

    /// <summary>Adds 1-4 encounters, each followed by its observations. Returns the last inpatient stay, if any.</summary>
    private EncounterPlan? AddEncounters(List<Resource> output)
    {
        var count = random.NextDouble() switch { < 0.35 => 1, < 0.65 => 2, < 0.85 => 3, _ => 4 };

        // One patient in twelve is on a ward now, while beds last.
        var currentWard = -1;
        var currentBed = -1;
        if (random.NextDouble() < 1.0 / 12)
        {
            currentWard = ChooseWard();
            currentBed = site.TakeBed(currentWard);
        }

        // Encounters take turns in equal slots of the last three years (or of life, if shorter), so they never overlap.
        var windowStart = _birth.AddHours(1) > Now.AddYears(-3) ? _birth.AddHours(1) : Now.AddYears(-3);
        var slot = (Now - windowStart) / count;
        var inpatientChance = _age < 16 ? 0.2 : 0.25 + _age / 250.0;
        EncounterPlan? lastInpatient = null;
        for (var j = 0; j < count; j++)
        {
            var plan = j == count - 1 && currentBed >= 0
                ? PlanCurrentAdmission(j, slot, currentWard, currentBed)
                : PlanPastEncounter(j, windowStart + (slot * j), slot, random.NextDouble() < inpatientChance);
            _plans[j] = plan;
            _rounds[j] = 0;
            _labs[j] = false;
            if (plan.Inpatient)
            {
                lastInpatient = plan;
            }
        }

        var weighedAt = ShareObservations(count);
        for (var j = 0; j < count; j++)
        {
            output.Add(CreateEncounter(_plans[j]));
            AddObservations(_plans[j], _rounds[j], j == weighedAt, _labs[j], output);
        }

        return lastInpatient;
    }

    /// <summary>
    /// Shares a budget of 5-25 observations among the encounters, the most recent first: one round of
    /// vital signs each, then height and weight once, then blood tests and further rounds for inpatients.
    /// Returns the encounter at which height and weight are measured (-1 for none).
    /// </summary>
    private int ShareObservations(int count)
    {
        var remaining = random.Next(MinimumObservations, MaximumObservations + 1);
        for (var j = count - 1; j >= 0 && remaining >= ObservationsPerRound; j--)
        {
            _rounds[j] = 1;
            remaining -= ObservationsPerRound;
        }

        var weighedAt = -1;
        for (var j = 0; j < count && weighedAt < 0; j++)
        {
            if (_rounds[j] > 0 && remaining >= 2)
            {
                weighedAt = j;
                remaining -= 2;
            }
        }

        for (var j = count - 1; j >= 0; j--)
        {
            if (_plans[j].Inpatient && random.NextDouble() < 0.6 && remaining >= 4)
            {
                _labs[j] = true;
                remaining -= 4;
            }
        }

        for (var j = count - 1; j >= 0; j--)
        {
            if (_plans[j].Inpatient && _rounds[j] > 0)
            {
                var extra = Math.Min(random.Next(0, 4), remaining / ObservationsPerRound);
                _rounds[j] += extra;
                remaining -= extra * ObservationsPerRound;
            }
        }

        return weighedAt;
    }

    private int ChooseWard()
    {
        if (_age < 16)
        {
            return site.ChildrensWard;
        }

        if (_age >= 80 && random.Next(2) == 0)
        {
            return site.ElderlyCareWard;
        }

        return site.AdultWards[random.Next(site.AdultWards.Count)];
    }

    private EncounterPlan PlanCurrentAdmission(int number, TimeSpan slot, int ward, int bed)
    {
        // Admitted between 4 hours and 7 days ago, and after the previous encounter ended.
        var ago = TimeSpan.FromHours(4 + random.NextDouble() * 164);
        if (ago > slot / 2)
        {
            ago = slot / 2;
        }

        var start = RoundToMinutes(Now - ago);
        var (acuity, febrile) = Severity();
        return new EncounterPlan(EncounterId(number), true, start, null, ward, bed, random.Next(HospitalSite.PractitionerCount), acuity, febrile);
    }

    private EncounterPlan PlanPastEncounter(int number, DateTime slotStart, TimeSpan slot, bool inpatient)
    {
        var start = RoundToMinutes(slotStart + (slot / 2 * random.NextDouble()));
        TimeSpan length;
        int location;
        if (inpatient)
        {
            var u = random.NextDouble();
            length = TimeSpan.FromHours(6 + u * u * 330); // 6 hours to 14 days, mostly short
            location = ChooseWard();
        }
        else
        {
            length = TimeSpan.FromMinutes(15 + random.Next(0, 31));
            location = _age < 16 ? HospitalSite.ChildrensClinic : random.Next(2);

            // Clinic appointments start between 09:00 and 17:00, unless that would leave the slot (a baby's slots can be hours).
            var clinicStart = start.Date.AddHours(9).AddMinutes(15 * random.Next(0, 33));
            if (clinicStart >= slotStart && clinicStart + length <= slotStart + slot)
            {
                start = clinicStart;
            }
        }

        if (length > slot / 2)
        {
            length = slot / 2;
        }

        length = TimeSpan.FromMinutes(Math.Floor(length.TotalMinutes));

        var practitioner = random.Next(HospitalSite.PractitionerCount);
        var (acuity, febrile) = inpatient ? Severity() : (0, false);
        return new EncounterPlan(EncounterId(number), inpatient, start, start + length, location, -1, practitioner, acuity, febrile);
    }

    /// <summary>How unwell an inpatient is on arrival (0 well to 1 very unwell: mostly well), and whether with a fever.</summary>
    private (double Acuity, bool Febrile) Severity()
    {
        var acuity = random.NextDouble() switch
        {
            < 0.15 => 0.5 + random.NextDouble() * 0.5,
            < 0.5 => 0.1 + random.NextDouble() * 0.3,
            _ => 0,
        };
        return (acuity, acuity > 0 && random.Next(2) == 0);
    }

    private string EncounterId(int number) => $"enc-{_key}-{number + 1:D2}";

    private Encounter CreateEncounter(EncounterPlan plan)
    {
        var inProgress = plan.End is null;
        var locationStatus = inProgress ? Encounter.EncounterLocationStatus.Active : Encounter.EncounterLocationStatus.Completed;
        var encounter = new Encounter
        {
            Id = plan.Id,
            Status = inProgress ? Encounter.EncounterStatus.InProgress : Encounter.EncounterStatus.Finished,
            Class = Build.Coding(plan.Inpatient ? ClinicalCodes.Inpatient : ClinicalCodes.Ambulatory),
            Subject = Build.Reference("Patient", _patientId),
            Participant =
            [
                new Encounter.ParticipantComponent
                {
                    Type = [Build.Concept(ClinicalCodes.Attender)],
                    Individual = Build.Reference("Practitioner", HospitalSite.PractitionerId(plan.Practitioner)),
                },
            ],
            Period = new Period { Start = Build.DateTime(plan.Start), End = plan.End is { } end ? Build.DateTime(end) : null },
            Location =
            [
                new Encounter.LocationComponent
                {
                    Location = Build.Reference("Location", plan.Inpatient ? HospitalSite.WardId(plan.Location) : HospitalSite.ClinicId(plan.Location)),
                    Status = locationStatus,
                },
            ],
            ServiceProvider = Build.Reference("Organization", HospitalSite.TrustId),
        };
        if (plan.Bed >= 0)
        {
            encounter.Location.Add(new Encounter.LocationComponent
            {
                Location = Build.Reference("Location", HospitalSite.BedId(plan.Location, plan.Bed)),
                Status = locationStatus,
            });
        }

        return encounter;
    }

    private void AddObservations(EncounterPlan plan, int rounds, bool weighed, bool labs, List<Resource> output)
    {
        var end = plan.End ?? Now;
        var length = end - plan.Start;

        if (weighed)
        {
            var at = RoundToMinutes(plan.Start + (length / 8));
            var (height, weight) = BodySize();
            output.Add(Measured(ClinicalCodes.VitalSignsCategory, ClinicalCodes.BodyHeight, height, plan, at));
            output.Add(Measured(ClinicalCodes.VitalSignsCategory, ClinicalCodes.BodyWeight, weight, plan, at));
        }

        var acuity = plan.Acuity;
        for (var r = 0; r < rounds; r++)
        {
            var at = RoundToMinutes(plan.Start + (length * ((r + 0.5) / rounds)));
            AddVitalSigns(plan, at, acuity, output);
            acuity *= 0.6; // patients mostly get better
        }

        if (labs)
        {
            var at = RoundToMinutes(plan.Start + (length / 6));
            AddLaboratoryResults(plan, at, output);
        }
    }

    private void AddVitalSigns(EncounterPlan plan, DateTime at, double acuity, List<Resource> output)
    {
        var child = _age < 16;
        var heartRate = (_age switch { < 1 => 130, < 6 => 110, < 13 => 90, _ => 74 }) + acuity * 35 + Normal() * 6;
        var respiratoryRate = (_age switch { < 1 => 38, < 6 => 26, < 13 => 20, _ => 15 }) + acuity * 9 + Normal() * 1.5;
        var temperature = 36.7 + (plan.Febrile ? acuity * 2.2 : 0) + Normal() * 0.25;
        var saturation = (_hasCopd ? 92 : 97) - acuity * 7 + Normal();
        var systolic = (child ? 102 : 115 + Math.Min(_age, 80) * 0.25 + (_hasHypertension ? 15 : 0)) - acuity * 25 + Normal() * 9;
        var diastolic = (child ? 62 : 72 + (_hasHypertension ? 8 : 0)) - acuity * 10 + Normal() * 5;

        systolic = Math.Clamp(systolic, 60, 240);
        diastolic = Math.Clamp(diastolic, 30, systolic - 15);

        output.Add(Measured(ClinicalCodes.VitalSignsCategory, ClinicalCodes.HeartRate, Whole(Math.Clamp(heartRate, 35, 220)), plan, at));
        output.Add(Measured(ClinicalCodes.VitalSignsCategory, ClinicalCodes.RespiratoryRate, Whole(Math.Clamp(respiratoryRate, 6, 70)), plan, at));
        output.Add(Measured(ClinicalCodes.VitalSignsCategory, ClinicalCodes.BodyTemperature, OneDecimal(Math.Clamp(temperature, 34, 41.5)), plan, at));
        output.Add(Measured(ClinicalCodes.VitalSignsCategory, ClinicalCodes.OxygenSaturation, Whole(Math.Clamp(saturation, 70, 100)), plan, at));

        var bloodPressure = NewObservation(ClinicalCodes.VitalSignsCategory, ClinicalCodes.BloodPressurePanel, plan, at);
        bloodPressure.Component =
        [
            new Observation.ComponentComponent
            {
                Code = Build.Concept(ClinicalCodes.SystolicPressure.Codes),
                Value = Build.Quantity(Whole(systolic), ClinicalCodes.SystolicPressure),
            },
            new Observation.ComponentComponent
            {
                Code = Build.Concept(ClinicalCodes.DiastolicPressure.Codes),
                Value = Build.Quantity(Whole(diastolic), ClinicalCodes.DiastolicPressure),
            },
        ];
        output.Add(bloodPressure);
    }

    /// <summary>Height in cm and weight in kg from a crude growth curve and an adult body mass index.</summary>
    private (decimal Height, decimal Weight) BodySize()
    {
        double height;
        double bodyMassIndex;
        if (_age < 18)
        {
            height = _age < 2 ? 52 + _age * 25 : 77 + _age * 5.5;
            bodyMassIndex = 16.5 + _age * 0.15;
            height += Normal() * 3;
        }
        else
        {
            height = (_female ? 163 : 176) + Normal() * 7;
            bodyMassIndex = 27 + Normal() * 4.5;
        }

        height = Math.Clamp(height, 45, 205);
        var weight = Math.Clamp(bodyMassIndex, 13, 55) * (height / 100) * (height / 100);
        return (OneDecimal(height), OneDecimal(weight));
    }

    private void AddLaboratoryResults(EncounterPlan plan, DateTime at, List<Resource> output)
    {
        // Reference ranges are typical adult ranges, illustrative: each laboratory publishes its own.
        var child = _age < 16;
        var haemoglobin = (child ? 120 : _female ? 132 : 145) - plan.Acuity * 25 - (_hasKidneyDisease ? 10 : 0) + Normal() * 11;
        var sodium = 139 - plan.Acuity * 6 + Normal() * 2.5;
        var potassium = 4.3 + (_hasKidneyDisease ? 0.5 : 0) + Normal() * 0.35;
        var creatinine = (child ? 40 : _hasKidneyDisease ? 180 : _female ? 68 : 82) + plan.Acuity * 60 + Normal() * (_hasKidneyDisease ? 40 : 12);

        output.Add(Laboratory(ClinicalCodes.Haemoglobin, Whole(Math.Clamp(haemoglobin, 50, 200)), _female ? 115 : 130, _female ? 165 : 180, plan, at));
        output.Add(Laboratory(ClinicalCodes.Sodium, Whole(Math.Clamp(sodium, 115, 165)), 133, 146, plan, at));
        output.Add(Laboratory(ClinicalCodes.Potassium, OneDecimal(Math.Clamp(potassium, 2.5, 7.5)), 3.5m, 5.3m, plan, at));
        output.Add(Laboratory(ClinicalCodes.Creatinine, Whole(Math.Clamp(creatinine, 20, 900)), _female ? 45 : 59, _female ? 84 : 104, plan, at));
    }

    private Observation Laboratory(Measurement measurement, decimal value, decimal low, decimal high, EncounterPlan plan, DateTime at)
    {
        var observation = Measured(ClinicalCodes.LaboratoryCategory, measurement, value, plan, at);
        observation.ReferenceRange =
        [
            new Observation.ReferenceRangeComponent
            {
                Low = Build.Quantity(low, measurement),
                High = Build.Quantity(high, measurement),
            },
        ];
        return observation;
    }

    private Observation Measured(Concept category, Measurement measurement, decimal value, EncounterPlan plan, DateTime at)
    {
        var observation = NewObservation(category, measurement.Codes, plan, at);
        observation.Value = Build.Quantity(value, measurement);
        return observation;
    }

    private Observation NewObservation(Concept category, Concept[] codes, EncounterPlan plan, DateTime at) => new()
    {
        Id = $"obs-{_key}-{++_observationNumber:D4}",
        Status = ObservationStatus.Final,
        Category = [Build.Concept(category)],
        Code = Build.Concept(codes),
        Subject = Build.Reference("Patient", _patientId),
        Encounter = Build.Reference("Encounter", plan.Id),
        Effective = new FhirDateTime(Build.DateTime(at)),
    };

    private (Condition Condition, DateTime Recorded) CreateCondition(int number)
    {
        var kind = _conditions[number];
        var onsetAge = kind.MinimumAge + random.NextDouble() * (_age - kind.MinimumAge);
        var onset = _birth.AddDays(Math.Floor(onsetAge * 365.25));
        if (onset > Now.AddDays(-30))
        {
            onset = Now.AddDays(-30);
        }

        var recorded = onset.AddDays(random.Next(0, 60));
        if (recorded > Now)
        {
            recorded = Now;
        }

        var id = $"con-{_key}-{number + 1:D2}";
        _conditionIds.Add(id);
        var condition = new Condition
        {
            Id = id,
            ClinicalStatus = Build.Concept(ClinicalCodes.ConditionActive),
            VerificationStatus = Build.Concept(ClinicalCodes.ConditionConfirmed),
            Category = [Build.Concept(ClinicalCodes.ProblemListItem)],
            Code = Build.Concept(kind.Code),
            Subject = Build.Reference("Patient", _patientId),
            Onset = new FhirDateTime(Build.Date(onset)),
            RecordedDate = Build.Date(recorded),
        };
        return (condition, recorded);
    }

    private void AddAllergies(List<Resource> output)
    {
        if (_noKnownAllergies)
        {
            output.Add(NewAllergyIntolerance(1, ClinicalCodes.NoKnownAllergy));
        }

        for (var i = 0; i < _allergies.Count; i++)
        {
            var kind = _allergies[i];
            var allergy = NewAllergyIntolerance(i + 1, kind.Code);
            allergy.Type = AllergyIntolerance.AllergyIntoleranceType.Allergy;
            allergy.Category = [kind.Category];
            allergy.Criticality = kind.Criticality;
            allergy.Reaction = [new AllergyIntolerance.ReactionComponent { Manifestation = [Build.Concept(kind.Manifestation)] }];
            output.Add(allergy);
        }
    }

    private AllergyIntolerance NewAllergyIntolerance(int number, Concept code)
    {
        var recorded = Now.AddDays(-random.Next(1, 3650));
        return new AllergyIntolerance
        {
            Id = $"alg-{_key}-{number:D2}",
            ClinicalStatus = Build.Concept(ClinicalCodes.AllergyActive),
            VerificationStatus = Build.Concept(ClinicalCodes.AllergyConfirmed),
            Code = Build.Concept(code),
            Patient = Build.Reference("Patient", _patientId),
            RecordedDate = Build.Date(recorded < _birth ? _birth : recorded),
        };
    }

    private void AddMedicationRequests(DateTime[] conditionRecorded, EncounterPlan? lastInpatient, List<Resource> output)
    {
        _medicines.Clear();
        var number = 0;

        // Long-term medicines for the conditions that have one, prescribed by the GP practice.
        for (var i = 0; i < _conditions.Count && number < 3; i++)
        {
            var medicine = _conditions[i].UsualMedicine;
            if (medicine is null || _medicines.Contains(medicine) || random.NextDouble() < 0.15)
            {
                continue;
            }

            _medicines.Add(medicine);
            var authored = conditionRecorded[i].AddDays(random.Next(0, 30)).AddHours(9 + random.Next(0, 8));
            var request = NewMedicationRequest(++number, medicine, authored > Now ? Now : authored, MedicationRequest.MedicationrequestStatus.Active);
            request.Category = [Build.Concept(ClinicalCodes.CommunityCategory)];
            request.CourseOfTherapyType = Build.Concept(ClinicalCodes.Continuous);
            request.Requester = Build.Reference("Organization", HospitalSite.PracticeId(_practice));
            request.ReasonReference = [Build.Reference("Condition", _conditionIds[i])];
            output.Add(request);
        }

        // Now and then an antibiotic course on the last inpatient stay, never a penicillin for a penicillin allergy.
        if (lastInpatient is { } stay && number < 3 && random.NextDouble() < 0.35)
        {
            var medicine = random.Next(3) switch
            {
                0 => ClinicalCodes.Amoxicillin,
                1 => ClinicalCodes.Doxycycline,
                _ => ClinicalCodes.Clarithromycin,
            };
            if (medicine.Penicillin && _allergies.Contains(ClinicalCodes.PenicillinAllergy))
            {
                medicine = ClinicalCodes.Clarithromycin;
            }

            var status = stay.End is null ? MedicationRequest.MedicationrequestStatus.Active : MedicationRequest.MedicationrequestStatus.Completed;
            var request = NewMedicationRequest(++number, medicine, RoundToMinutes(stay.Start + ((stay.End ?? Now) - stay.Start) / 5), status);
            request.Category = [Build.Concept(ClinicalCodes.InpatientCategory)];
            request.CourseOfTherapyType = Build.Concept(ClinicalCodes.Acute);
            request.Encounter = Build.Reference("Encounter", stay.Id);
            request.Requester = Build.Reference("Practitioner", HospitalSite.PractitionerId(stay.Practitioner));
            output.Add(request);
        }
    }

    private MedicationRequest NewMedicationRequest(int number, Medicine medicine, DateTime authored, MedicationRequest.MedicationrequestStatus status) => new()
    {
        Id = $"mrq-{_key}-{number:D2}",
        Status = status,
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = Build.Concept(medicine.Code),
        Subject = Build.Reference("Patient", _patientId),
        AuthoredOn = Build.DateTime(authored),
        DosageInstruction = [new Dosage { Text = medicine.DosageText }],

        // UK Core 2.0.0 makes substitution mandatory; "not allowed" as in its MedicationRequest examples.
        Substitution = new MedicationRequest.SubstitutionComponent { Allowed = new FhirBoolean(false) },
    };

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];

    private T WeightedPick<T>(T[] items, int totalWeight, Func<T, int> weight)
    {
        var draw = random.Next(totalWeight);
        foreach (var item in items)
        {
            draw -= weight(item);
            if (draw < 0)
            {
                return item;
            }
        }

        return items[^1];
    }

    /// <summary>
    /// An approximately standard normal draw (Irwin-Hall: four uniforms). Plain arithmetic, no
    /// logarithms or cosines, so results are identical on every platform.
    /// </summary>
    private double Normal() =>
        (random.NextDouble() + random.NextDouble() + random.NextDouble() + random.NextDouble() - 2) * 1.7320508075688772;

    private static decimal Whole(double value) => (decimal)Math.Round(value, MidpointRounding.AwayFromZero);

    private static decimal OneDecimal(double value) => Math.Round((decimal)value, 1, MidpointRounding.AwayFromZero);

    private static DateTime RoundToMinutes(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);

    /// <summary>What was decided about one encounter before its resources are made.</summary>
    private sealed record EncounterPlan(string Id, bool Inpatient, DateTime Start, DateTime? End, int Location, int Bed, int Practitioner, double Acuity, bool Febrile);
}

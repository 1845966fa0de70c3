using Hl7.Fhir.Model;

namespace OpenWard.DemoData.Vocabulary;

/// <summary>One code of a code system, with its display.</summary>
internal sealed record Concept(string System, string Code, string Display);

/// <summary>A measurement: its codes (SNOMED CT first where UK Core prefers it) and its UCUM unit.</summary>
internal sealed record Measurement(Concept[] Codes, string UcumCode, string UnitDisplay);

/// <summary>A long-term condition, the youngest age at which the demo population gets it, and how common it is (relative weight).</summary>
internal sealed record ConditionKind(Concept Code, int MinimumAge, int Weight, Medicine? UsualMedicine);

/// <summary>A medicine (dm+d VMP) with an illustrative dosage instruction.</summary>
internal sealed record Medicine(Concept Code, string DosageText, bool Penicillin = false);

/// <summary>An allergy, its category, criticality, how common it is (relative weight) and a typical reaction.</summary>
internal sealed record AllergyKind(Concept Code, AllergyIntolerance.AllergyIntoleranceCategory Category, AllergyIntolerance.AllergyIntoleranceCriticality Criticality, int Weight, Concept Manifestation);

/// <summary>
/// Code systems and the small, illustrative code lists the demo population draws on. Each code cites
/// where it was checked. These lists are for demonstration, not a clinical terminology.
/// </summary>
internal static class ClinicalCodes
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string ConditionClinical = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public const string ConditionVerification = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    public const string AllergyClinical = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
    public const string AllergyVerification = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
    public const string MedicationRequestCategory = "http://terminology.hl7.org/CodeSystem/medicationrequest-category";
    public const string CourseOfTherapy = "http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy";
    public const string LocationPhysicalType = "http://terminology.hl7.org/CodeSystem/location-physical-type";
    public const string OrganizationType = "http://terminology.hl7.org/CodeSystem/organization-type";

    // Identifier systems. NHS number and ODS code systems are the NHS's own (UK Core); the hospital and
    // staff number systems are illustrative: a real trust uses its own URIs.
    public const string OdsOrganizationCode = "https://fhir.nhs.uk/Id/ods-organization-code";
    public const string HospitalNumberSystem = "https://fhir.openward.example/Id/hospital-number";
    public const string StaffNumberSystem = "https://fhir.openward.example/Id/staff-number";

    /// <summary>
    /// NHS number verification status "01 Number present and verified", as in the UK Core example
    /// UKCore-Patient-RichardSmith-Example (UK Core R4 2.0.0).
    /// </summary>
    public const string NhsNumberVerificationStatusExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
    public static readonly Concept NhsNumberVerified = new("https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland", "01", "Number present and verified");

    // Encounter classes (http://terminology.hl7.org/CodeSystem/v3-ActCode, as in UK Core's inpatient example).
    public static readonly Concept Inpatient = new(ActCode, "IMP", "inpatient encounter");
    public static readonly Concept Ambulatory = new(ActCode, "AMB", "ambulatory");
    public static readonly Concept Attender = new(ParticipationType, "ATND", "attender");

    public static readonly Concept VitalSignsCategory = new(ObservationCategory, "vital-signs", "Vital Signs");
    public static readonly Concept LaboratoryCategory = new(ObservationCategory, "laboratory", "Laboratory");

    // Vital signs: SNOMED CT and LOINC pairs as in the UK Core 2.0.0 examples
    // (UKCore-Bundle-NEWS2Observations-Example, UKCore-Observation-VitalSigns-*-Example); LOINC codes are
    // those required by the FHIR R4 vital signs profiles (https://hl7.org/fhir/R4/observation-vitalsigns.html).
    // Unit texts are the ones the UK Core 2.0.0 vital signs profiles fix (UKCore-Observation-VitalSigns-*).
    public static readonly Measurement HeartRate = new(
        [new(Snomed, "364075005", "Heart rate"), new(Loinc, "8867-4", "Heart rate")], "/min", "per minute");
    public static readonly Measurement RespiratoryRate = new(
        [new(Snomed, "86290005", "Respiratory rate"), new(Loinc, "9279-1", "Respiratory rate")], "/min", "per minute");
    public static readonly Measurement BodyTemperature = new(
        [new(Snomed, "276885007", "Core body temperature"), new(Loinc, "8310-5", "Body temperature")], "Cel", "degree Celsius");

    // 2708-6 only: UK Core's oxygen saturation profile allows exactly one LOINC coding, fixed to it
    // (so not also 59408-5, "by Pulse oximetry").
    public static readonly Measurement OxygenSaturation = new(
        [new(Snomed, "431314004", "Peripheral oxygen saturation"), new(Loinc, "2708-6", "Oxygen saturation in Arterial blood")], "%", "percent");

    public static readonly Concept[] BloodPressurePanel =
        [new(Snomed, "75367002", "Blood pressure"), new(Loinc, "85354-9", "Blood pressure panel with all children optional")];
    public static readonly Measurement SystolicPressure = new(
        [new(Snomed, "72313002", "Systolic arterial pressure"), new(Loinc, "8480-6", "Systolic blood pressure")], "mm[Hg]", "millimeter of mercury");
    public static readonly Measurement DiastolicPressure = new(
        [new(Snomed, "1091811000000102", "Diastolic arterial pressure"), new(Loinc, "8462-4", "Diastolic blood pressure")], "mm[Hg]", "millimeter of mercury");
    public static readonly Measurement BodyWeight = new(
        [new(Snomed, "27113001", "Body weight"), new(Loinc, "29463-7", "Body weight")], "kg", "kilogram");
    public static readonly Measurement BodyHeight = new(
        [new(Snomed, "50373000", "Body height measure"), new(Loinc, "8302-2", "Body height")], "cm", "centimeter");

    // Laboratory results, LOINC coded (https://loinc.org); UK pathology also sends SNOMED CT observable
    // codes, which are left out here because they were not checked.
    public static readonly Measurement Haemoglobin = new(
        [new(Loinc, "718-7", "Hemoglobin [Mass/volume] in Blood")], "g/L", "g/L");
    public static readonly Measurement Sodium = new(
        [new(Loinc, "2951-2", "Sodium [Moles/volume] in Serum or Plasma")], "mmol/L", "mmol/L");
    public static readonly Measurement Potassium = new(
        [new(Loinc, "2823-3", "Potassium [Moles/volume] in Serum or Plasma")], "mmol/L", "mmol/L");
    public static readonly Measurement Creatinine = new(
        [new(Loinc, "14682-9", "Creatinine [Moles/volume] in Serum or Plasma")], "umol/L", "micromol/L");

    // Medicines: dm+d virtual medicinal products, coded in SNOMED CT (dm+d is the NHS drug extension,
    // https://www.nhsbsa.nhs.uk/pharmacies-gp-practices-and-appliance-contractors/dictionary-medicines-and-devices-dmd).
    // Illustrative: the ids were matched to their names in public dm+d-derived sources and UK Core
    // examples, not in the dm+d release itself; check them before any clinical use. Dosage texts are illustrative.
    public static readonly Medicine Amlodipine = new(new(Snomed, "319283006", "Amlodipine 5mg tablets"), "Take ONE tablet once a day.");
    public static readonly Medicine Metformin = new(new(Snomed, "325278007", "Metformin 500mg tablets"), "Take ONE tablet twice a day with meals.");
    public static readonly Medicine Salbutamol = new(new(Snomed, "39113611000001102", "Salbutamol 100micrograms/dose inhaler CFC free"), "Inhale TWO doses when required for breathlessness.");
    public static readonly Medicine Aspirin = new(new(Snomed, "319773006", "Aspirin 75mg dispersible tablets"), "Take ONE tablet once a day.");
    public static readonly Medicine Paracetamol = new(new(Snomed, "322236009", "Paracetamol 500mg tablets"), "Take TWO tablets up to four times a day when required. No more than 8 tablets in 24 hours.");

    // Acute antibiotics, codes as in UK Core 2.0.0 examples (UKCore-MedicationRequest-Amoxicillin-Example,
    // -Clarithromycin-Example, -Doxycycline-Example).
    public static readonly Medicine Amoxicillin = new(new(Snomed, "39732411000001106", "Amoxicillin 500mg capsules"), "Take ONE capsule three times a day for 5 days.", Penicillin: true);
    public static readonly Medicine Clarithromycin = new(new(Snomed, "41946511000001109", "Clarithromycin 500mg tablets"), "Take ONE tablet twice a day for 5 days.");
    public static readonly Medicine Doxycycline = new(new(Snomed, "41948311000001104", "Doxycycline 100mg capsules"), "Take TWO capsules on the first day, then ONE capsule a day for 4 days.");

    // Conditions that change the generated physiology (blood pressure, oxygen saturation, kidney function).
    public static readonly ConditionKind Hypertension = new(new(Snomed, "38341003", "Hypertensive disorder, systemic arterial"), 30, 30, Amlodipine);
    public static readonly ConditionKind Copd = new(new(Snomed, "13645005", "Chronic obstructive lung disease"), 40, 8, Salbutamol);
    public static readonly ConditionKind ChronicKidneyDisease = new(new(Snomed, "709044004", "Chronic kidney disease"), 40, 6, null);

    /// <summary>
    /// Illustrative long-term conditions, SNOMED CT (http://snomed.info/sct) disorder concepts with their
    /// international preferred terms. Weights are rough relative frequencies for a demo, not epidemiology.
    /// </summary>
    public static readonly ConditionKind[] Conditions =
    [
        Hypertension,
        new(new(Snomed, "44054006", "Diabetes mellitus type 2"), 30, 15, Metformin),
        new(new(Snomed, "195967001", "Asthma"), 3, 15, Salbutamol),
        Copd,
        new(new(Snomed, "49436004", "Atrial fibrillation"), 50, 6, null),
        new(new(Snomed, "35489007", "Depressive disorder"), 16, 10, null),
        new(new(Snomed, "84114007", "Heart failure"), 50, 4, null),
        ChronicKidneyDisease,
        new(new(Snomed, "396275006", "Osteoarthritis"), 45, 12, Paracetamol),
        new(new(Snomed, "22298006", "Myocardial infarction"), 45, 4, Aspirin),
        new(new(Snomed, "230690007", "Cerebrovascular accident"), 50, 4, Aspirin),
        new(new(Snomed, "40930008", "Hypothyroidism"), 20, 5, null),
    ];

    public static readonly Concept NoKnownAllergy = new(Snomed, "716186003", "No known allergy");

    public static readonly AllergyKind PenicillinAllergy = new(
        new(Snomed, "91936005", "Allergy to penicillin"), AllergyIntolerance.AllergyIntoleranceCategory.Medication,
        AllergyIntolerance.AllergyIntoleranceCriticality.Low, 6, new(Snomed, "247472004", "Urticarial rash"));

    /// <summary>
    /// Illustrative allergies (SNOMED CT findings) with a typical reaction; the urticaria code is the one
    /// in UKCore-AllergyIntolerance-Amoxicillin-Example.
    /// </summary>
    public static readonly AllergyKind[] Allergies =
    [
        PenicillinAllergy,
        new(new(Snomed, "91935009", "Allergy to peanut"), AllergyIntolerance.AllergyIntoleranceCategory.Food, AllergyIntolerance.AllergyIntoleranceCriticality.High, 2, new(Snomed, "39579001", "Anaphylaxis")),
        new(new(Snomed, "300916003", "Latex allergy"), AllergyIntolerance.AllergyIntoleranceCategory.Environment, AllergyIntolerance.AllergyIntoleranceCriticality.Low, 1, new(Snomed, "40275004", "Contact dermatitis")),
    ];

    public static readonly Concept ConditionActive = new(ConditionClinical, "active", "Active");
    public static readonly Concept ConditionConfirmed = new(ConditionVerification, "confirmed", "Confirmed");
    public static readonly Concept ProblemListItem = new(ConditionCategory, "problem-list-item", "Problem List Item");
    public static readonly Concept AllergyActive = new(AllergyClinical, "active", "Active");
    public static readonly Concept AllergyConfirmed = new(AllergyVerification, "confirmed", "Confirmed");

    public static readonly Concept CommunityCategory = new(MedicationRequestCategory, "community", "Community");
    public static readonly Concept InpatientCategory = new(MedicationRequestCategory, "inpatient", "Inpatient");
    public static readonly Concept Continuous = new(CourseOfTherapy, "continuous", "Continuous long term therapy");
    public static readonly Concept Acute = new(CourseOfTherapy, "acute", "Short course (acute) therapy");

    public static readonly Concept Ward = new(LocationPhysicalType, "wa", "Ward");
    public static readonly Concept Bed = new(LocationPhysicalType, "bd", "Bed");
    public static readonly Concept Room = new(LocationPhysicalType, "ro", "Room");
    public static readonly Concept HealthcareProvider = new(OrganizationType, "prov", "Healthcare Provider");
}

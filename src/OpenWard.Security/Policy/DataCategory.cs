namespace OpenWard.Security.Policy;

/// <summary>The kinds of data the access policy distinguishes; every FHIR resource type falls in exactly one.</summary>
public enum DataCategory
{
    /// <summary>Who the patient is: Patient, RelatedPerson.</summary>
    Demographics,

    /// <summary>Admissions, appointments, alerts and cover: Encounter, Appointment, Flag, Coverage...</summary>
    Administrative,

    /// <summary>The patient's clinical record: observations, conditions, notes, results, tasks, devices; and bundles and messages, which no one patient's relationship opens.</summary>
    Clinical,

    /// <summary>Prescriptions: MedicationRequest.</summary>
    Prescribing,

    /// <summary>Who did what to the record: AuditEvent, Provenance. Append-only.</summary>
    Audit,

    /// <summary>Everything not about a patient: staff, wards, organisations, medicines, conformance resources.</summary>
    Directory,
}

/// <summary>Maps a FHIR R4 resource type to its <see cref="DataCategory"/>.</summary>
public static class DataCategories
{
    private static readonly HashSet<string> DemographicsTypes = new(StringComparer.Ordinal)
    {
        "Patient", "RelatedPerson",
    };

    private static readonly HashSet<string> AdministrativeTypes = new(StringComparer.Ordinal)
    {
        "Encounter", "EpisodeOfCare", "Appointment", "AppointmentResponse", "Flag", "Coverage", "Account",
    };

    private static readonly HashSet<string> PrescribingTypes = new(StringComparer.Ordinal)
    {
        "MedicationRequest",
    };

    private static readonly HashSet<string> AuditTypes = new(StringComparer.Ordinal)
    {
        "AuditEvent", "Provenance",
    };

    // Every resource type of the FHIR R4 Patient compartment
    // (https://hl7.org/fhir/R4/compartmentdefinition-patient.html, CompartmentDefinition/patient in the
    // R4 4.0.1 profiles-resources.xml: 66 types) that none of the lists above claims.
    private static readonly HashSet<string> ClinicalTypes = new(StringComparer.Ordinal)
    {
        "AdverseEvent", "AllergyIntolerance", "Basic", "BodyStructure", "CarePlan", "CareTeam", "ChargeItem",
        "Claim", "ClaimResponse", "ClinicalImpression", "Communication", "CommunicationRequest", "Composition",
        "Condition", "Consent", "CoverageEligibilityRequest", "CoverageEligibilityResponse", "DetectedIssue",
        "DeviceRequest", "DeviceUseStatement", "DiagnosticReport", "DocumentManifest", "DocumentReference",
        "EnrollmentRequest", "ExplanationOfBenefit", "FamilyMemberHistory", "Goal", "Group", "ImagingStudy",
        "Immunization", "ImmunizationEvaluation", "ImmunizationRecommendation", "Invoice", "List",
        "MeasureReport", "Media", "MedicationAdministration", "MedicationDispense", "MedicationStatement",
        "MolecularSequence", "NutritionOrder", "Observation", "Person", "Procedure", "QuestionnaireResponse",
        "RequestGroup", "ResearchSubject", "RiskAssessment", "Schedule", "ServiceRequest", "Specimen",
        "SupplyDelivery", "SupplyRequest", "VisionPrescription",

        // Not in the R4 compartment, but a patient's data all the same (PatientCompartment.Additions):
        // a Task for the patient, a Device attached to them. A Device with no patient (ward equipment)
        // is therefore in no one's record, and only systems see it.
        "Task", "Device",

        // A Bundle or MessageHeader can carry any patients' records, and belongs to no one patient's
        // compartment: as clinical data with no patient, no relationship opens it, so only systems
        // (through their scopes) use them; staff and patients never see one.
        "Bundle", "MessageHeader",
    };

    /// <summary>
    /// The category of a resource type. Types outside the Patient compartment (Practitioner, Location,
    /// Medication, conformance resources...) and unknown names are <see cref="DataCategory.Directory"/>.
    /// Names are case-sensitive, as in FHIR.
    /// </summary>
    public static DataCategory Of(string resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        if (DemographicsTypes.Contains(resourceType))
            return DataCategory.Demographics;
        if (AdministrativeTypes.Contains(resourceType))
            return DataCategory.Administrative;
        if (PrescribingTypes.Contains(resourceType))
            return DataCategory.Prescribing;
        if (AuditTypes.Contains(resourceType))
            return DataCategory.Audit;
        if (ClinicalTypes.Contains(resourceType))
            return DataCategory.Clinical;
        return DataCategory.Directory;
    }

    /// <summary>True for the categories that hold data about one patient (the R4 Patient compartment, less Audit).</summary>
    public static bool IsPatientData(DataCategory category) =>
        category is DataCategory.Demographics or DataCategory.Administrative or DataCategory.Clinical or DataCategory.Prescribing;
}

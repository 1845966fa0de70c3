using OpenWard.Security.Policy;

namespace OpenWard.Security.Tests.Policy;

public class DataCategoriesTests
{
    [Theory]
    [InlineData("Patient", DataCategory.Demographics)]
    [InlineData("RelatedPerson", DataCategory.Demographics)]
    [InlineData("Encounter", DataCategory.Administrative)]
    [InlineData("EpisodeOfCare", DataCategory.Administrative)]
    [InlineData("Appointment", DataCategory.Administrative)]
    [InlineData("AppointmentResponse", DataCategory.Administrative)]
    [InlineData("Flag", DataCategory.Administrative)]
    [InlineData("Coverage", DataCategory.Administrative)]
    [InlineData("Account", DataCategory.Administrative)]
    [InlineData("MedicationRequest", DataCategory.Prescribing)]
    [InlineData("AuditEvent", DataCategory.Audit)]
    [InlineData("Provenance", DataCategory.Audit)]
    [InlineData("Observation", DataCategory.Clinical)]
    [InlineData("Condition", DataCategory.Clinical)]
    [InlineData("AllergyIntolerance", DataCategory.Clinical)]
    [InlineData("DocumentReference", DataCategory.Clinical)]
    [InlineData("Composition", DataCategory.Clinical)]
    [InlineData("MedicationStatement", DataCategory.Clinical)]
    [InlineData("MedicationAdministration", DataCategory.Clinical)]
    [InlineData("MedicationDispense", DataCategory.Clinical)]
    [InlineData("Consent", DataCategory.Clinical)]
    [InlineData("QuestionnaireResponse", DataCategory.Clinical)]
    [InlineData("List", DataCategory.Clinical)]
    [InlineData("Media", DataCategory.Clinical)]
    [InlineData("VisionPrescription", DataCategory.Clinical)]
    [InlineData("Practitioner", DataCategory.Directory)]
    [InlineData("PractitionerRole", DataCategory.Directory)]
    [InlineData("Organization", DataCategory.Directory)]
    [InlineData("Location", DataCategory.Directory)]
    [InlineData("HealthcareService", DataCategory.Directory)]
    [InlineData("Medication", DataCategory.Directory)]
    [InlineData("Endpoint", DataCategory.Directory)]
    [InlineData("StructureDefinition", DataCategory.Directory)]
    [InlineData("Task", DataCategory.Clinical)] // not in the R4 Patient compartment, but a patient's (PatientCompartment.Additions)
    [InlineData("Device", DataCategory.Clinical)]
    [InlineData("Bundle", DataCategory.Clinical)] // may carry any patient's data: no relationship opens it
    [InlineData("MessageHeader", DataCategory.Clinical)]
    public void Each_resource_type_has_its_category(string resourceType, DataCategory expected)
    {
        Assert.Equal(expected, DataCategories.Of(resourceType));
    }

    [Fact]
    public void Every_type_of_the_R4_patient_compartment_is_patient_or_audit_data()
    {
        // The 66 resource types of CompartmentDefinition/patient in FHIR R4 4.0.1
        // (https://hl7.org/fhir/R4/compartmentdefinition-patient.html).
        string[] compartment =
        [
            "Account", "AdverseEvent", "AllergyIntolerance", "Appointment", "AppointmentResponse", "AuditEvent", "Basic",
            "BodyStructure", "CarePlan", "CareTeam", "ChargeItem", "Claim", "ClaimResponse", "ClinicalImpression",
            "Communication", "CommunicationRequest", "Composition", "Condition", "Consent", "Coverage",
            "CoverageEligibilityRequest", "CoverageEligibilityResponse", "DetectedIssue", "DeviceRequest",
            "DeviceUseStatement", "DiagnosticReport", "DocumentManifest", "DocumentReference", "Encounter",
            "EnrollmentRequest", "EpisodeOfCare", "ExplanationOfBenefit", "FamilyMemberHistory", "Flag", "Goal", "Group",
            "ImagingStudy", "Immunization", "ImmunizationEvaluation", "ImmunizationRecommendation", "Invoice", "List",
            "MeasureReport", "Media", "MedicationAdministration", "MedicationDispense", "MedicationRequest",
            "MedicationStatement", "MolecularSequence", "NutritionOrder", "Observation", "Patient", "Person", "Procedure",
            "Provenance", "QuestionnaireResponse", "RelatedPerson", "RequestGroup", "ResearchSubject", "RiskAssessment",
            "Schedule", "ServiceRequest", "Specimen", "SupplyDelivery", "SupplyRequest", "VisionPrescription",
        ];

        Assert.Equal(66, compartment.Length);
        Assert.All(compartment, type => Assert.NotEqual(DataCategory.Directory, DataCategories.Of(type)));
    }

    [Theory]
    [InlineData("patient")] // resource type names are case-sensitive
    [InlineData("NotAResource")]
    [InlineData("")]
    public void Unknown_names_are_directory_data(string resourceType)
    {
        Assert.Equal(DataCategory.Directory, DataCategories.Of(resourceType));
    }
}

using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Search.Indexing;

/// <summary>
/// Which Patient a resource belongs to (https://hl7.org/fhir/R4/compartmentmodel.html): a Patient is
/// in its own compartment; any other resource is in the compartment of the first Patient that one of
/// its compartment-defining reference parameters points to.
/// </summary>
public static class PatientCompartment
{
    /// <summary>
    /// The reference parameters that put a resource in the Patient compartment, in the order of the R4
    /// CompartmentDefinition "patient" (https://hl7.org/fhir/R4/compartmentdefinition-patient.html),
    /// for the supported types that are in it. Practitioner, PractitionerRole, Organization, Location,
    /// Medication, Task, Questionnaire, Device, MessageHeader and Bundle are not in the R4 definition.
    /// Written out rather than read from specification.zip at start-up (which unpacks and indexes the
    /// whole specification, ~1.4 s and a temporary folder); a test checks it against that definition.
    /// </summary>
    public static readonly FrozenDictionary<string, string[]> ParametersByType = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["AllergyIntolerance"] = ["patient", "recorder", "asserter"],
        ["Appointment"] = ["actor"],
        ["AuditEvent"] = ["patient"],
        ["CarePlan"] = ["patient", "performer"],
        ["CareTeam"] = ["patient", "participant"],
        ["Communication"] = ["subject", "sender", "recipient"],
        ["Composition"] = ["subject", "author", "attester"],
        ["Condition"] = ["patient", "asserter"],
        ["Consent"] = ["patient"],
        ["DetectedIssue"] = ["patient"],
        ["DiagnosticReport"] = ["subject"],
        ["DocumentReference"] = ["subject", "author"],
        ["Encounter"] = ["patient"],
        ["EpisodeOfCare"] = ["patient"],
        ["Flag"] = ["patient"],
        ["Immunization"] = ["patient"],
        ["MedicationAdministration"] = ["patient", "performer", "subject"],
        ["MedicationDispense"] = ["subject", "patient", "receiver"],
        ["MedicationRequest"] = ["subject"],
        ["MedicationStatement"] = ["subject"],
        ["Observation"] = ["subject", "performer"],
        ["Procedure"] = ["patient", "performer"],
        ["Provenance"] = ["patient"],
        ["QuestionnaireResponse"] = ["subject", "author"],
        ["RelatedPerson"] = ["patient"],
        ["ServiceRequest"] = ["subject", "performer"],
        ["Specimen"] = ["subject"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The compartment's Patient id: the resource's own id for a Patient; otherwise the first local
    /// <c>Patient/{id}</c> reference among <paramref name="references"/> of the defining parameters.
    /// Absolute URLs do not count: they may name a patient on another server.
    /// </summary>
    internal static string? Find(Resource resource, List<ReferenceIndex> references)
    {
        if (resource is Patient)
        {
            return resource.Id;
        }

        if (!ParametersByType.TryGetValue(resource.TypeName, out var parameters))
        {
            return null;
        }

        foreach (var parameter in parameters)
        {
            foreach (var reference in references)
            {
                if (reference is { TargetType: "Patient", TargetId: not null, Url: null } && reference.Param == parameter)
                {
                    return reference.TargetId;
                }
            }
        }

        return null;
    }
}

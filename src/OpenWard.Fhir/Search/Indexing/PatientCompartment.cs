using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Search.Indexing;

/// <summary>
/// Which Patient a resource belongs to (https://hl7.org/fhir/R4/compartmentmodel.html): a Patient is
/// in its own compartment; any other resource is in the compartment of the first Patient that one of
/// its compartment-defining reference parameters points to. <see cref="Named"/> lists every Patient
/// a resource points to, which the access policy checks a write against.
/// </summary>
public static class PatientCompartment
{
    /// <summary>
    /// The reference parameters that put a resource in the Patient compartment, in the order of the R4
    /// CompartmentDefinition "patient" (https://hl7.org/fhir/R4/compartmentdefinition-patient.html),
    /// for the supported types that are in it, plus <see cref="Additions"/>. Practitioner,
    /// PractitionerRole, Organization, Location, Medication, Questionnaire, MessageHeader and Bundle are
    /// in no patient's compartment. Written out rather than read from specification.zip at start-up
    /// (which unpacks and indexes the whole specification, ~1.4 s and a temporary folder); a test checks
    /// it against that definition.
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
        ["Goal"] = ["patient"],
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
        ["Task"] = ["patient"],
        ["Device"] = ["patient"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// OpenWard's additions to the R4 definition: a Task for a patient (Task.for) and a Device attached
    /// to one (an implant, a pump: Device.patient) hold that patient's data, so the access policy must
    /// judge them against that patient like the rest of the record.
    /// </summary>
    public static readonly FrozenSet<string> Additions = new[] { "Task", "Device" }.ToFrozenSet(StringComparer.Ordinal);

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

    /// <summary>
    /// Every Patient the resource points to through any indexed reference, its compartment's first:
    /// local <c>Patient/{id}</c> references and absolute URLs ending in <c>Patient/{id}</c> (which
    /// may name a patient of this server, and are searched as such), so that a write naming several
    /// patients is judged for each of them. A Patient names only itself: its links to other records
    /// are the patient index's business (merges), and give nobody access.
    /// </summary>
    public static IReadOnlyList<string> Named(Resource resource, List<ReferenceIndex> references)
    {
        var named = new List<string>();
        if (Find(resource, references) is { } compartment)
        {
            named.Add(compartment);
        }

        if (resource is Patient)
        {
            return named;
        }

        foreach (var reference in references)
        {
            if (reference is { TargetType: "Patient", TargetId: { } id } && !named.Contains(id, StringComparer.Ordinal))
            {
                named.Add(id);
            }
        }

        return named;
    }
}

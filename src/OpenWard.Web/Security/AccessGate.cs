using Microsoft.Extensions.Caching.Memory;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage;

namespace OpenWard.Web.Security;

/// <summary>The facts the policy weighed for one resource, and its answer.</summary>
public sealed record GateDecision(PolicyDecision Policy, Relationship Relationship, Sensitivity Sensitivity, string? PatientId);

/// <summary>
/// Gathers the facts about one resource that <see cref="AccessPolicy"/> needs (its data category,
/// the patient it belongs to, the caller's relationship with that patient, its sensitivity and the
/// patient's) and asks the policy. Every path (API, pages, exports) comes through here.
/// </summary>
public sealed class AccessGate(CareRelationships relationships, IResourceStore store, IMemoryCache cache)
{
    private static readonly TimeSpan PatientLabelsCacheFor = TimeSpan.FromSeconds(30);

    /// <param name="launchPatient">For a token confined to one patient (one with any SMART patient/ scope, or a patient's own): that patient; otherwise null.</param>
    public async ValueTask<GateDecision> DecideAsync(Principal principal, StoredResource resource, FhirAction action, string? launchPatient, CancellationToken cancellationToken)
    {
        var category = DataCategories.Of(resource.ResourceType);
        var patientId = resource.PatientId;
        if (principal.Kind == PrincipalKind.System && launchPatient is null)
        {
            // A system's answer depends on neither relationship nor sensitivity (its scopes were
            // checked per type): skip gathering them, which would read the Patient on the hot path.
            return new GateDecision(AccessPolicy.DecideFor(principal, Relationship.None, Sensitivity.None, category, action), Relationship.None, Sensitivity.None, patientId);
        }

        // A confined token reaches its patient's record and the directory, nothing else: not another
        // patient's data whatever its category, nor audit events or records that belong to no patient.
        if (launchPatient is not null && patientId != launchPatient && (patientId is not null || category != DataCategory.Directory))
        {
            return new GateDecision(
                new PolicyDecision(AccessDecision.Deny, "PATIENT_CONTEXT", $"This app was launched for one patient and may not open {resource.Reference}, which is not in that patient's record."),
                Relationship.None, Sensitivity.None, patientId);
        }

        if (!IsPatientData(category))
        {
            // Audit events name patients too: a patient may see those about themselves.
            var self = principal.Kind == PrincipalKind.Patient && patientId == principal.Id ? Relationship.Self : Relationship.None;
            return new GateDecision(AccessPolicy.DecideFor(principal, self, Sensitivity.None, category, action), self, Sensitivity.None, patientId);
        }

        var sensitivity = SensitivityLabels.FromSecurityLabels(SecurityLabels.Read(resource.Json));
        if (patientId is not null && !(resource.ResourceType == "Patient" && resource.Id == patientId))
        {
            sensitivity |= await PatientSensitivityAsync(patientId, cancellationToken);
        }

        var relationship = patientId is null ? Relationship.None : principal.Kind switch
        {
            PrincipalKind.Staff => await relationships.ForAsync(principal, patientId, cancellationToken),
            PrincipalKind.Patient when principal.Id == patientId => Relationship.Self,
            _ => Relationship.None,
        };
        return new GateDecision(AccessPolicy.DecideFor(principal, relationship, sensitivity, category, action), relationship, sensitivity, patientId);
    }

    /// <summary>
    /// The policy's answer for a kind of data in a patient's whole record (for example, may this
    /// nurse open the clinical record at all), weighing the record's own sensitivity labels.
    /// Pages ask this before showing a chart, so that they can offer break-glass instead.
    /// </summary>
    public async ValueTask<GateDecision> DecideForRecordAsync(Principal principal, string patientId, DataCategory category, FhirAction action, CancellationToken cancellationToken)
    {
        var sensitivity = await PatientSensitivityAsync(patientId, cancellationToken);
        var relationship = principal.Kind switch
        {
            PrincipalKind.Staff => await relationships.ForAsync(principal, patientId, cancellationToken),
            PrincipalKind.Patient when principal.Id == patientId => Relationship.Self,
            _ => Relationship.None,
        };
        return new GateDecision(AccessPolicy.DecideFor(principal, relationship, sensitivity, category, action), relationship, sensitivity, patientId);
    }

    /// <summary>The labels on the Patient resource itself (VIP, staff member...) cover the whole record.</summary>
    private async ValueTask<Sensitivity> PatientSensitivityAsync(string patientId, CancellationToken cancellationToken)
    {
        var key = $"patient-sensitivity|{patientId}";
        if (cache.TryGetValue(key, out Sensitivity known))
        {
            return known;
        }

        var patient = await store.ReadAsync("Patient", patientId, cancellationToken);
        var sensitivity = SensitivityLabels.FromSecurityLabels(SecurityLabels.Read(patient?.Json));
        cache.Set(key, sensitivity, PatientLabelsCacheFor);
        return sensitivity;
    }

    /// <summary>Forgets a patient's cached labels after their Patient resource was written.</summary>
    public void ForgetPatient(string patientId) => cache.Remove($"patient-sensitivity|{patientId}");

    /// <summary>Forgets every user's cached relationship with the patient (see <see cref="CareRelationships.ForgetPatient"/>).</summary>
    public void ForgetRelationships(string patientId) => relationships.ForgetPatient(patientId);

    public static bool IsPatientData(DataCategory category) =>
        category is DataCategory.Demographics or DataCategory.Administrative or DataCategory.Clinical or DataCategory.Prescribing;
}

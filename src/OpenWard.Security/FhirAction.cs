namespace OpenWard.Security;

/// <summary>
/// The interactions the access policy and SMART scopes distinguish: the SMART v2 permissions
/// c r u d s (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).
/// </summary>
public enum FhirAction
{
    Create,
    Read,
    Update,
    Delete,
    Search,
}

namespace OpenWard.Security.Policy;

/// <summary>One row of the role permission table: what a role may do to one category of data.</summary>
/// <param name="Actions">The permitted actions as SMART permission letters in c r u d s order, e.g. "crus".</param>
public sealed record RolePermission(StaffRole Role, DataCategory Category, string Actions)
{
    /// <summary>The SMART v2 letter of each action (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html).</summary>
    public static char LetterOf(FhirAction action) => action switch
    {
        FhirAction.Create => 'c',
        FhirAction.Read => 'r',
        FhirAction.Update => 'u',
        FhirAction.Delete => 'd',
        FhirAction.Search => 's',
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public bool Permits(FhirAction action) => Actions.Contains(LetterOf(action), StringComparison.Ordinal);

    public override string ToString() => $"{Role} | {Category} | {Actions}";
}

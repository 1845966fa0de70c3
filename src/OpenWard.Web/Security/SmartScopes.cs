using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Security;

namespace OpenWard.Web.Security;

/// <summary>
/// SMART on FHIR scopes (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
/// v2 <c>system/Patient.rs</c>, <c>system/*.cruds</c>, and the v1 forms <c>.read</c>, <c>.write</c>, <c>.*</c>.
/// Only <c>system/</c> scopes grant anything until user and patient contexts exist (issue #3).
/// </summary>
public sealed class SmartScopes : IFhirAccess
{
    private readonly List<(string Type, HashSet<FhirAction> Actions)> _grants = [];

    public SmartScopes(string? scope)
    {
        foreach (var item in (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParse(item, out var type, out var actions))
            {
                _grants.Add((type, actions));
            }
        }
    }

    public bool IsEmpty => _grants.Count == 0;

    /// <summary>Parses one scope; false for anything that is not a well-formed system scope.</summary>
    public static bool TryParse(string scope, out string resourceType, out HashSet<FhirAction> actions)
    {
        resourceType = "";
        actions = [];
        if (!scope.StartsWith("system/", StringComparison.Ordinal))
        {
            return false;
        }

        var body = scope["system/".Length..];
        var dot = body.LastIndexOf('.');
        if (dot <= 0 || dot == body.Length - 1)
        {
            return false;
        }

        resourceType = body[..dot];
        var permissions = body[(dot + 1)..];
        if (resourceType != "*" && !Hl7.Fhir.Model.ModelInfo.IsKnownResource(resourceType))
        {
            return false;
        }

        switch (permissions)
        {
            case "read":
                actions = [FhirAction.Read, FhirAction.Search];
                return true;
            case "write":
                actions = [FhirAction.Create, FhirAction.Update, FhirAction.Delete];
                return true;
            case "*":
                actions = [FhirAction.Create, FhirAction.Read, FhirAction.Update, FhirAction.Delete, FhirAction.Search];
                return true;
        }

        // v2: a subset of "cruds" in that order, each letter at most once.
        var order = "cruds";
        var last = -1;
        foreach (var letter in permissions)
        {
            var position = order.IndexOf(letter, StringComparison.Ordinal);
            if (position <= last)
            {
                return false;
            }

            last = position;
            actions.Add(letter switch
            {
                'c' => FhirAction.Create,
                'r' => FhirAction.Read,
                'u' => FhirAction.Update,
                'd' => FhirAction.Delete,
                _ => FhirAction.Search,
            });
        }

        return actions.Count > 0;
    }

    public bool Allows(string resourceType, FhirAction action) =>
        _grants.Any(g => (g.Type == "*" || g.Type == resourceType) && g.Actions.Contains(action));

    public void Demand(string resourceType, FhirAction action)
    {
        if (!Allows(resourceType, action))
        {
            var letter = action switch
            {
                FhirAction.Create => "c",
                FhirAction.Read => "r",
                FhirAction.Update => "u",
                FhirAction.Delete => "d",
                _ => "s",
            };
            throw FhirException.Create(403, Hl7.Fhir.Model.OperationOutcome.IssueType.Forbidden, "SCOPE_INSUFFICIENT",
                $"The token's scopes do not allow {action.ToString().ToLowerInvariant()} on {resourceType}: it needs system/{resourceType}.{letter} (or system/*.{letter}).");
        }
    }
}

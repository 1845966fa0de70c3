using OpenWard.Fhir;
using OpenWard.Security;

namespace OpenWard.Web.Security;

/// <summary>
/// SMART on FHIR scopes (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
/// v2 <c>system/Patient.rs</c>, <c>user/*.cruds</c>, <c>patient/Observation.rs</c>, and the v1
/// forms <c>.read</c>, <c>.write</c>, <c>.*</c>. A token's scopes only ever narrow what its
/// principal may do under the access policy; they never widen it.
/// </summary>
public sealed class SmartScopes
{
    public const string System = "system";
    public const string User = "user";
    public const string Patient = "patient";

    private readonly List<(string Context, string Type, HashSet<FhirAction> Actions)> _grants = [];

    /// <summary>The resource scopes of <paramref name="scope"/> in the given contexts (system, user, patient); others are ignored.</summary>
    public SmartScopes(string? scope, params string[] contexts)
    {
        foreach (var item in (scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (TryParse(item, out var context, out var type, out var actions) && contexts.Contains(context))
            {
                _grants.Add((context, type, actions));
            }
        }
    }

    public bool IsEmpty => _grants.Count == 0;

    /// <summary>
    /// True when any grant is a patient/ scope: a token issued with these scopes is confined to its
    /// launch patient (<see cref="TokenClaims.Confined"/>), its user/ scopes included.
    /// </summary>
    public bool HasPatientContext => _grants.Any(g => g.Context == Patient);

    /// <summary>Parses one resource scope; false for anything that is not well formed.</summary>
    public static bool TryParse(string scope, out string context, out string resourceType, out HashSet<FhirAction> actions)
    {
        context = "";
        resourceType = "";
        actions = [];
        var slash = scope.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || scope[..slash] is not (System or User or Patient))
        {
            return false;
        }

        context = scope[..slash];
        var body = scope[(slash + 1)..];
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

    /// <summary>The scope that would allow this, for error messages: the first context this token has.</summary>
    private string Needed(string resourceType, string letter) =>
        $"{(_grants.Count > 0 ? _grants[0].Context : System)}/{resourceType}.{letter}";

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
                $"The token's scopes do not allow {action.ToString().ToLowerInvariant()} on {resourceType}: it needs {Needed(resourceType, letter)} (or the same with *).");
        }
    }
}

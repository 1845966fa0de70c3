using Hl7.Fhir.Model;
using FhirSearchParamType = Hl7.Fhir.Model.SearchParamType;

namespace OpenWard.Fhir.Search;

/// <summary>
/// The search parameters this server indexes, per resource type: every R4 parameter of the
/// supported types (from the specification's own definitions shipped with the Firely SDK) plus the
/// resource-level ones (https://hl7.org/fhir/R4/resource.html#search) that the SDK omits.
/// </summary>
/// <remarks>
/// Expressions in the specification often cover many types at once (<c>clinical-code</c> has 15
/// branches); each definition keeps only the branches for its own type, which gives the same
/// results several times faster (see TOOLCHAIN.md).
/// </remarks>
public sealed class SearchParameterRegistry
{
    /// <summary>The resource types the EPR stores and searches (issue #2's list; Goal for a prescribed SpO2 target, issue #19).</summary>
    public static readonly IReadOnlyList<string> SupportedResourceTypes =
    [
        "Patient", "Practitioner", "PractitionerRole", "Organization", "Location", "Encounter",
        "EpisodeOfCare", "Observation", "Condition", "AllergyIntolerance", "Medication",
        "MedicationRequest", "MedicationAdministration", "MedicationStatement", "MedicationDispense",
        "ServiceRequest", "DiagnosticReport", "Specimen", "Procedure", "Immunization",
        "DocumentReference", "Composition", "Flag", "Task", "Appointment", "CarePlan", "CareTeam",
        "Questionnaire", "QuestionnaireResponse", "RelatedPerson", "Device", "Consent", "Provenance",
        "AuditEvent", "DetectedIssue", "Communication", "MessageHeader", "Bundle", "Goal",
    ];

    public static SearchParameterRegistry Default { get; } = new();

    private readonly Dictionary<string, Dictionary<string, SearchParameterDefinition>> _byType = new(StringComparer.Ordinal);
    private readonly HashSet<string> _supported = new(SupportedResourceTypes, StringComparer.Ordinal);

    private SearchParameterRegistry()
    {
        foreach (var type in SupportedResourceTypes)
        {
            var forType = new Dictionary<string, SearchParameterDefinition>(StringComparer.Ordinal);
            foreach (var common in ResourceLevelParameters(type))
            {
                forType[common.Code] = common;
            }

            _byType[type] = forType;
        }

        foreach (var sp in ModelInfo.SearchParameters)
        {
            if (sp.Resource is null || !_byType.TryGetValue(sp.Resource, out var forType) || sp.Expression is null)
            {
                continue;
            }

            if (sp.Type == FhirSearchParamType.Composite)
            {
                continue; // composite parameters are not indexed yet; the parser refuses them clearly.
            }

            var expression = PruneExpression(sp.Expression, sp.Resource);
            if (expression.Length == 0)
            {
                continue;
            }

            var code = sp.Code ?? sp.Name ?? throw new InvalidOperationException("A search parameter definition without a code.");
            forType[code] = new SearchParameterDefinition(
                code,
                sp.Resource,
                Map(sp.Type),
                expression,
                sp.Target?.Select(t => t.ToString()).ToArray() ?? [],
                sp.Url);
        }
    }

    public bool IsSupportedType(string resourceType) => _supported.Contains(resourceType);

    public bool TryGet(string resourceType, string code, out SearchParameterDefinition definition)
    {
        definition = null!;
        return _byType.TryGetValue(resourceType, out var forType) && forType.TryGetValue(code, out definition!);
    }

    /// <summary>All parameters of a type (empty for an unsupported type).</summary>
    public IReadOnlyCollection<SearchParameterDefinition> ForType(string resourceType) =>
        _byType.TryGetValue(resourceType, out var forType) ? forType.Values : [];

    /// <summary>
    /// Keeps the top-level <c>|</c> branches of <paramref name="expression"/> that start with
    /// <paramref name="resourceType"/> (or are not rooted at any type), joined again with <c>|</c>.
    /// </summary>
    internal static string PruneExpression(string expression, string resourceType)
    {
        var branches = SplitTopLevel(expression);
        var kept = branches.Where(b => BelongsTo(b, resourceType)).ToList();
        return string.Join(" | ", kept);
    }

    private static bool BelongsTo(string branch, string resourceType)
    {
        var b = branch.TrimStart('(', ' ');
        var root = new string(b.TakeWhile(char.IsLetterOrDigit).ToArray());
        if (root.Length == 0 || !char.IsUpper(root[0]) || !ModelInfo.IsKnownResource(root))
        {
            return true; // not rooted at a resource type: applies as written
        }

        return root == resourceType || root is "Resource" or "DomainResource";
    }

    private static List<string> SplitTopLevel(string expression)
    {
        var parts = new List<string>();
        var depth = 0;
        var inString = false;
        var start = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            if (c == '\'' && (i == 0 || expression[i - 1] != '\\'))
            {
                inString = !inString;
            }
            else if (!inString && c == '(')
            {
                depth++;
            }
            else if (!inString && c == ')')
            {
                depth--;
            }
            else if (!inString && depth == 0 && c == '|')
            {
                parts.Add(expression[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(expression[start..].Trim());
        return parts.Where(p => p.Length > 0).ToList();
    }

    private static SearchParamType Map(FhirSearchParamType? type) => type switch
    {
        FhirSearchParamType.Number => SearchParamType.Number,
        FhirSearchParamType.Date => SearchParamType.Date,
        FhirSearchParamType.String => SearchParamType.String,
        FhirSearchParamType.Token => SearchParamType.Token,
        FhirSearchParamType.Reference => SearchParamType.Reference,
        FhirSearchParamType.Composite => SearchParamType.Composite,
        FhirSearchParamType.Quantity => SearchParamType.Quantity,
        FhirSearchParamType.Uri => SearchParamType.Uri,
        _ => SearchParamType.Special,
    };

    // https://hl7.org/fhir/R4/resource.html#search and https://hl7.org/fhir/R4/searchparameter-registry.html
    private static IEnumerable<SearchParameterDefinition> ResourceLevelParameters(string type) =>
    [
        new("_id", type, SearchParamType.Token, "Resource.id", [], "http://hl7.org/fhir/SearchParameter/Resource-id"),
        new("_lastUpdated", type, SearchParamType.Date, "Resource.meta.lastUpdated", [], "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated"),
        new("_tag", type, SearchParamType.Token, "Resource.meta.tag", [], "http://hl7.org/fhir/SearchParameter/Resource-tag"),
        new("_profile", type, SearchParamType.Uri, "Resource.meta.profile", [], "http://hl7.org/fhir/SearchParameter/Resource-profile"),
        new("_security", type, SearchParamType.Token, "Resource.meta.security", [], "http://hl7.org/fhir/SearchParameter/Resource-security"),
        new("_source", type, SearchParamType.Uri, "Resource.meta.source", [], "http://hl7.org/fhir/SearchParameter/Resource-source"),
    ];
}

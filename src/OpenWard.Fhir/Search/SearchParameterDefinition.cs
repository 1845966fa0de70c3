namespace OpenWard.Fhir.Search;

/// <summary>The value types of FHIR R4 search parameters (https://hl7.org/fhir/R4/search.html#ptypes).</summary>
public enum SearchParamType
{
    Number,
    Date,
    String,
    Token,
    Reference,
    Composite,
    Quantity,
    Uri,
    Special,
}

/// <summary>
/// One search parameter as this server supports it for one resource type: its code, type and the
/// FHIRPath expression (already pruned to the branches for <see cref="ResourceType"/>).
/// </summary>
/// <param name="Code">The name used in a query string, e.g. <c>birthdate</c> or <c>_lastUpdated</c>.</param>
/// <param name="ResourceType">The resource type the definition applies to; <c>Resource</c> for <c>_id</c>, <c>_lastUpdated</c>...</param>
/// <param name="Type">The parameter type.</param>
/// <param name="Expression">FHIRPath expression evaluated on the resource at write time.</param>
/// <param name="Targets">For reference parameters, the resource types the reference may point to.</param>
/// <param name="Url">The canonical URL of the SearchParameter resource that defines it.</param>
public sealed record SearchParameterDefinition(
    string Code,
    string ResourceType,
    SearchParamType Type,
    string Expression,
    IReadOnlyList<string> Targets,
    string? Url);

namespace OpenWard.Fhir.Search;

/// <summary>
/// A parsed FHIR search (https://hl7.org/fhir/R4/search.html): what to match and how to shape the
/// result. Produced by <c>SearchQueryParser</c>; translated to SQL by the store.
/// </summary>
public sealed class SearchQuery
{
    public required string ResourceType { get; init; }

    /// <summary>All criteria must match (AND); each criterion's values are alternatives (OR).</summary>
    public List<SearchCriterion> Criteria { get; } = [];

    /// <summary>Restricts the search to the Patient compartment of this patient id (<c>Patient/{id}/Observation</c>).</summary>
    public string? PatientCompartment { get; set; }

    /// <summary><c>_count</c>: page size (0 means no entries, only the total).</summary>
    public int Count { get; set; } = DefaultCount;

    /// <summary>Zero-based position of the page's first match (carried in paging links as <c>_offset</c>).</summary>
    public int Offset { get; set; }

    public List<SortKey> Sort { get; } = [];
    public List<IncludeDirective> Includes { get; } = [];
    public List<IncludeDirective> RevIncludes { get; } = [];
    public SummaryMode Summary { get; set; } = SummaryMode.None;
    public TotalMode Total { get; set; } = TotalMode.Accurate;

    /// <summary><c>_elements</c>: top-level element names to keep, or null for all.</summary>
    public IReadOnlyList<string>? Elements { get; set; }

    /// <summary>Parameters ignored under <c>Prefer: handling=lenient</c>, reported back in an OperationOutcome.</summary>
    public List<string> IgnoredParameters { get; } = [];

    public const int DefaultCount = 50;
    public const int MaxCount = 1000;

    /// <summary>Query parameters one search may give: each costs SQL, and a long list is a way to overload the server.</summary>
    public const int MaxParameters = 64;

    /// <summary>Characters one parameter's value may have.</summary>
    public const int MaxValueLength = 8192;

    /// <summary>Comma-separated alternatives one criterion may give (each is bound as SQL parameters).</summary>
    public const int MaxValuesPerCriterion = 200;

    /// <summary><c>_include</c> and <c>_revinclude</c> directives one search may give.</summary>
    public const int MaxIncludeDirectives = 10;
}

/// <summary>One AND-ed condition of a search.</summary>
public abstract record SearchCriterion;

/// <summary>
/// <c>param[:modifier]=value[,value]</c>: the resource has an index entry for
/// <see cref="Parameter"/> matching any of <see cref="Values"/>. With <see cref="SearchModifier.Missing"/>,
/// <see cref="Missing"/> says whether the parameter must be absent (true) or present (false).
/// </summary>
public sealed record ParameterCriterion(
    SearchParameterDefinition Parameter,
    SearchModifier Modifier,
    IReadOnlyList<SearchValue> Values,
    bool? Missing = null,
    string? ReferenceType = null) : SearchCriterion;

/// <summary>
/// Forward chaining, <c>subject:Patient.identifier=...</c>: <see cref="Reference"/> points at a
/// resource of <see cref="TargetType"/> that matches <see cref="Inner"/>.
/// </summary>
public sealed record ChainCriterion(
    SearchParameterDefinition Reference,
    string TargetType,
    SearchCriterion Inner) : SearchCriterion;

/// <summary>
/// Reverse chaining, <c>_has:Observation:patient:code=...</c>: some <see cref="SourceType"/> resource
/// whose <see cref="Reference"/> points at this one matches <see cref="Inner"/>.
/// </summary>
public sealed record HasCriterion(
    string SourceType,
    SearchParameterDefinition Reference,
    SearchCriterion Inner) : SearchCriterion;

public enum SearchModifier
{
    None,
    Missing,
    Exact,
    Contains,
    Text,
    Not,
    Above,
    Below,
    In,
    NotIn,
    OfType,
    Identifier,
    /// <summary>A reference restricted to a target type, <c>subject:Patient=123</c> (the type is in <see cref="ParameterCriterion.ReferenceType"/>).</summary>
    Type,
}

/// <summary>Comparison prefixes for number, date and quantity (https://hl7.org/fhir/R4/search.html#prefix).</summary>
public enum SearchPrefix
{
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Sa,
    Eb,
    Ap,
}

/// <summary>
/// One value of a criterion, already split by parameter type. Only the fields of the parameter's
/// type are set.
/// </summary>
public sealed record SearchValue
{
    public SearchPrefix Prefix { get; init; } = SearchPrefix.Eq;

    /// <summary>The value as written (unescaped), for messages.</summary>
    public required string Raw { get; init; }

    /// <summary>String: the value normalised like <see cref="StringIndex.Normalized"/> (or as written for <c>:exact</c>).</summary>
    public string? Text { get; init; }

    /// <summary>Token: the system; null when not given, empty when given as <c>|code</c> (no system).</summary>
    public string? System { get; init; }

    /// <summary>Token: the code; null for <c>system|</c>. Quantity: the unit code.</summary>
    public string? Code { get; init; }

    /// <summary>Number and quantity value.</summary>
    public decimal? Number { get; init; }

    /// <summary>Date: the closed range the written value covers at its precision, in UTC.</summary>
    public DateTimeOffset? Low { get; init; }

    public DateTimeOffset? High { get; init; }

    /// <summary>Reference: target type (may be null for a bare id) and id, or an absolute <see cref="Url"/>. Uri: the value.</summary>
    public string? ReferenceType { get; init; }

    public string? ReferenceId { get; init; }

    public string? Url { get; init; }

    /// <summary>Token with <c>:of-type</c>: the identifier type system and code.</summary>
    public string? TypeSystem { get; init; }

    public string? TypeCode { get; init; }
}

/// <summary>A <c>_sort</c> key: a search parameter, ascending unless written with <c>-</c>.</summary>
public sealed record SortKey(SearchParameterDefinition Parameter, bool Descending);

/// <summary><c>_include=Source:param[:Target]</c> or <c>_revinclude=...</c>, with <c>:iterate</c>.</summary>
public sealed record IncludeDirective(string SourceType, SearchParameterDefinition Reference, string? TargetType, bool Iterate);

public enum SummaryMode
{
    None,
    True,
    Text,
    Data,
    Count,
}

public enum TotalMode
{
    None,
    Estimate,
    Accurate,
}

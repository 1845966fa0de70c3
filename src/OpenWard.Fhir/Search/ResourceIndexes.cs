namespace OpenWard.Fhir.Search;

/// <summary>
/// The search index rows extracted from one resource at write time. The store writes one row per
/// entry into the typed index table of that kind; <see cref="PatientCompartment"/> tags every row.
/// </summary>
public sealed class ResourceIndexes
{
    /// <summary>The id of the Patient whose compartment this resource is in (the Patient's own id for a Patient), or null.</summary>
    public string? PatientCompartment { get; set; }

    public List<TokenIndex> Tokens { get; } = [];
    public List<StringIndex> Strings { get; } = [];
    public List<DateIndex> Dates { get; } = [];
    public List<ReferenceIndex> References { get; } = [];
    public List<QuantityIndex> Quantities { get; } = [];
    public List<NumberIndex> Numbers { get; } = [];
    public List<UriIndex> Uris { get; } = [];
}

/// <summary>A token: <c>system|code</c>, with the display/text kept for <c>:text</c>.</summary>
/// <param name="Code">For booleans "true"/"false"; for identifiers the value; for ContactPoint the value.</param>
/// <param name="Text">Display or CodeableConcept.text, normalised like strings (lower case, no accents), for <c>:text</c>.</param>
/// <param name="TypeSystem">For <c>:of-type</c> on identifiers: Identifier.type.coding system.</param>
/// <param name="TypeCode">For <c>:of-type</c> on identifiers: Identifier.type.coding code.</param>
public readonly record struct TokenIndex(string Param, string? System, string? Code, string? Text, string? TypeSystem = null, string? TypeCode = null);

/// <summary>A string: <see cref="Normalized"/> is lower case without accents (default and <c>:contains</c>), <see cref="Exact"/> as written (<c>:exact</c>).</summary>
public readonly record struct StringIndex(string Param, string Normalized, string Exact);

/// <summary>A date, dateTime, instant or Period as the closed range it covers, in UTC (a value's precision makes the range).</summary>
public readonly record struct DateIndex(string Param, DateTimeOffset Low, DateTimeOffset High);

/// <summary>A reference: a local <c>Type/id</c> (<see cref="TargetType"/>, <see cref="TargetId"/>) or an absolute URL.</summary>
public readonly record struct ReferenceIndex(string Param, string? TargetType, string? TargetId, string? Url);

/// <summary>A Quantity (or Money, SampledData origin...): value, unit system and code.</summary>
public readonly record struct QuantityIndex(string Param, decimal Value, string? System, string? Code, string? Unit);

public readonly record struct NumberIndex(string Param, decimal Value);

public readonly record struct UriIndex(string Param, string Value);

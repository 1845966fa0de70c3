using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using FhirSearchParamType = Hl7.Fhir.Model.SearchParamType;

namespace OpenWard.Fhir.Search.Query;

/// <summary>
/// Reads a FHIR R4 search query string into a <see cref="SearchQuery"/>
/// (https://hl7.org/fhir/R4/search.html): criteria with their modifiers, prefixes and OR values, one
/// level of chaining and of <c>_has</c>, and the result parameters.
/// </summary>
public sealed partial class SearchQueryParser
{
    /// <summary>Parameters FHIR defines for every type that this server does not support.</summary>
    private static readonly HashSet<string> UnsupportedParameters = new(StringComparer.Ordinal)
    {
        "_text", "_content", "_query", "_filter", "_list", "_containedType", "_contained",
    };

    /// <summary>The registry leaves composite parameters out; knowing them lets a search say "not supported" rather than "unknown".</summary>
    private static readonly HashSet<(string Type, string Code)> CompositeParameters = ModelInfo.SearchParameters
        .Where(p => p.Type == FhirSearchParamType.Composite && p.Resource is not null && p.Code is not null)
        .Select(p => (p.Resource!, p.Code!))
        .ToHashSet();

    private readonly SearchParameterRegistry _registry;

    public SearchQueryParser(SearchParameterRegistry registry)
    {
        _registry = registry;
    }

    /// <summary>Parses the query of a search on <paramref name="resourceType"/>.</summary>
    /// <param name="query">The decoded query-string pairs in order; a repeated key is a further AND-ed criterion.</param>
    /// <param name="lenient">
    /// <c>Prefer: handling=lenient</c>: unknown and unsupported parameters are listed in
    /// <see cref="SearchQuery.IgnoredParameters"/> instead of refused. Malformed values are refused either
    /// way ("where the content of the parameter is syntactically incorrect, servers SHOULD return an
    /// error"), and so are unsupported modifiers: ignoring <c>code:not-in=...</c> would silently widen the search.
    /// </param>
    /// <exception cref="SearchQueryException">The query is wrong or asks for what this server does not support.</exception>
    public SearchQuery Parse(string resourceType, IEnumerable<KeyValuePair<string, string>> query, bool lenient)
    {
        if (!_registry.IsSupportedType(resourceType))
        {
            throw new SearchQueryException(
                SearchErrorCodes.UnknownType,
                string.Empty,
                $"'{resourceType}' is not a resource type this server searches.");
        }

        var search = new SearchQuery { ResourceType = resourceType };
        var singleValued = new HashSet<string>(StringComparer.Ordinal);
        var given = 0;
        foreach (var (key, value) in query)
        {
            // "Empty parameters are not an error - they are just ignored by the server." (https://hl7.org/fhir/R4/search.html#errors)
            if (value.Length == 0)
            {
                continue;
            }

            RequireWithinLimits(key, value, ++given);

            try
            {
                Apply(search, key, value, singleValued);
            }
            catch (SearchQueryException e) when (lenient && e.Code is SearchErrorCodes.UnknownParameter or SearchErrorCodes.UnsupportedParameter)
            {
                if (!search.IgnoredParameters.Contains(key))
                {
                    search.IgnoredParameters.Add(key);
                }
            }
        }

        return search;
    }

    private void Apply(SearchQuery search, string key, string value, HashSet<string> singleValued)
    {
        SearchCriterion? criterion;
        if (key == "_has" || key.StartsWith("_has:", StringComparison.Ordinal))
        {
            criterion = ParseHas(search.ResourceType, key, value);
        }
        else if (key.Contains('.', StringComparison.Ordinal))
        {
            criterion = ParseChain(search.ResourceType, key, value);
        }
        else if (ApplyResultParameter(search, key, value, singleValued))
        {
            return;
        }
        else
        {
            criterion = ParseParameter(search.ResourceType, key, key, value);
        }

        if (criterion is not null)
        {
            if (Alternatives(criterion) > SearchQuery.MaxValuesPerCriterion)
            {
                throw new SearchQueryException(
                    SearchErrorCodes.TooComplex,
                    key,
                    $"'{key}' gives more than {SearchQuery.MaxValuesPerCriterion} values; search in smaller groups.");
            }

            search.Criteria.Add(criterion);
        }
    }

    /// <summary>Limits that keep one search's work bounded, checked before any parsing work.</summary>
    private static void RequireWithinLimits(string key, string value, int given)
    {
        if (given > SearchQuery.MaxParameters)
        {
            throw new SearchQueryException(
                SearchErrorCodes.TooComplex,
                key,
                $"The search gives more than {SearchQuery.MaxParameters} parameters; a search may give at most {SearchQuery.MaxParameters}.");
        }

        if (value.Length > SearchQuery.MaxValueLength || key.Length > SearchQuery.MaxValueLength)
        {
            throw new SearchQueryException(
                SearchErrorCodes.TooComplex,
                key.Length > 100 ? key[..100] : key,
                $"A search parameter or its value is longer than {SearchQuery.MaxValueLength} characters; search in smaller groups.");
        }
    }

    private static int Alternatives(SearchCriterion criterion) => criterion switch
    {
        ParameterCriterion p => p.Values.Count,
        ChainCriterion chain => Alternatives(chain.Inner),
        HasCriterion has => Alternatives(has.Inner),
        _ => 1,
    };

    /// <summary><c>name[:modifier]=value</c> on <paramref name="resourceType"/>; <paramref name="parameter"/> is the whole key, for messages.</summary>
    private ParameterCriterion? ParseParameter(string resourceType, string parameter, string nameAndModifier, string value)
    {
        var (name, modifier) = SplitModifier(nameAndModifier);
        var definition = Resolve(resourceType, name, parameter);
        return SearchValueParser.Parse(definition, modifier, value, parameter);
    }

    private SearchParameterDefinition Resolve(string resourceType, string name, string parameter)
    {
        if (_registry.TryGet(resourceType, name, out var definition))
        {
            return definition;
        }

        var named = SearchValueParser.Named(name, parameter);
        if (UnsupportedParameters.Contains(name))
        {
            throw new SearchQueryException(
                SearchErrorCodes.UnsupportedParameter,
                parameter,
                $"{named} is a search parameter this server does not support.");
        }

        if (CompositeParameters.Contains((resourceType, name)))
        {
            throw new SearchQueryException(
                SearchErrorCodes.UnsupportedParameter,
                parameter,
                $"{named} is a composite search parameter of {resourceType}, which this server does not support yet; search its parts separately.");
        }

        throw new SearchQueryException(
            SearchErrorCodes.UnknownParameter,
            parameter,
            $"{named} is not a search parameter of {resourceType}; send 'Prefer: handling=lenient' to have unknown parameters ignored.");
    }

    /// <summary>
    /// Forward chaining, <c>reference[:Type].parameter[:modifier]</c>
    /// (https://hl7.org/fhir/R4/search.html#chaining), one level deep.
    /// </summary>
    private ChainCriterion? ParseChain(string resourceType, string key, string value)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        var (referenceName, typeName) = SplitModifier(key[..dot]);
        var inner = key[(dot + 1)..];
        var reference = Resolve(resourceType, referenceName, key);
        if (reference.Type != SearchParamType.Reference)
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadChain,
                key,
                $"'{key}' chains through '{referenceName}', which is a {reference.Type.ToString().ToLowerInvariant()} parameter; only reference parameters can be chained.");
        }

        var targetType = ChainTarget(reference, typeName, key);
        if (inner.Contains('.', StringComparison.Ordinal) || inner == "_has" || inner.StartsWith("_has:", StringComparison.Ordinal))
        {
            throw new SearchQueryException(
                SearchErrorCodes.UnsupportedChain,
                key,
                $"'{key}' chains more than one level deep, which this server does not support; search in steps instead.");
        }

        var criterion = ParseParameter(targetType, key, inner, value);
        return criterion is null ? null : new ChainCriterion(reference, targetType, criterion);
    }

    private string ChainTarget(SearchParameterDefinition reference, string? typeName, string key)
    {
        string targetType;
        if (typeName is null)
        {
            if (reference.Targets.Count != 1)
            {
                throw new SearchQueryException(
                    SearchErrorCodes.AmbiguousChain,
                    key,
                    $"'{reference.Code}' in '{key}' can refer to {SearchValueParser.Join(reference.Targets)}; name the type, for example '{reference.Code}:{SearchValueParser.ChainExampleType(reference)}.{key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..]}'.");
            }

            targetType = reference.Targets[0];
        }
        else if (reference.Targets.Contains(typeName))
        {
            targetType = typeName;
        }
        else
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadChain,
                key,
                $"'{key}' chains to {typeName}, but '{reference.Code}' of {reference.ResourceType} refers to {SearchValueParser.Join(reference.Targets)}.");
        }

        if (!_registry.IsSupportedType(targetType))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadChain,
                key,
                $"'{key}' chains to {targetType}, a resource type this server does not store.");
        }

        return targetType;
    }

    /// <summary>
    /// Reverse chaining, <c>_has:Type:reference:parameter[:modifier]</c>
    /// (https://hl7.org/fhir/R4/search.html#has), one level deep.
    /// </summary>
    private HasCriterion? ParseHas(string resourceType, string key, string value)
    {
        var parts = key.Split(':');
        if (parts.Length < 4 || parts[1].Length == 0 || parts[2].Length == 0 || parts[3].Length == 0)
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadHas,
                key,
                $"'{key}' is not a reverse chain: write '_has:Type:reference:parameter', for example '_has:Observation:patient:code=1234-5'.");
        }

        var sourceType = parts[1];
        if (!_registry.IsSupportedType(sourceType))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadHas,
                key,
                $"'{key}' names {sourceType}, which is not a resource type this server searches.");
        }

        var reference = Resolve(sourceType, parts[2], key);
        if (reference.Type != SearchParamType.Reference || !reference.Targets.Contains(resourceType))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadHas,
                key,
                $"'{key}' needs '{parts[2]}' to be a reference parameter of {sourceType} that can refer to {resourceType}, and it is not.");
        }

        var inner = string.Join(':', parts[3..]);
        if (parts[3] == "_has" || inner.Contains('.', StringComparison.Ordinal))
        {
            throw new SearchQueryException(
                SearchErrorCodes.UnsupportedChain,
                key,
                $"'{key}' chains more than one level deep, which this server does not support; search in steps instead.");
        }

        var criterion = ParseParameter(sourceType, key, inner, value);
        return criterion is null ? null : new HasCriterion(sourceType, reference, criterion);
    }

    /// <summary>Applies a result parameter (https://hl7.org/fhir/R4/search.html#return); false when <paramref name="key"/> is not one.</summary>
    private bool ApplyResultParameter(SearchQuery search, string key, string value, HashSet<string> singleValued)
    {
        var (name, modifier) = SplitModifier(key);
        switch (name)
        {
            case "_format" or "_pretty":
                return true; // the HTTP layer handles them
            case "_include" or "_revinclude":
                var iterate = modifier switch
                {
                    null => false,
                    "iterate" => true,
                    _ => throw new SearchQueryException(
                        SearchErrorCodes.InvalidModifier,
                        key,
                        $"'{key}' has the modifier ':{modifier}'; '{name}' takes only ':iterate'."),
                };
                if (search.Includes.Count + search.RevIncludes.Count >= SearchQuery.MaxIncludeDirectives)
                {
                    throw new SearchQueryException(
                        SearchErrorCodes.TooComplex,
                        key,
                        $"The search gives more than {SearchQuery.MaxIncludeDirectives} _include and _revinclude parameters; a search may give at most {SearchQuery.MaxIncludeDirectives}.");
                }

                var directive = ParseInclude(search.ResourceType, key, name == "_revinclude", iterate, value);
                (name == "_include" ? search.Includes : search.RevIncludes).Add(directive);
                return true;
            case "_count" or "_offset" or "_sort" or "_summary" or "_total" or "_elements":
                break;
            default:
                return false;
        }

        if (modifier is not null)
        {
            throw new SearchQueryException(SearchErrorCodes.InvalidModifier, key, $"'{key}' has a modifier, and '{name}' takes none.");
        }

        if (!singleValued.Add(name))
        {
            throw new SearchQueryException(
                SearchErrorCodes.RepeatedParameter,
                key,
                $"'{name}' is given more than once (the second time as '{name}={value}'); give it once.");
        }

        switch (name)
        {
            case "_count":
                search.Count = ParseCount(value);
                break;
            case "_offset":
                search.Offset = ParseOffset(value);
                break;
            case "_sort":
                search.Sort.AddRange(ParseSort(search.ResourceType, value));
                break;
            case "_summary":
                search.Summary = ParseSummary(value);
                break;
            case "_total":
                search.Total = ParseTotal(value);
                break;
            default:
                search.Elements = ParseElements(value);
                break;
        }

        return true;
    }

    /// <summary>A page size above <see cref="SearchQuery.MaxCount"/> is lowered to it, as the specification allows.</summary>
    private static int ParseCount(string value)
    {
        if (!IsDigits(value))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadCount,
                "_count",
                $"'_count' must be a whole number from 0 to {SearchQuery.MaxCount}, not '{value}'.");
        }

        return int.TryParse(value, out var count) ? Math.Min(count, SearchQuery.MaxCount) : SearchQuery.MaxCount;
    }

    private static int ParseOffset(string value)
    {
        if (!IsDigits(value) || !int.TryParse(value, out var offset))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadOffset,
                "_offset",
                $"'_offset' must be a whole number from 0 to {int.MaxValue}, not '{value}'.");
        }

        return offset;
    }

    private List<SortKey> ParseSort(string resourceType, string value)
    {
        var keys = new List<SortKey>();
        foreach (var item in value.Split(','))
        {
            if (item.Length == 0)
            {
                continue;
            }

            var descending = item[0] == '-';
            var code = descending ? item[1..] : item;
            if (!_registry.TryGet(resourceType, code, out var definition) || definition.Type == SearchParamType.Special)
            {
                throw new SearchQueryException(
                    SearchErrorCodes.BadSort,
                    "_sort",
                    $"'_sort={value}' names '{code}', which is not a search parameter of {resourceType}.");
            }

            keys.Add(new SortKey(definition, descending));
        }

        return keys;
    }

    private IncludeDirective ParseInclude(string resourceType, string key, bool reverse, bool iterate, string value)
    {
        var parts = value.Split(':');
        if (parts.Contains("*"))
        {
            throw new SearchQueryException(
                SearchErrorCodes.UnsupportedInclude,
                key,
                $"'{key}={value}' uses the wildcard '*', which this server does not support; name each reference, for example '{key}=Observation:patient'.");
        }

        if (parts.Length is not (2 or 3) || parts.Any(p => p.Length == 0))
        {
            throw BadInclude(key, value, "write 'SourceType:parameter' or 'SourceType:parameter:TargetType', for example 'Observation:patient'");
        }

        var (sourceType, code) = (parts[0], parts[1]);
        var targetType = parts.Length == 3 ? parts[2] : null;
        if (!_registry.IsSupportedType(sourceType))
        {
            throw BadInclude(key, value, $"{sourceType} is not a resource type this server searches");
        }

        // Without :iterate an _include follows references out of the matches, so it starts at the searched type.
        if (!reverse && !iterate && sourceType != resourceType)
        {
            throw BadInclude(key, value, $"a search on {resourceType} can only include from {resourceType} (use '_include:iterate' to include from included resources)");
        }

        if (!_registry.TryGet(sourceType, code, out var reference) || reference.Type != SearchParamType.Reference)
        {
            throw BadInclude(key, value, $"'{code}' is not a reference parameter of {sourceType}");
        }

        if (targetType is not null && !reference.Targets.Contains(targetType))
        {
            throw BadInclude(key, value, $"'{code}' of {sourceType} refers to {SearchValueParser.Join(reference.Targets)}, never to {targetType}");
        }

        // Without :iterate a _revinclude finds resources that point at the matches, so it must be able to point at the searched type.
        if (reverse && !iterate && (!reference.Targets.Contains(resourceType) || (targetType is not null && targetType != resourceType)))
        {
            throw BadInclude(key, value, $"'{code}' of {sourceType} cannot refer to {resourceType}, the type searched");
        }

        return new IncludeDirective(sourceType, reference, targetType, iterate);
    }

    private static SearchQueryException BadInclude(string key, string value, string reason) =>
        new(SearchErrorCodes.BadInclude, key, $"'{key}={value}' is not a valid include: {reason}.");

    private static SummaryMode ParseSummary(string value) => value switch
    {
        "true" => SummaryMode.True,
        "text" => SummaryMode.Text,
        "data" => SummaryMode.Data,
        "count" => SummaryMode.Count,
        "false" => SummaryMode.None,
        _ => throw new SearchQueryException(
            SearchErrorCodes.BadSummary,
            "_summary",
            $"'_summary' takes true, text, data, count or false, not '{value}'."),
    };

    private static TotalMode ParseTotal(string value) => value switch
    {
        "none" => TotalMode.None,
        "estimate" => TotalMode.Estimate,
        "accurate" => TotalMode.Accurate,
        _ => throw new SearchQueryException(
            SearchErrorCodes.BadTotal,
            "_total",
            $"'_total' takes none, estimate or accurate, not '{value}'."),
    };

    private static string[]? ParseElements(string value)
    {
        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var wrong = names.FirstOrDefault(n => !ElementName().IsMatch(n));
        if (wrong is not null)
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadElements,
                "_elements",
                $"'_elements={value}' names '{wrong}', which is not an element name; list top-level elements such as 'identifier,name'.");
        }

        return names.Length == 0 ? null : names.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static (string Name, string? Modifier) SplitModifier(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (key, null) : (key[..colon], key[(colon + 1)..]);
    }

    private static bool IsDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    // Element names are letters and digits, starting with a letter.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ElementName();
}

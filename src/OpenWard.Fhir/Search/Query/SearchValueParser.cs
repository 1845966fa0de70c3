using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Search.Query;

/// <summary>
/// Reads the modifier and the values of one <c>param[:modifier]=value[,value]</c> once its definition
/// is known (https://hl7.org/fhir/R4/search.html#ptypes for the value forms of each type,
/// https://hl7.org/fhir/R4/search.html#modifiers for the modifiers).
/// </summary>
internal static partial class SearchValueParser
{
    private static readonly Dictionary<string, SearchModifier> ModifierNames = new(StringComparer.Ordinal)
    {
        ["missing"] = SearchModifier.Missing,
        ["exact"] = SearchModifier.Exact,
        ["contains"] = SearchModifier.Contains,
        ["text"] = SearchModifier.Text,
        ["not"] = SearchModifier.Not,
        ["above"] = SearchModifier.Above,
        ["below"] = SearchModifier.Below,
        ["in"] = SearchModifier.In,
        ["not-in"] = SearchModifier.NotIn,
        ["of-type"] = SearchModifier.OfType,
        ["identifier"] = SearchModifier.Identifier,
    };

    // https://hl7.org/fhir/R4/search.html#prefix
    private static readonly Dictionary<string, SearchPrefix> Prefixes = new(StringComparer.Ordinal)
    {
        ["eq"] = SearchPrefix.Eq,
        ["ne"] = SearchPrefix.Ne,
        ["gt"] = SearchPrefix.Gt,
        ["lt"] = SearchPrefix.Lt,
        ["ge"] = SearchPrefix.Ge,
        ["le"] = SearchPrefix.Le,
        ["sa"] = SearchPrefix.Sa,
        ["eb"] = SearchPrefix.Eb,
        ["ap"] = SearchPrefix.Ap,
    };

    /// <summary>
    /// The criterion for <paramref name="value"/> (still escaped, as in the query string), or null when
    /// every alternative is empty, which the specification says to ignore.
    /// </summary>
    /// <param name="modifier">The text after the parameter's <c>:</c>, or null.</param>
    /// <param name="parameter">The query parameter as written, for messages.</param>
    public static ParameterCriterion? Parse(SearchParameterDefinition definition, string? modifier, string value, string parameter)
    {
        var resolved = ResolveModifier(definition, modifier, parameter, out var referenceType);
        if (resolved == SearchModifier.Missing)
        {
            return new ParameterCriterion(definition, resolved, [], Missing: ParseMissing(value, parameter));
        }

        var values = new List<SearchValue>();
        foreach (var alternative in SearchEscapes.Split(value, ',', parameter))
        {
            var parsed = alternative.Length == 0 ? null : ParseValue(definition, resolved, referenceType, alternative, parameter);
            if (parsed is not null)
            {
                values.Add(parsed);
            }
        }

        return values.Count == 0 ? null : new ParameterCriterion(definition, resolved, values, ReferenceType: referenceType);
    }

    private static SearchModifier ResolveModifier(SearchParameterDefinition definition, string? modifier, string parameter, out string? referenceType)
    {
        referenceType = null;
        if (definition.Type is SearchParamType.Special or SearchParamType.Composite)
        {
            throw new SearchQueryException(
                SearchErrorCodes.UnsupportedParameter,
                parameter,
                $"{Named(definition.Code, parameter)} is a {TypeName(definition.Type)} search parameter of {definition.ResourceType}, which this server does not support.");
        }

        if (modifier is null)
        {
            return SearchModifier.None;
        }

        if (ModifierNames.TryGetValue(modifier, out var known))
        {
            if (known == SearchModifier.Missing || IsSupported(definition.Type, known))
            {
                return known;
            }

            if (IsDefinedButUnsupported(definition.Type, known))
            {
                throw new SearchQueryException(SearchErrorCodes.UnsupportedModifier, parameter, UnsupportedModifierMessage(definition, modifier, parameter));
            }

            throw new SearchQueryException(
                SearchErrorCodes.InvalidModifier,
                parameter,
                $"The modifier ':{modifier}' in '{parameter}' does not apply to '{definition.Code}', a {TypeName(definition.Type)} parameter; it takes {AllowedModifiers(definition)}.");
        }

        if (definition.Type == SearchParamType.Reference && ModelInfo.IsKnownResource(modifier))
        {
            if (definition.Targets.Contains(modifier))
            {
                referenceType = modifier;
                return SearchModifier.Type;
            }

            throw new SearchQueryException(
                SearchErrorCodes.InvalidModifier,
                parameter,
                $"'{definition.Code}' of {definition.ResourceType} cannot refer to a {modifier}, so '{parameter}' can match nothing; it refers to {Join(definition.Targets)}.");
        }

        throw new SearchQueryException(
            SearchErrorCodes.InvalidModifier,
            parameter,
            $"':{modifier}' in '{parameter}' is not a FHIR search modifier; '{definition.Code}', a {TypeName(definition.Type)} parameter, takes {AllowedModifiers(definition)}.");
    }

    private static bool IsSupported(SearchParamType type, SearchModifier modifier) => (type, modifier) switch
    {
        (SearchParamType.String, SearchModifier.Exact or SearchModifier.Contains) => true,
        (SearchParamType.Token, SearchModifier.Not or SearchModifier.Text or SearchModifier.OfType) => true,
        _ => false,
    };

    /// <summary>Modifiers FHIR defines for the type that this server does not implement yet.</summary>
    private static bool IsDefinedButUnsupported(SearchParamType type, SearchModifier modifier) => (type, modifier) switch
    {
        (SearchParamType.Token, SearchModifier.Above or SearchModifier.Below or SearchModifier.In or SearchModifier.NotIn) => true,
        (SearchParamType.Reference, SearchModifier.Identifier or SearchModifier.Above or SearchModifier.Below) => true,
        (SearchParamType.Uri, SearchModifier.Above or SearchModifier.Below) => true,
        _ => false,
    };

    private static string UnsupportedModifierMessage(SearchParameterDefinition definition, string modifier, string parameter) =>
        (definition.Type, modifier) switch
        {
            (SearchParamType.Token, _) =>
                $"The modifier ':{modifier}' in '{parameter}' needs a terminology service, which this server does not have yet; list the codes instead, for example '{definition.Code}=system|code1,system|code2'.",
            (SearchParamType.Reference, "identifier") =>
                $"The modifier ':identifier' in '{parameter}' is not supported yet; chain through the referenced resource instead, for example '{definition.Code}:{ChainExampleType(definition)}.identifier=system|value'.",
            _ =>
                $"The modifier ':{modifier}' in '{parameter}' (hierarchical URL matching) is not supported yet; search for the exact URL instead.",
        };

    /// <summary>A type to show in an example of chaining through <paramref name="definition"/>.</summary>
    internal static string ChainExampleType(SearchParameterDefinition definition) =>
        definition.Targets.Count == 0 || definition.Targets.Contains("Patient") ? "Patient" : definition.Targets[0];

    private static string AllowedModifiers(SearchParameterDefinition definition) => definition.Type switch
    {
        SearchParamType.String => "':exact', ':contains' or ':missing'",
        SearchParamType.Token => "':not', ':text', ':of-type' or ':missing'",
        SearchParamType.Reference => $"a type it refers to (such as ':{ChainExampleType(definition)}') or ':missing'",
        _ => "only ':missing'",
    };

    private static bool ParseMissing(string value, string parameter) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw new SearchQueryException(
            SearchErrorCodes.BadMissing,
            parameter,
            $"'{parameter}' takes 'true' (the parameter is absent) or 'false' (it is present), not '{value}'."),
    };

    private static SearchValue? ParseValue(
        SearchParameterDefinition definition,
        SearchModifier modifier,
        string? referenceType,
        string alternative,
        string parameter) => definition.Type switch
        {
            SearchParamType.String => ParseString(modifier, SearchEscapes.Unescape(alternative)),
            SearchParamType.Token => ParseToken(modifier, alternative, parameter),
            SearchParamType.Date => ParseDate(SearchEscapes.Unescape(alternative), parameter),
            SearchParamType.Number => ParseNumber(SearchEscapes.Unescape(alternative), parameter),
            SearchParamType.Quantity => ParseQuantity(alternative, parameter),
            SearchParamType.Reference => ParseReference(definition, referenceType, SearchEscapes.Unescape(alternative), parameter),
            SearchParamType.Uri => new SearchValue { Raw = SearchEscapes.Unescape(alternative), Url = SearchEscapes.Unescape(alternative) },
            _ => throw new InvalidOperationException($"{definition.Type} parameters are refused before their values are read."),
        };

    private static SearchValue? ParseString(SearchModifier modifier, string raw)
    {
        if (modifier == SearchModifier.Exact)
        {
            return new SearchValue { Raw = raw, Text = raw };
        }

        var text = SearchText.Normalize(raw);
        return text.Length == 0 ? null : new SearchValue { Raw = raw, Text = text };
    }

    private static SearchValue? ParseToken(SearchModifier modifier, string alternative, string parameter)
    {
        var raw = SearchEscapes.Unescape(alternative);
        if (modifier == SearchModifier.Text)
        {
            var text = SearchText.Normalize(raw);
            return text.Length == 0 ? null : new SearchValue { Raw = raw, Text = text };
        }

        var parts = SearchEscapes.Split(alternative, '|', parameter).Select(SearchEscapes.Unescape).ToList();
        if (modifier == SearchModifier.OfType)
        {
            if (parts.Count != 3 || parts.Any(p => p.Length == 0))
            {
                throw new SearchQueryException(
                    SearchErrorCodes.BadToken,
                    parameter,
                    $"'{parameter}' takes 'type-system|type-code|value' (for example 'http://terminology.hl7.org/CodeSystem/v2-0203|MR|12345'), not '{raw}'.");
            }

            return new SearchValue { Raw = raw, TypeSystem = parts[0], TypeCode = parts[1], Code = parts[2] };
        }

        return parts.Count switch
        {
            1 => new SearchValue { Raw = raw, Code = parts[0] },
            2 when parts[0].Length > 0 || parts[1].Length > 0 =>
                new SearchValue { Raw = raw, System = parts[0], Code = parts[1].Length == 0 ? null : parts[1] },
            _ => throw new SearchQueryException(
                SearchErrorCodes.BadToken,
                parameter,
                $"'{raw}' is not a token for '{parameter}': write 'code', 'system|code', '|code' or 'system|', and escape a '|' inside a code as '\\|'."),
        };
    }

    private static SearchValue ParseDate(string raw, string parameter)
    {
        var (prefix, date) = SplitPrefix(raw, parameter);
        if (!FhirDateRange.TryParse(date, out var low, out var high))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadDate,
                parameter,
                $"'{raw}' is not a date for '{parameter}': write 2024, 2024-03, 2024-03-01 or 2024-03-01T10:15:00Z (a time zone is optional, UTC if absent), optionally after a prefix such as 'ge'.");
        }

        return new SearchValue { Raw = raw, Prefix = prefix, Low = low, High = high };
    }

    private static SearchValue ParseNumber(string raw, string parameter)
    {
        var (prefix, text) = SplitPrefix(raw, parameter);
        if (!TryParseDecimal(text, out var number))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadNumber,
                parameter,
                $"'{raw}' is not a number for '{parameter}': write a decimal such as 5, -0.5 or 1.2e3, optionally after a prefix such as 'gt'.");
        }

        return new SearchValue { Raw = raw, Prefix = prefix, Number = number };
    }

    private static SearchValue ParseQuantity(string alternative, string parameter)
    {
        var raw = SearchEscapes.Unescape(alternative);
        var parts = SearchEscapes.Split(alternative, '|', parameter).Select(SearchEscapes.Unescape).ToList();
        var (prefix, text) = SplitPrefix(parts[0], parameter);
        if (parts.Count is not (1 or 3) || !TryParseDecimal(text, out var number))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadQuantity,
                parameter,
                $"'{raw}' is not a quantity for '{parameter}': write 'number', 'number|system|code' or 'number||code' (for example '5.4|http://unitsofmeasure.org|mg'), optionally after a prefix such as 'gt'.");
        }

        return new SearchValue
        {
            Raw = raw,
            Prefix = prefix,
            Number = number,
            System = parts.Count == 3 && parts[1].Length > 0 ? parts[1] : null,
            Code = parts.Count == 3 && parts[2].Length > 0 ? parts[2] : null,
        };
    }

    private static SearchValue ParseReference(SearchParameterDefinition definition, string? modifierType, string raw, string parameter)
    {
        if (IsAbsolute(raw))
        {
            var tail = TypeAndIdAtEnd().Match(raw);
            var urlType = tail.Success && ModelInfo.IsKnownResource(tail.Groups["type"].Value) ? tail.Groups["type"].Value : null;
            return new SearchValue
            {
                Raw = raw,
                Url = raw,
                ReferenceType = urlType,
                ReferenceId = urlType is null ? null : tail.Groups["id"].Value,
            };
        }

        var segments = raw.Split('/');
        var (type, id) = segments.Length switch
        {
            1 => (null, segments[0]),
            2 => (segments[0], segments[1]),
            _ => throw BadReference(raw, parameter, "write 'id', 'Type/id' or an absolute URL (version-specific references are not supported)"),
        };

        if (type is not null && !ModelInfo.IsKnownResource(type))
        {
            throw BadReference(raw, parameter, $"'{type}' is not a FHIR resource type");
        }

        if (!FhirId().IsMatch(id))
        {
            throw BadReference(raw, parameter, $"'{id}' is not a FHIR id (1 to 64 letters, digits, '-' or '.')");
        }

        if (modifierType is not null && type is not null && type != modifierType)
        {
            throw BadReference(raw, parameter, $"the modifier asks for a {modifierType} but the value names a {type}");
        }

        // A bare id refers to the type the modifier names, or to the only type the parameter can refer to.
        type ??= modifierType ?? (definition.Targets.Count == 1 ? definition.Targets[0] : null);
        if (type is not null && !definition.Targets.Contains(type))
        {
            throw BadReference(raw, parameter, $"'{definition.Code}' of {definition.ResourceType} refers to {Join(definition.Targets)}, never to a {type}");
        }

        return new SearchValue { Raw = raw, ReferenceType = type, ReferenceId = id };
    }

    private static SearchQueryException BadReference(string raw, string parameter, string reason) =>
        new(SearchErrorCodes.BadReference, parameter, $"'{raw}' is not a reference for '{parameter}': {reason}.");

    private static bool IsAbsolute(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A prefix is two lower-case letters followed by the start of a number or date, so that a value
    /// such as <c>ge2024</c> has one and <c>2024</c> has none (https://hl7.org/fhir/R4/search.html#prefix).
    /// </summary>
    private static (SearchPrefix Prefix, string Remainder) SplitPrefix(string raw, string parameter)
    {
        if (raw.Length < 3 || !char.IsAsciiLetterLower(raw[0]) || !char.IsAsciiLetterLower(raw[1]) || !(char.IsAsciiDigit(raw[2]) || raw[2] == '-'))
        {
            return (SearchPrefix.Eq, raw);
        }

        if (!Prefixes.TryGetValue(raw[..2], out var prefix))
        {
            throw new SearchQueryException(
                SearchErrorCodes.BadPrefix,
                parameter,
                $"'{raw[..2]}' at the start of '{raw}' in '{parameter}' is not a search prefix; use eq, ne, gt, lt, ge, le, sa, eb or ap.");
        }

        return (prefix, raw[2..]);
    }

    private static bool TryParseDecimal(string text, out decimal number) =>
        decimal.TryParse(
            text,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture,
            out number);

    /// <summary>A parameter's name for a message, with the key it was written in when that differs.</summary>
    internal static string Named(string name, string parameter) =>
        name == parameter ? $"'{name}'" : $"'{name}' (in '{parameter}')";

    private static string TypeName(SearchParamType type) => type.ToString().ToLowerInvariant();

    internal static string Join(IReadOnlyList<string> types) => types.Count switch
    {
        0 => "no type",
        1 => types[0],
        > 8 => $"any of {types.Count} resource types",
        _ => string.Join(", ", types.Take(types.Count - 1)) + " or " + types[^1],
    };

    // https://hl7.org/fhir/R4/datatypes.html#id
    [GeneratedRegex(@"^[A-Za-z0-9\-.]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FhirId();

    [GeneratedRegex(@"/(?<type>[A-Z][A-Za-z]+)/(?<id>[A-Za-z0-9\-.]{1,64})\z", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex TypeAndIdAtEnd();
}

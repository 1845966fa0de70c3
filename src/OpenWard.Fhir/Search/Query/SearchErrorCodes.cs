namespace OpenWard.Fhir.Search.Query;

/// <summary>The stable codes of <see cref="SearchQueryException"/>, for clients and OperationOutcome issues.</summary>
public static class SearchErrorCodes
{
    /// <summary>The searched resource type is not one this server stores.</summary>
    public const string UnknownType = "SEARCH_UNKNOWN_TYPE";

    /// <summary>No such search parameter for the type (ignored under <c>Prefer: handling=lenient</c>).</summary>
    public const string UnknownParameter = "SEARCH_UNKNOWN_PARAMETER";

    /// <summary>A FHIR parameter this server does not support (ignored under <c>Prefer: handling=lenient</c>).</summary>
    public const string UnsupportedParameter = "SEARCH_UNSUPPORTED_PARAMETER";

    /// <summary>A FHIR modifier that applies to the parameter's type but that this server does not support.</summary>
    public const string UnsupportedModifier = "SEARCH_UNSUPPORTED_MODIFIER";

    /// <summary>A modifier that FHIR does not define for the parameter's type.</summary>
    public const string InvalidModifier = "SEARCH_INVALID_MODIFIER";

    /// <summary>A backslash not followed by one of <c>, | $ \</c>.</summary>
    public const string BadEscape = "SEARCH_BAD_ESCAPE";

    /// <summary><c>:missing</c> with a value other than <c>true</c> or <c>false</c>.</summary>
    public const string BadMissing = "SEARCH_BAD_MISSING";

    /// <summary>Two lower-case letters before a number or date that are not a FHIR prefix.</summary>
    public const string BadPrefix = "SEARCH_BAD_PREFIX";

    public const string BadDate = "SEARCH_BAD_DATE";
    public const string BadNumber = "SEARCH_BAD_NUMBER";
    public const string BadQuantity = "SEARCH_BAD_QUANTITY";
    public const string BadToken = "SEARCH_BAD_TOKEN";
    public const string BadReference = "SEARCH_BAD_REFERENCE";

    /// <summary>A chain whose reference can point at several types and names none of them.</summary>
    public const string AmbiguousChain = "SEARCH_AMBIGUOUS_CHAIN";

    /// <summary>A chain through a parameter that is not a reference, or to a type it cannot reach.</summary>
    public const string BadChain = "SEARCH_BAD_CHAIN";

    /// <summary>A chain or <c>_has</c> deeper than one level.</summary>
    public const string UnsupportedChain = "SEARCH_UNSUPPORTED_CHAIN";

    /// <summary>A <c>_has</c> that is not <c>_has:Type:reference:parameter</c> with a reference to the searched type.</summary>
    public const string BadHas = "SEARCH_BAD_HAS";

    public const string BadCount = "SEARCH_BAD_COUNT";
    public const string BadOffset = "SEARCH_BAD_OFFSET";
    public const string BadSort = "SEARCH_BAD_SORT";
    public const string BadInclude = "SEARCH_BAD_INCLUDE";

    /// <summary><c>_include=*</c> and other wildcard includes.</summary>
    public const string UnsupportedInclude = "SEARCH_UNSUPPORTED_INCLUDE";

    public const string BadSummary = "SEARCH_BAD_SUMMARY";
    public const string BadTotal = "SEARCH_BAD_TOTAL";
    public const string BadElements = "SEARCH_BAD_ELEMENTS";

    /// <summary>More query parameters, longer values, more alternatives or more includes than one search may give.</summary>
    public const string TooComplex = "SEARCH_TOO_COMPLEX";

    /// <summary>A result parameter that takes one value (<c>_count</c>, <c>_sort</c>...) given twice.</summary>
    public const string RepeatedParameter = "SEARCH_REPEATED_PARAMETER";
}

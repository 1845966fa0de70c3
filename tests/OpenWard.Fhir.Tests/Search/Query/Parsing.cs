using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>Parses a query string written as in a URL, already decoded, the way the HTTP layer hands it over.</summary>
internal static class Parsing
{
    private static readonly SearchQueryParser Parser = new(SearchParameterRegistry.Default);

    public static SearchQuery Parse(string resourceType, string query, bool lenient = false) =>
        Parser.Parse(resourceType, Pairs(query), lenient);

    public static SearchQueryException Refused(string resourceType, string query, bool lenient = false) =>
        Assert.Throws<SearchQueryException>(() => Parse(resourceType, query, lenient));

    /// <summary>The one criterion of <paramref name="query"/>, which must be a plain parameter criterion.</summary>
    public static ParameterCriterion Criterion(string resourceType, string query) =>
        Assert.IsType<ParameterCriterion>(Assert.Single(Parse(resourceType, query).Criteria));

    /// <summary>The one value of the one criterion of <paramref name="query"/>.</summary>
    public static SearchValue Value(string resourceType, string query) =>
        Assert.Single(Criterion(resourceType, query).Values);

    public static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string query) =>
        query.Split('&').Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return equals < 0 ? new KeyValuePair<string, string>(pair, "") : new(pair[..equals], pair[(equals + 1)..]);
        });
}

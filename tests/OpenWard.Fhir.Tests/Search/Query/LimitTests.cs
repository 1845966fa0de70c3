using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>Limits that keep one search's work bounded: each refused with <see cref="SearchErrorCodes.TooComplex"/>.</summary>
public class LimitTests
{
    [Fact]
    public void As_many_parameters_as_the_limit_are_accepted_and_one_more_is_refused()
    {
        string Names(int count) => string.Join('&', Enumerable.Range(0, count).Select(i => $"name=n{i}"));

        Assert.Equal(SearchQuery.MaxParameters, Parse("Patient", Names(SearchQuery.MaxParameters)).Criteria.Count);
        Assert.Equal(SearchErrorCodes.TooComplex, Refused("Patient", Names(SearchQuery.MaxParameters + 1)).Code);
    }

    [Fact]
    public void Empty_parameters_do_not_count_towards_the_limit() =>
        Assert.Single(Parse("Patient", string.Concat(Enumerable.Repeat("name=&", SearchQuery.MaxParameters + 5)) + "name=x").Criteria);

    [Fact]
    public void A_value_longer_than_the_limit_is_refused() =>
        Assert.Equal(SearchErrorCodes.TooComplex, Refused("Patient", "name=" + new string('a', SearchQuery.MaxValueLength + 1)).Code);

    [Theory]
    [InlineData("_id")]
    [InlineData("_has:Observation:patient:code")]
    [InlineData("general-practitioner:Practitioner.name")]
    public void More_alternatives_than_the_limit_are_refused_also_inside_a_chain_or_has(string parameter)
    {
        string Values(int count) => string.Join(',', Enumerable.Range(0, count).Select(i => $"v{i}"));

        Assert.Single(Parse("Patient", $"{parameter}={Values(SearchQuery.MaxValuesPerCriterion)}").Criteria);
        var error = Refused("Patient", $"{parameter}={Values(SearchQuery.MaxValuesPerCriterion + 1)}");
        Assert.Equal(SearchErrorCodes.TooComplex, error.Code);
        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public void More_includes_than_the_limit_are_refused()
    {
        var includes = string.Join('&', Enumerable.Repeat("_revinclude=Observation:patient", SearchQuery.MaxIncludeDirectives));

        Assert.Equal(SearchQuery.MaxIncludeDirectives, Parse("Patient", includes).RevIncludes.Count);
        Assert.Equal(SearchErrorCodes.TooComplex, Refused("Patient", includes + "&_include=Patient:organization").Code);
    }

    [Fact]
    public void Limits_are_not_lifted_by_lenient_handling() =>
        Assert.Equal(SearchErrorCodes.TooComplex, Refused("Patient", string.Join('&', Enumerable.Range(0, SearchQuery.MaxParameters + 1).Select(i => $"unknown{i}=x")), lenient: true).Code);
}

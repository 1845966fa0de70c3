using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>https://hl7.org/fhir/R4/search.html#return</summary>
public class ResultParameterTests
{
    // _count

    [Theory]
    [InlineData("10", 10)]
    [InlineData("0", 0)]
    [InlineData("007", 7)]
    [InlineData("1000", SearchQuery.MaxCount)]
    public void Count_sets_the_page_size(string value, int expected) =>
        Assert.Equal(expected, Parse("Patient", $"_count={value}").Count);

    [Theory]
    [InlineData("1001")]
    [InlineData("5000")]
    [InlineData("99999999999999999999")]
    public void Count_above_the_maximum_is_lowered_to_it(string value) =>
        Assert.Equal(SearchQuery.MaxCount, Parse("Patient", $"_count={value}").Count);

    [Theory]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("ten")]
    [InlineData("2.5")]
    public void Count_that_is_not_a_whole_number_from_zero_is_refused(string value)
    {
        var error = Refused("Patient", $"_count={value}");

        Assert.Equal(SearchErrorCodes.BadCount, error.Code);
        Assert.Equal("_count", error.Parameter);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    // _offset

    [Fact]
    public void Offset_sets_the_position_of_the_first_match() =>
        Assert.Equal(150, Parse("Patient", "_offset=150").Offset);

    [Theory]
    [InlineData("-1")]
    [InlineData("x")]
    [InlineData("99999999999")]
    public void Offset_that_is_not_a_whole_number_from_zero_is_refused(string value) =>
        Assert.Equal(SearchErrorCodes.BadOffset, Refused("Patient", $"_offset={value}").Code);

    // _sort

    [Fact]
    public void Sort_lists_keys_in_order_with_a_minus_for_descending()
    {
        var sort = Parse("Patient", "_sort=-birthdate,family,_lastUpdated").Sort;

        Assert.Equal(["birthdate", "family", "_lastUpdated"], sort.Select(k => k.Parameter.Code));
        Assert.Equal([true, false, false], sort.Select(k => k.Descending));
    }

    [Fact]
    public void Sort_by_a_parameter_the_type_does_not_have_is_refused()
    {
        var error = Refused("Patient", "_sort=family,code");

        Assert.Equal(SearchErrorCodes.BadSort, error.Code);
        Assert.Contains("'code'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sort_by_a_special_parameter_is_refused() =>
        Assert.Equal(SearchErrorCodes.BadSort, Refused("Location", "_sort=near").Code);

    // _include and _revinclude

    [Fact]
    public void Include_follows_a_reference_parameter_of_the_searched_type()
    {
        var include = Assert.Single(Parse("Observation", "_include=Observation:patient").Includes);

        Assert.Equal("Observation", include.SourceType);
        Assert.Equal("patient", include.Reference.Code);
        Assert.Null(include.TargetType);
        Assert.False(include.Iterate);
    }

    [Fact]
    public void Include_may_name_the_target_type()
    {
        var include = Assert.Single(Parse("Observation", "_include=Observation:subject:Patient").Includes);

        Assert.Equal("Patient", include.TargetType);
    }

    [Fact]
    public void Include_may_be_repeated()
    {
        var includes = Parse("Observation", "_include=Observation:patient&_include=Observation:encounter").Includes;

        Assert.Equal(["patient", "encounter"], includes.Select(i => i.Reference.Code));
    }

    [Fact]
    public void Include_without_iterate_must_start_at_the_searched_type()
    {
        var error = Refused("Observation", "_include=Encounter:service-provider");

        Assert.Equal(SearchErrorCodes.BadInclude, error.Code);
        Assert.Contains("_include:iterate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_with_iterate_may_start_at_any_supported_type()
    {
        var include = Assert.Single(Parse("Observation", "_include=Observation:encounter&_include:iterate=Encounter:service-provider").Includes, i => i.Iterate);

        Assert.Equal("Encounter", include.SourceType);
        Assert.Equal("service-provider", include.Reference.Code);
    }

    [Fact]
    public void Revinclude_finds_resources_that_refer_to_the_matches()
    {
        var search = Parse("Patient", "_revinclude=Observation:patient&_revinclude=Provenance:target");

        Assert.Equal(["Observation", "Provenance"], search.RevIncludes.Select(r => r.SourceType));
        Assert.Equal(["patient", "target"], search.RevIncludes.Select(r => r.Reference.Code));
        Assert.Empty(search.Includes);
    }

    [Fact]
    public void Revinclude_may_name_the_searched_type_as_target() =>
        Assert.Equal("Patient", Assert.Single(Parse("Patient", "_revinclude=Observation:subject:Patient").RevIncludes).TargetType);

    [Fact]
    public void Revinclude_without_iterate_must_be_able_to_refer_to_the_searched_type()
    {
        Assert.Equal(SearchErrorCodes.BadInclude, Refused("Patient", "_revinclude=Observation:encounter").Code);
        Assert.Equal(SearchErrorCodes.BadInclude, Refused("Patient", "_revinclude=Observation:subject:Device").Code);
    }

    [Fact]
    public void Revinclude_with_iterate_may_follow_references_to_included_resources()
    {
        var revinclude = Assert.Single(Parse("Patient", "_revinclude:iterate=Observation:encounter").RevIncludes);

        Assert.True(revinclude.Iterate);
        Assert.Equal("encounter", revinclude.Reference.Code);
    }

    [Theory]
    [InlineData("_include", "Observation")]
    [InlineData("_include", "Observation:patient:Patient:extra")]
    [InlineData("_include", "Observation:code")]
    [InlineData("_include", "Observation:nothing")]
    [InlineData("_include", "Observation:subject:Medication")]
    [InlineData("_include", "Observation::Patient")]
    [InlineData("_include:iterate", "Basic:subject")]
    [InlineData("_revinclude", "Unicorn:patient")]
    public void A_malformed_include_is_refused(string key, string value)
    {
        var error = Refused("Observation", $"{key}={value}");

        Assert.Equal(SearchErrorCodes.BadInclude, error.Code);
        Assert.Equal(key, error.Parameter);
        Assert.Contains($"{key}={value}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_include=*")]
    [InlineData("_include=Observation:*")]
    [InlineData("_revinclude=*")]
    public void A_wildcard_include_is_refused(string query) =>
        Assert.Equal(SearchErrorCodes.UnsupportedInclude, Refused("Observation", query).Code);

    [Fact]
    public void An_include_modifier_other_than_iterate_is_refused() =>
        Assert.Equal(SearchErrorCodes.InvalidModifier, Refused("Observation", "_include:recurse=Observation:patient").Code);

    // _summary, _total, _elements

    [Theory]
    [InlineData("true", SummaryMode.True)]
    [InlineData("text", SummaryMode.Text)]
    [InlineData("data", SummaryMode.Data)]
    [InlineData("count", SummaryMode.Count)]
    [InlineData("false", SummaryMode.None)]
    public void Summary_takes_each_mode(string value, SummaryMode mode) =>
        Assert.Equal(mode, Parse("Patient", $"_summary={value}").Summary);

    [Theory]
    [InlineData("none", TotalMode.None)]
    [InlineData("estimate", TotalMode.Estimate)]
    [InlineData("accurate", TotalMode.Accurate)]
    public void Total_takes_each_mode(string value, TotalMode mode) =>
        Assert.Equal(mode, Parse("Patient", $"_total={value}").Total);

    [Fact]
    public void Elements_lists_the_element_names_once_each() =>
        Assert.Equal(["identifier", "name", "birthDate"], Parse("Patient", "_elements=identifier, name,birthDate,name").Elements);

    [Theory]
    [InlineData("_summary=TRUE", SearchErrorCodes.BadSummary)]
    [InlineData("_total=exact", SearchErrorCodes.BadTotal)]
    [InlineData("_elements=name,Patient.gender", SearchErrorCodes.BadElements)]
    [InlineData("_elements=name[0]", SearchErrorCodes.BadElements)]
    public void Result_parameters_with_values_they_do_not_take_are_refused(string query, string code) =>
        Assert.Equal(code, Refused("Patient", query).Code);

    [Theory]
    [InlineData("_count=1&_count=2")]
    [InlineData("_offset=1&_offset=2")]
    [InlineData("_sort=name&_sort=birthdate")]
    [InlineData("_summary=true&_summary=data")]
    [InlineData("_total=none&_total=estimate")]
    [InlineData("_elements=name&_elements=gender")]
    public void Result_parameters_that_take_one_value_are_refused_when_repeated(string query) =>
        Assert.Equal(SearchErrorCodes.RepeatedParameter, Refused("Patient", query).Code);

    [Theory]
    [InlineData("_count:exact=10")]
    [InlineData("_sort:desc=name")]
    public void Result_parameters_take_no_modifier(string query) =>
        Assert.Equal(SearchErrorCodes.InvalidModifier, Refused("Patient", query).Code);

    [Fact]
    public void Result_parameters_add_no_criteria()
    {
        var search = Parse("Patient", "_count=5&_offset=10&_sort=name&_summary=data&_total=none&_elements=name&_revinclude=Observation:patient");

        Assert.Empty(search.Criteria);
        Assert.Empty(search.IgnoredParameters);
    }
}

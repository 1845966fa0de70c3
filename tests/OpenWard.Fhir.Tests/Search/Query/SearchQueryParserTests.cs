using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>The whole query: AND and OR, empty values, unknown and unsupported parameters, strict and lenient handling.</summary>
public class SearchQueryParserTests
{
    [Fact]
    public void A_query_without_parameters_has_no_criteria_and_the_default_result_shape()
    {
        var search = new SearchQueryParser(SearchParameterRegistry.Default).Parse("Patient", [], lenient: false);

        Assert.Equal("Patient", search.ResourceType);
        Assert.Empty(search.Criteria);
        Assert.Equal(SearchQuery.DefaultCount, search.Count);
        Assert.Equal(0, search.Offset);
        Assert.Equal(TotalMode.Accurate, search.Total);
        Assert.Equal(SummaryMode.None, search.Summary);
        Assert.Null(search.Elements);
        Assert.Null(search.PatientCompartment);
    }

    [Fact]
    public void An_unknown_resource_type_is_refused()
    {
        var error = Refused("Basic", "name=x");

        Assert.Equal(SearchErrorCodes.UnknownType, error.Code);
        Assert.Equal("", error.Parameter);
        Assert.Contains("Basic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commas_separate_alternatives_of_one_criterion()
    {
        var criterion = Criterion("Patient", "gender=male,female");

        Assert.Equal(["male", "female"], criterion.Values.Select(v => v.Code));
    }

    [Fact]
    public void A_repeated_parameter_adds_a_criterion_that_must_also_match()
    {
        var search = Parse("Patient", "name=john&name=smith");

        Assert.Equal(2, search.Criteria.Count);
        Assert.Equal(["john", "smith"], search.Criteria.Cast<ParameterCriterion>().Select(c => Assert.Single(c.Values).Text));
    }

    [Fact]
    public void Criteria_keep_the_order_of_the_query()
    {
        var search = Parse("Patient", "gender=female&birthdate=2024&name=smith");

        Assert.Equal(["gender", "birthdate", "name"], search.Criteria.Cast<ParameterCriterion>().Select(c => c.Parameter.Code));
    }

    [Fact]
    public void A_criterion_refers_to_the_registry_definition_of_the_parameter()
    {
        Assert.True(SearchParameterRegistry.Default.TryGet("Patient", "birthdate", out var birthdate));

        Assert.Same(birthdate, Criterion("Patient", "birthdate=2024").Parameter);
    }

    [Fact]
    public void Resource_level_parameters_are_searchable_on_every_type()
    {
        var search = Parse("Observation", "_id=abc&_lastUpdated=ge2024&_tag=http://example.org/tags|urgent&_profile=https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation");

        Assert.Equal(["_id", "_lastUpdated", "_tag", "_profile"], search.Criteria.Cast<ParameterCriterion>().Select(c => c.Parameter.Code));
    }

    [Theory]
    [InlineData("name=")]
    [InlineData("name=,")]
    [InlineData("name= ")]
    [InlineData("birthdate=")]
    [InlineData("_count=")]
    [InlineData("_sort=")]
    [InlineData("nonsense=")]
    public void An_empty_value_is_ignored(string query)
    {
        var search = Parse("Patient", query);

        Assert.Empty(search.Criteria);
        Assert.Equal(SearchQuery.DefaultCount, search.Count);
        Assert.Empty(search.Sort);
        Assert.Empty(search.IgnoredParameters);
    }

    [Fact]
    public void Empty_alternatives_are_dropped_and_the_others_kept() =>
        Assert.Equal(["male"], Criterion("Patient", "gender=,male,").Values.Select(v => v.Code));

    [Fact]
    public void An_unknown_parameter_is_refused_in_strict_handling()
    {
        var error = Refused("Patient", "shoe-size=42");

        Assert.Equal(SearchErrorCodes.UnknownParameter, error.Code);
        Assert.Equal("shoe-size", error.Parameter);
        Assert.Contains("'shoe-size'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Patient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_parameter_is_ignored_and_reported_in_lenient_handling()
    {
        var search = Parse("Patient", "shoe-size=42&name=smith&shoe-size=43&hat:exact=large", lenient: true);

        Assert.Equal(["shoe-size", "hat:exact"], search.IgnoredParameters);
        Assert.Equal("name", Assert.IsType<ParameterCriterion>(Assert.Single(search.Criteria)).Parameter.Code);
    }

    [Fact]
    public void A_parameter_of_another_type_is_unknown_here() =>
        Assert.Equal(SearchErrorCodes.UnknownParameter, Refused("Observation", "birthdate=2024").Code);

    [Theory]
    [InlineData("Patient", "_text")]
    [InlineData("Patient", "_content")]
    [InlineData("Patient", "_query")]
    [InlineData("Patient", "_filter")]
    [InlineData("Patient", "_list")]
    [InlineData("Patient", "_containedType")]
    [InlineData("Patient", "_contained")]
    [InlineData("Observation", "code-value-quantity")]
    [InlineData("Observation", "combo-code-value-concept")]
    [InlineData("Location", "near")]
    public void Parameters_this_server_does_not_support_are_refused_in_strict_handling(string resourceType, string parameter)
    {
        var error = Refused(resourceType, $"{parameter}=x");

        Assert.Equal(SearchErrorCodes.UnsupportedParameter, error.Code);
        Assert.Equal(parameter, error.Parameter);
        Assert.Contains($"'{parameter}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Patient", "_text")]
    [InlineData("Patient", "_filter")]
    [InlineData("Observation", "code-value-quantity")]
    [InlineData("Location", "near")]
    public void Parameters_this_server_does_not_support_are_ignored_and_reported_in_lenient_handling(string resourceType, string parameter)
    {
        var search = Parse(resourceType, $"{parameter}=x&_id=1", lenient: true);

        Assert.Equal([parameter], search.IgnoredParameters);
        Assert.Single(search.Criteria);
    }

    [Fact]
    public void Lenient_handling_still_refuses_a_malformed_value() =>
        Assert.Equal(SearchErrorCodes.BadDate, Refused("Patient", "birthdate=yesterday", lenient: true).Code);

    [Fact]
    public void Lenient_handling_still_refuses_an_unsupported_modifier_rather_than_widen_the_search() =>
        Assert.Equal(SearchErrorCodes.UnsupportedModifier, Refused("Observation", "code:not-in=http://example.org/vs", lenient: true).Code);

    [Fact]
    public void Format_and_pretty_are_left_to_the_http_layer()
    {
        var search = Parse("Patient", "_format=json&_pretty=true&_format:x=xml");

        Assert.Empty(search.Criteria);
        Assert.Empty(search.IgnoredParameters);
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        // resource type, query, expected code (1234-5 is the illustrative code of the specification's _has example).
        { "Patient", "shoe-size=42", SearchErrorCodes.UnknownParameter },
        { "Patient", "_text=fever", SearchErrorCodes.UnsupportedParameter },
        { "Location", "near=42|-71|10|km", SearchErrorCodes.UnsupportedParameter },
        { "Observation", "code:below=http://example.org/codes|abc", SearchErrorCodes.UnsupportedModifier },
        { "Patient", "name:sounds-like=smith", SearchErrorCodes.InvalidModifier },
        { "Patient", "birthdate:exact=2024", SearchErrorCodes.InvalidModifier },
        { "Patient", "name=a\\b", SearchErrorCodes.BadEscape },
        { "Patient", "name:missing=maybe", SearchErrorCodes.BadMissing },
        { "Patient", "birthdate=xx2024", SearchErrorCodes.BadPrefix },
        { "Patient", "birthdate=2024-02-30", SearchErrorCodes.BadDate },
        { "Observation", "value-quantity=five", SearchErrorCodes.BadQuantity },
        { "Patient", "identifier=a|b|c", SearchErrorCodes.BadToken },
        { "Observation", "subject=Medication/1", SearchErrorCodes.BadReference },
        { "Observation", "subject.name=smith", SearchErrorCodes.AmbiguousChain },
        { "Observation", "code.name=smith", SearchErrorCodes.BadChain },
        { "Observation", "subject:Patient.organization.name=nhs", SearchErrorCodes.UnsupportedChain },
        { "Patient", "_has:Observation:code:code=1234-5", SearchErrorCodes.BadHas },
        { "Patient", "_count=lots", SearchErrorCodes.BadCount },
        { "Patient", "_offset=-1", SearchErrorCodes.BadOffset },
        { "Patient", "_sort=shoe-size", SearchErrorCodes.BadSort },
        { "Patient", "_include=Patient:name", SearchErrorCodes.BadInclude },
        { "Patient", "_include=*", SearchErrorCodes.UnsupportedInclude },
        { "Patient", "_summary=brief", SearchErrorCodes.BadSummary },
        { "Patient", "_total=some", SearchErrorCodes.BadTotal },
        { "Patient", "_elements=name.given", SearchErrorCodes.BadElements },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Every_refusal_has_its_code_and_names_the_parameter(string resourceType, string query, string code)
    {
        var key = query[..query.IndexOf('=', StringComparison.Ordinal)];

        var error = Refused(resourceType, query);

        Assert.Equal(code, error.Code);
        Assert.Equal(key, error.Parameter);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> ValueRefusals => new()
    {
        { "Patient", "name=a\\b" },
        { "Patient", "name:missing=maybe" },
        { "Patient", "birthdate=xx2024" },
        { "Patient", "birthdate=2024-02-30" },
        { "Observation", "value-quantity=five" },
        { "Patient", "identifier=a|b|c" },
        { "Observation", "subject=Medication/1" },
        { "Patient", "_count=lots" },
        { "Patient", "_offset=-1" },
        { "Patient", "_sort=shoe-size" },
        { "Patient", "_include=Patient:name" },
        { "Patient", "_summary=brief" },
        { "Patient", "_total=some" },
        { "Patient", "_elements=name.given" },
    };

    [Theory]
    [MemberData(nameof(ValueRefusals))]
    public void A_refused_value_is_named_in_the_message(string resourceType, string query)
    {
        var value = query[(query.IndexOf('=', StringComparison.Ordinal) + 1)..];

        Assert.Contains(value, Refused(resourceType, query).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_valued_result_parameter_given_twice_is_refused()
    {
        var error = Refused("Patient", "_count=10&_count=20");

        Assert.Equal(SearchErrorCodes.RepeatedParameter, error.Code);
        Assert.Equal("_count", error.Parameter);
        Assert.Contains("_count=20", error.Message, StringComparison.Ordinal);
    }
}

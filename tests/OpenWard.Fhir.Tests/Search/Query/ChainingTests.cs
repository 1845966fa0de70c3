using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>https://hl7.org/fhir/R4/search.html#chaining and https://hl7.org/fhir/R4/search.html#has</summary>
public class ChainingTests
{
    private static ChainCriterion Chain(string resourceType, string query) =>
        Assert.IsType<ChainCriterion>(Assert.Single(Parse(resourceType, query).Criteria));

    private static HasCriterion Has(string resourceType, string query) =>
        Assert.IsType<HasCriterion>(Assert.Single(Parse(resourceType, query).Criteria));

    [Fact]
    public void A_chain_with_a_type_searches_the_parameter_of_that_type()
    {
        var chain = Chain("Observation", "subject:Patient.identifier=http://example.org/mrn|123");

        Assert.Equal("subject", chain.Reference.Code);
        Assert.Equal("Observation", chain.Reference.ResourceType);
        Assert.Equal("Patient", chain.TargetType);
        var inner = Assert.IsType<ParameterCriterion>(chain.Inner);
        Assert.Equal("identifier", inner.Parameter.Code);
        Assert.Equal("Patient", inner.Parameter.ResourceType);
        var value = Assert.Single(inner.Values);
        Assert.Equal("http://example.org/mrn", value.System);
        Assert.Equal("123", value.Code);
    }

    [Fact]
    public void A_chain_without_a_type_follows_a_reference_that_has_only_one_target()
    {
        var chain = Chain("Patient", "organization.name=Royal Infirmary");

        Assert.Equal("Organization", chain.TargetType);
        Assert.Equal("royal infirmary", Assert.Single(Assert.IsType<ParameterCriterion>(chain.Inner).Values).Text);
    }

    [Fact]
    public void A_chain_without_a_type_through_a_reference_with_several_targets_is_ambiguous()
    {
        var error = Refused("Observation", "subject.name=smith");

        Assert.Equal(SearchErrorCodes.AmbiguousChain, error.Code);
        Assert.Equal("subject.name", error.Parameter);
        Assert.Contains("subject:Patient.name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chained_parameter_keeps_its_modifier()
    {
        var inner = Assert.IsType<ParameterCriterion>(Chain("Observation", "subject:Patient.name:exact=Smith").Inner);

        Assert.Equal(SearchModifier.Exact, inner.Modifier);
        Assert.Equal("Smith", Assert.Single(inner.Values).Text);
    }

    [Fact]
    public void The_chained_parameter_has_its_own_alternatives_and_prefixes()
    {
        var inner = Assert.IsType<ParameterCriterion>(Chain("Observation", "subject:Patient.birthdate=lt1950,gt2020").Inner);

        Assert.Equal([SearchPrefix.Lt, SearchPrefix.Gt], inner.Values.Select(v => v.Prefix));
    }

    [Fact]
    public void A_chain_with_only_empty_values_is_ignored() =>
        Assert.Empty(Parse("Observation", "subject:Patient.name=,").Criteria);

    [Fact]
    public void A_chain_more_than_one_level_deep_is_refused()
    {
        var error = Refused("Observation", "subject:Patient.organization.name=nhs");

        Assert.Equal(SearchErrorCodes.UnsupportedChain, error.Code);
        Assert.Equal("subject:Patient.organization.name", error.Parameter);
    }

    [Fact]
    public void A_chain_through_a_parameter_that_is_not_a_reference_is_refused()
    {
        var error = Refused("Observation", "code.name=x");

        Assert.Equal(SearchErrorCodes.BadChain, error.Code);
        Assert.Contains("code.name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_to_a_type_the_reference_cannot_point_at_is_refused() =>
        Assert.Equal(SearchErrorCodes.BadChain, Refused("Observation", "subject:Medication.code=x").Code);

    [Fact]
    public void A_chain_to_a_type_this_server_does_not_store_is_refused()
    {
        var error = Refused("Observation", "subject:Group.name=x");

        Assert.Equal(SearchErrorCodes.BadChain, error.Code);
        Assert.Contains("Group", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_to_an_unknown_parameter_of_the_target_is_unknown_and_ignored_when_lenient()
    {
        Assert.Equal(SearchErrorCodes.UnknownParameter, Refused("Observation", "subject:Patient.shoe-size=42").Code);

        Assert.Equal(["subject:Patient.shoe-size"], Parse("Observation", "subject:Patient.shoe-size=42", lenient: true).IgnoredParameters);
    }

    [Fact]
    public void A_chain_from_an_unknown_parameter_is_unknown() =>
        Assert.Equal(SearchErrorCodes.UnknownParameter, Refused("Observation", "owner.name=x").Code);

    // _has

    [Fact]
    public void Has_finds_resources_that_another_type_refers_to()
    {
        // 1234-5 is the illustrative code of the specification's own _has example.
        var has = Has("Patient", "_has:Observation:patient:code=1234-5");

        Assert.Equal("Observation", has.SourceType);
        Assert.Equal("patient", has.Reference.Code);
        Assert.Equal("Observation", has.Reference.ResourceType);
        var inner = Assert.IsType<ParameterCriterion>(has.Inner);
        Assert.Equal("code", inner.Parameter.Code);
        Assert.Equal("Observation", inner.Parameter.ResourceType);
        Assert.Equal("1234-5", Assert.Single(inner.Values).Code);
    }

    [Fact]
    public void Has_keeps_the_modifier_of_its_parameter()
    {
        var inner = Assert.IsType<ParameterCriterion>(Has("Patient", "_has:Observation:patient:code:text=heart rate").Inner);

        Assert.Equal(SearchModifier.Text, inner.Modifier);
        Assert.Equal("heart rate", Assert.Single(inner.Values).Text);
    }

    [Fact]
    public void Has_reads_its_parameter_value_by_the_parameter_type()
    {
        var inner = Assert.IsType<ParameterCriterion>(Has("Patient", "_has:Observation:subject:date=ge2024").Inner);

        Assert.Equal(SearchPrefix.Ge, Assert.Single(inner.Values).Prefix);
    }

    [Theory]
    [InlineData("_has")]
    [InlineData("_has:Observation")]
    [InlineData("_has:Observation:patient")]
    [InlineData("_has:Observation::code")]
    [InlineData("_has:Basic:subject:code")]
    [InlineData("_has:Observation:code:code")]
    [InlineData("_has:Observation:encounter:code")]
    public void A_malformed_has_is_refused(string key)
    {
        var error = Refused("Patient", $"{key}=1234-5");

        Assert.Equal(SearchErrorCodes.BadHas, error.Code);
        Assert.Equal(key, error.Parameter);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Has_through_an_unknown_reference_parameter_is_unknown() =>
        Assert.Equal(SearchErrorCodes.UnknownParameter, Refused("Patient", "_has:Observation:owner:code=1").Code);

    [Fact]
    public void Has_of_an_unknown_parameter_is_unknown_and_ignored_when_lenient()
    {
        Assert.Equal(SearchErrorCodes.UnknownParameter, Refused("Patient", "_has:Observation:patient:colour=red").Code);

        Assert.Equal(["_has:Observation:patient:colour"], Parse("Patient", "_has:Observation:patient:colour=red", lenient: true).IgnoredParameters);
    }

    [Theory]
    [InlineData("_has:Observation:patient:_has:Provenance:target:agent=Practitioner/1")]
    [InlineData("_has:Observation:patient:subject:Patient.name=smith")]
    [InlineData("subject:Patient._has:Observation:patient:code=1")]
    public void Has_and_chains_nested_in_each_other_are_refused(string query) =>
        Assert.Equal(SearchErrorCodes.UnsupportedChain, Refused(query.StartsWith("_has", StringComparison.Ordinal) ? "Patient" : "Observation", query).Code);
}

using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>https://hl7.org/fhir/R4/search.html#modifiers</summary>
public class ModifierTests
{
    // :missing, on every type

    [Theory]
    [InlineData("Patient", "name")]
    [InlineData("Patient", "identifier")]
    [InlineData("Patient", "birthdate")]
    [InlineData("Patient", "organization")]
    [InlineData("Observation", "value-quantity")]
    [InlineData("Questionnaire", "url")]
    public void Missing_true_asks_for_resources_without_the_parameter(string resourceType, string parameter)
    {
        var criterion = Criterion(resourceType, $"{parameter}:missing=true");

        Assert.Equal(SearchModifier.Missing, criterion.Modifier);
        Assert.True(criterion.Missing);
        Assert.Empty(criterion.Values);
    }

    [Fact]
    public void Missing_false_asks_for_resources_with_the_parameter() =>
        Assert.False(Criterion("Patient", "birthdate:missing=false").Missing);

    [Theory]
    [InlineData("yes")]
    [InlineData("True")]
    [InlineData("true,false")]
    public void Missing_takes_only_true_or_false(string value)
    {
        var error = Refused("Patient", $"name:missing={value}");

        Assert.Equal(SearchErrorCodes.BadMissing, error.Code);
        Assert.Equal("name:missing", error.Parameter);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_criterion_without_a_modifier_has_none()
    {
        var criterion = Criterion("Patient", "name=smith");

        Assert.Equal(SearchModifier.None, criterion.Modifier);
        Assert.Null(criterion.Missing);
        Assert.Null(criterion.ReferenceType);
    }

    // Strings

    [Fact]
    public void Exact_keeps_the_string_as_written()
    {
        var criterion = Criterion("Patient", "family:exact=Sánchez ");

        Assert.Equal(SearchModifier.Exact, criterion.Modifier);
        Assert.Equal("Sánchez ", Assert.Single(criterion.Values).Text);
    }

    [Fact]
    public void Contains_normalises_the_string()
    {
        var criterion = Criterion("Patient", "family:contains=ÁNCH");

        Assert.Equal(SearchModifier.Contains, criterion.Modifier);
        Assert.Equal("anch", Assert.Single(criterion.Values).Text);
    }

    // Tokens

    [Fact]
    public void Not_reads_the_token_as_usual()
    {
        var criterion = Criterion("Patient", "gender:not=male");

        Assert.Equal(SearchModifier.Not, criterion.Modifier);
        Assert.Equal("male", Assert.Single(criterion.Values).Code);
    }

    [Fact]
    public void Text_on_a_token_matches_normalised_display_text_and_does_not_split_on_a_bar()
    {
        var value = Assert.Single(Criterion("Observation", "code:text=Héart  Rate|x").Values);

        Assert.Equal("heart rate|x", value.Text);
        Assert.Null(value.System);
        Assert.Null(value.Code);
    }

    [Fact]
    public void Of_type_reads_the_identifier_type_and_value()
    {
        // The value form of the specification's :of-type example; MR is "Medical record number" in
        // HL7 v2 table 0203 (https://terminology.hl7.org/CodeSystem-v2-0203.html); 446053 is illustrative.
        var criterion = Criterion("Patient", "identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|MR|446053");
        var value = Assert.Single(criterion.Values);

        Assert.Equal(SearchModifier.OfType, criterion.Modifier);
        Assert.Equal("http://terminology.hl7.org/CodeSystem/v2-0203", value.TypeSystem);
        Assert.Equal("MR", value.TypeCode);
        Assert.Equal("446053", value.Code);
        Assert.Null(value.System);
    }

    [Theory]
    [InlineData("MR|446053")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v2-0203||446053")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v2-0203|MR|")]
    public void Of_type_needs_all_three_parts(string value) =>
        Assert.Equal(SearchErrorCodes.BadToken, Refused("Patient", $"identifier:of-type={value}").Code);

    [Theory]
    [InlineData("above")]
    [InlineData("below")]
    [InlineData("in")]
    [InlineData("not-in")]
    public void Terminology_modifiers_on_a_token_are_refused_as_unsupported(string modifier)
    {
        var error = Refused("Observation", $"code:{modifier}=http://example.org/codes|abc");

        Assert.Equal(SearchErrorCodes.UnsupportedModifier, error.Code);
        Assert.Equal($"code:{modifier}", error.Parameter);
        Assert.Contains($"':{modifier}'", error.Message, StringComparison.Ordinal);
    }

    // References

    [Fact]
    public void A_type_modifier_restricts_a_reference_to_that_type()
    {
        var criterion = Criterion("Observation", "subject:Patient=123");
        var value = Assert.Single(criterion.Values);

        Assert.Equal(SearchModifier.Type, criterion.Modifier);
        Assert.Equal("Patient", criterion.ReferenceType);
        Assert.Equal("Patient", value.ReferenceType);
        Assert.Equal("123", value.ReferenceId);
    }

    [Fact]
    public void A_type_modifier_accepts_a_value_of_the_same_type() =>
        Assert.Equal("123", Value("Observation", "subject:Patient=Patient/123").ReferenceId);

    [Fact]
    public void A_type_the_reference_cannot_point_at_is_refused()
    {
        var error = Refused("Observation", "subject:Medication=123");

        Assert.Equal(SearchErrorCodes.InvalidModifier, error.Code);
        Assert.Contains("Medication", error.Message, StringComparison.Ordinal);
        Assert.Contains("Patient", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identifier_on_a_reference_is_refused_with_a_chain_to_use_instead()
    {
        var error = Refused("Observation", "subject:identifier=http://example.org/mrn|123");

        Assert.Equal(SearchErrorCodes.UnsupportedModifier, error.Code);
        Assert.Contains("subject:Patient.identifier", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("above")]
    [InlineData("below")]
    public void Hierarchy_modifiers_on_a_reference_are_refused_as_unsupported(string modifier) =>
        Assert.Equal(SearchErrorCodes.UnsupportedModifier, Refused("Observation", $"subject:{modifier}=Patient/1").Code);

    // Uris

    [Theory]
    [InlineData("above")]
    [InlineData("below")]
    public void Hierarchy_modifiers_on_a_uri_are_refused_as_unsupported(string modifier) =>
        Assert.Equal(SearchErrorCodes.UnsupportedModifier, Refused("Questionnaire", $"url:{modifier}=http://example.org/fhir").Code);

    // Modifiers that do not apply

    [Theory]
    [InlineData("Patient", "birthdate:exact=2024")]
    [InlineData("Patient", "birthdate:not=2024")]
    [InlineData("Observation", "value-quantity:contains=5")]
    [InlineData("Patient", "name:not=smith")]
    [InlineData("Patient", "name:text=smith")]
    [InlineData("Patient", "gender:exact=male")]
    [InlineData("Patient", "gender:contains=male")]
    [InlineData("Questionnaire", "url:exact=http://example.org")]
    [InlineData("Observation", "subject:exact=Patient/1")]
    [InlineData("Observation", "code:Patient=1")]
    [InlineData("Patient", "name:sounds-like=smith")]
    [InlineData("Observation", "subject:Unicorn=1")]
    public void A_modifier_that_does_not_apply_to_the_parameter_type_is_refused(string resourceType, string query)
    {
        var key = query[..query.IndexOf('=', StringComparison.Ordinal)];

        var error = Refused(resourceType, query);

        Assert.Equal(SearchErrorCodes.InvalidModifier, error.Code);
        Assert.Equal(key, error.Parameter);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}

using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>https://hl7.org/fhir/R4/search.html#escaping</summary>
public class EscapingTests
{
    [Fact]
    public void An_escaped_comma_is_part_of_the_value_not_a_separator()
    {
        var value = Value("Patient", @"name=Smith\, John");

        Assert.Equal("Smith, John", value.Raw);
        Assert.Equal("smith, john", value.Text);
    }

    [Fact]
    public void An_escaped_comma_and_a_plain_comma_together_give_two_alternatives() =>
        Assert.Equal(["a,b", "c"], Criterion("Patient", @"family:exact=a\,b,c").Values.Select(v => v.Text));

    [Fact]
    public void An_escaped_bar_is_part_of_a_token_code_not_the_system_separator()
    {
        var value = Value("Patient", @"identifier=http://example.org/ids|A\|B");

        Assert.Equal("http://example.org/ids", value.System);
        Assert.Equal("A|B", value.Code);
    }

    [Fact]
    public void An_escaped_bar_without_a_system_leaves_the_system_unset()
    {
        var value = Value("Patient", @"identifier=A\|B");

        Assert.Null(value.System);
        Assert.Equal("A|B", value.Code);
    }

    [Fact]
    public void An_escaped_dollar_is_a_dollar() =>
        Assert.Equal("cost$5", Value("Patient", @"family:exact=cost\$5").Text);

    [Fact]
    public void An_escaped_backslash_is_one_backslash() =>
        Assert.Equal(@"a\b", Value("Patient", @"family:exact=a\\b").Text);

    [Fact]
    public void An_escaped_backslash_before_a_comma_leaves_the_comma_a_separator() =>
        Assert.Equal([@"a\", "b"], Criterion("Patient", @"family:exact=a\\,b").Values.Select(v => v.Text));

    [Fact]
    public void An_escaped_bar_is_part_of_a_quantity_unit()
    {
        var value = Value("Observation", @"value-quantity=5|http://example.org/units|a\|b");

        Assert.Equal("a|b", value.Code);
    }

    [Fact]
    public void An_escaped_comma_is_part_of_a_uri() =>
        Assert.Equal("http://example.org/a,b", Value("Questionnaire", @"url=http://example.org/a\,b").Url);

    [Theory]
    [InlineData(@"name=a\b")]
    [InlineData(@"name=smith\")]
    [InlineData(@"identifier=sys|\n")]
    public void A_backslash_that_escapes_nothing_is_refused(string query)
    {
        var error = Refused("Patient", query);

        Assert.Equal(SearchErrorCodes.BadEscape, error.Code);
        Assert.Contains(query[(query.IndexOf('=', StringComparison.Ordinal) + 1)..], error.Message, StringComparison.Ordinal);
    }
}

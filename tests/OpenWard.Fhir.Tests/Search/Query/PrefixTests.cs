using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>https://hl7.org/fhir/R4/search.html#prefix</summary>
public class PrefixTests
{
    [Theory]
    [InlineData("eq", SearchPrefix.Eq)]
    [InlineData("ne", SearchPrefix.Ne)]
    [InlineData("gt", SearchPrefix.Gt)]
    [InlineData("lt", SearchPrefix.Lt)]
    [InlineData("ge", SearchPrefix.Ge)]
    [InlineData("le", SearchPrefix.Le)]
    [InlineData("sa", SearchPrefix.Sa)]
    [InlineData("eb", SearchPrefix.Eb)]
    [InlineData("ap", SearchPrefix.Ap)]
    public void Every_prefix_is_read_on_a_date(string text, SearchPrefix prefix)
    {
        var value = Value("Patient", $"birthdate={text}2024-03-01");

        Assert.Equal(prefix, value.Prefix);
        Assert.Equal(Utc(2024, 3, 1), value.Low);
        Assert.Equal($"{text}2024-03-01", value.Raw);
    }

    [Theory]
    [InlineData("eq", SearchPrefix.Eq)]
    [InlineData("ne", SearchPrefix.Ne)]
    [InlineData("gt", SearchPrefix.Gt)]
    [InlineData("lt", SearchPrefix.Lt)]
    [InlineData("ge", SearchPrefix.Ge)]
    [InlineData("le", SearchPrefix.Le)]
    [InlineData("sa", SearchPrefix.Sa)]
    [InlineData("eb", SearchPrefix.Eb)]
    [InlineData("ap", SearchPrefix.Ap)]
    public void Every_prefix_is_read_on_a_quantity(string text, SearchPrefix prefix)
    {
        var value = Value("Observation", $"value-quantity={text}37.5||Cel");

        Assert.Equal(prefix, value.Prefix);
        Assert.Equal(37.5m, value.Number);
    }

    [Fact]
    public void A_value_without_a_prefix_means_equal() =>
        Assert.Equal(SearchPrefix.Eq, Value("Patient", "birthdate=2024").Prefix);

    [Fact]
    public void Each_alternative_has_its_own_prefix()
    {
        var values = Criterion("Observation", "date=lt2020,gt2024").Values;

        Assert.Equal([SearchPrefix.Lt, SearchPrefix.Gt], values.Select(v => v.Prefix));
        Assert.Equal([Utc(2020, 1, 1), Utc(2024, 1, 1)], values.Select(v => v.Low!.Value));
    }

    [Fact]
    public void Repeated_parameters_with_prefixes_make_a_range()
    {
        var criteria = Parse("Observation", "date=ge2024-01-01&date=lt2024-02-01").Criteria.Cast<ParameterCriterion>().ToList();

        Assert.Equal([SearchPrefix.Ge, SearchPrefix.Lt], criteria.Select(c => Assert.Single(c.Values).Prefix));
    }

    [Fact]
    public void Letters_not_followed_by_a_digit_are_not_a_prefix_so_the_value_is_not_a_date() =>
        Assert.Equal(SearchErrorCodes.BadDate, Refused("Patient", "birthdate=gte2024").Code);

    [Fact]
    public void An_unknown_prefix_before_a_digit_is_refused_as_a_prefix()
    {
        var error = Refused("Patient", "birthdate=xx2024");

        Assert.Equal(SearchErrorCodes.BadPrefix, error.Code);
        Assert.Contains("'xx'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Upper_case_letters_are_not_a_prefix() =>
        Assert.Equal(SearchErrorCodes.BadDate, Refused("Patient", "birthdate=GE2024").Code);
}

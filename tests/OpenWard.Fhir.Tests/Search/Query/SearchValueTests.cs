using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Query;
using static OpenWard.Fhir.Tests.Search.Query.Parsing;

namespace OpenWard.Fhir.Tests.Search.Query;

/// <summary>The value forms of each parameter type (https://hl7.org/fhir/R4/search.html#ptypes).</summary>
public class SearchValueTests
{
    // Strings

    [Fact]
    public void A_string_value_is_normalised_for_matching_and_kept_as_written_in_raw()
    {
        var value = Value("Patient", "name=  José   SMITH ");

        Assert.Equal("jose smith", value.Text);
        Assert.Equal("  José   SMITH ", value.Raw);
        Assert.Equal(SearchPrefix.Eq, value.Prefix);
        Assert.Null(value.Code);
    }

    [Fact]
    public void A_string_value_is_never_read_as_a_prefix() =>
        Assert.Equal("ge2024", Value("Patient", "address-city=ge2024").Text);

    // Tokens

    [Fact]
    public void A_token_of_a_code_alone_has_no_system()
    {
        var value = Value("Patient", "gender=female");

        Assert.Null(value.System);
        Assert.Equal("female", value.Code);
    }

    [Fact]
    public void A_token_of_system_and_code_has_both()
    {
        var value = Value("Patient", "identifier=http://example.org/mrn|12345");

        Assert.Equal("http://example.org/mrn", value.System);
        Assert.Equal("12345", value.Code);
        Assert.Equal("http://example.org/mrn|12345", value.Raw);
    }

    [Fact]
    public void A_token_with_an_empty_system_asks_for_codes_without_a_system()
    {
        var value = Value("Patient", "identifier=|12345");

        Assert.Equal("", value.System);
        Assert.Equal("12345", value.Code);
    }

    [Fact]
    public void A_token_of_a_system_alone_matches_any_code_in_it()
    {
        var value = Value("Patient", "identifier=http://example.org/mrn|");

        Assert.Equal("http://example.org/mrn", value.System);
        Assert.Null(value.Code);
    }

    [Fact]
    public void A_token_value_is_never_read_as_a_prefix() =>
        Assert.Equal("ge2024", Value("Patient", "identifier=ge2024").Code);

    [Theory]
    [InlineData("|")]
    [InlineData("a|b|c")]
    public void A_token_that_is_not_one_of_the_four_forms_is_refused(string token) =>
        Assert.Equal(SearchErrorCodes.BadToken, Refused("Patient", $"identifier={token}").Code);

    // Dates

    [Fact]
    public void A_date_value_becomes_the_utc_range_it_covers()
    {
        var value = Value("Patient", "birthdate=2024-03");

        Assert.Equal(SearchPrefix.Eq, value.Prefix);
        Assert.Equal(Utc(2024, 3, 1), value.Low);
        Assert.Equal(Utc(2024, 4, 1).AddTicks(-1), value.High);
        Assert.Equal("2024-03", value.Raw);
    }

    [Theory]
    [InlineData("2024", 2024, 1, 1, 0, 0, 2025, 1, 1, 0, 0)]
    [InlineData("2024-02", 2024, 2, 1, 0, 0, 2024, 3, 1, 0, 0)]
    [InlineData("2024-02-29", 2024, 2, 29, 0, 0, 2024, 3, 1, 0, 0)]
    [InlineData("2024-02-29T10:15", 2024, 2, 29, 10, 15, 2024, 2, 29, 10, 16)]
    [InlineData("2024-02-29T10:15+02:00", 2024, 2, 29, 8, 15, 2024, 2, 29, 8, 16)]
    public void Date_values_of_every_precision_cover_their_whole_period(
        string date, int y1, int m1, int d1, int h1, int min1, int y2, int m2, int d2, int h2, int min2)
    {
        var value = Value("Observation", $"date={date}");

        Assert.Equal(Utc(y1, m1, d1, h1, min1), value.Low);
        Assert.Equal(Utc(y2, m2, d2, h2, min2).AddTicks(-1), value.High);
    }

    [Fact]
    public void An_instant_to_the_second_covers_that_second()
    {
        var value = Value("Patient", "_lastUpdated=2024-03-01T10:15:30Z");

        Assert.Equal(Utc(2024, 3, 1, 10, 15, 30), value.Low);
        Assert.Equal(Utc(2024, 3, 1, 10, 15, 31).AddTicks(-1), value.High);
    }

    [Theory]
    [InlineData("2024-13")]
    [InlineData("2023-02-29")]
    [InlineData("01/03/2024")]
    [InlineData("ge")]
    [InlineData("today")]
    public void A_value_that_is_not_a_date_is_refused(string date)
    {
        var error = Refused("Patient", $"birthdate={date}");

        Assert.Equal(SearchErrorCodes.BadDate, error.Code);
        Assert.Equal("birthdate", error.Parameter);
        Assert.Contains($"'{date}'", error.Message, StringComparison.Ordinal);
    }

    // Numbers: no supported resource type has a number parameter, so these use one of RiskAssessment's.

    private static readonly SearchParameterDefinition Probability =
        new("probability", "RiskAssessment", SearchParamType.Number, "RiskAssessment.prediction.probability", [], null);

    private static SearchValue Number(string value) =>
        Assert.Single(SearchValueParser.Parse(Probability, null, value, "probability")!.Values);

    [Theory]
    [InlineData("5", 5)]
    [InlineData("0.25", 0.25)]
    [InlineData("-3.5", -3.5)]
    [InlineData("1e2", 100)]
    [InlineData("1.5E-1", 0.15)]
    public void A_number_value_is_a_decimal_in_invariant_culture(string text, double expected)
    {
        var value = Number(text);

        Assert.Equal((decimal)expected, value.Number);
        Assert.Equal(SearchPrefix.Eq, value.Prefix);
    }

    [Fact]
    public void A_number_keeps_the_precision_it_was_written_with() =>
        Assert.Equal("100.00", Number("100.00").Number!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_number_after_a_prefix_may_be_negative()
    {
        var value = Number("lt-5");

        Assert.Equal(SearchPrefix.Lt, value.Prefix);
        Assert.Equal(-5m, value.Number);
    }

    [Theory]
    [InlineData("five")]
    [InlineData("5.5.5")]
    [InlineData("1 000")]
    [InlineData("0x10")]
    public void A_value_that_is_not_a_number_is_refused(string text)
    {
        var error = Assert.Throws<SearchQueryException>(() => SearchValueParser.Parse(Probability, null, text, "probability"));

        Assert.Equal(SearchErrorCodes.BadNumber, error.Code);
        Assert.Contains("probability", error.Message, StringComparison.Ordinal);
    }

    // Quantities

    [Fact]
    public void A_quantity_of_number_system_and_code_has_all_three()
    {
        var value = Value("Observation", "value-quantity=5.4|http://unitsofmeasure.org|mg");

        Assert.Equal(5.4m, value.Number);
        Assert.Equal("http://unitsofmeasure.org", value.System);
        Assert.Equal("mg", value.Code);
        Assert.Equal(SearchPrefix.Eq, value.Prefix);
    }

    [Fact]
    public void A_quantity_without_a_system_matches_the_unit_code_in_any_system()
    {
        var value = Value("Observation", "value-quantity=5.4||mg");

        Assert.Null(value.System);
        Assert.Equal("mg", value.Code);
    }

    [Fact]
    public void A_quantity_of_a_number_alone_matches_any_unit()
    {
        var value = Value("Observation", "value-quantity=5.4");

        Assert.Equal(5.4m, value.Number);
        Assert.Null(value.System);
        Assert.Null(value.Code);
    }

    [Fact]
    public void A_quantity_takes_a_prefix_on_its_number()
    {
        var value = Value("Observation", "value-quantity=le-0.5||Cel");

        Assert.Equal(SearchPrefix.Le, value.Prefix);
        Assert.Equal(-0.5m, value.Number);
        Assert.Equal("Cel", value.Code);
    }

    [Theory]
    [InlineData("five||mg")]
    [InlineData("5|http://unitsofmeasure.org")]
    [InlineData("5|a|b|c")]
    [InlineData("|http://unitsofmeasure.org|mg")]
    public void A_value_that_is_not_a_quantity_is_refused(string quantity) =>
        Assert.Equal(SearchErrorCodes.BadQuantity, Refused("Observation", $"value-quantity={quantity}").Code);

    // References

    [Fact]
    public void A_reference_of_type_and_id_has_both()
    {
        var value = Value("Observation", "subject=Patient/123");

        Assert.Equal("Patient", value.ReferenceType);
        Assert.Equal("123", value.ReferenceId);
        Assert.Null(value.Url);
    }

    [Fact]
    public void A_bare_id_has_no_type_when_the_parameter_can_refer_to_several()
    {
        var value = Value("Observation", "subject=123");

        Assert.Null(value.ReferenceType);
        Assert.Equal("123", value.ReferenceId);
    }

    [Fact]
    public void A_bare_id_takes_the_type_when_the_parameter_can_refer_to_only_one()
    {
        var value = Value("Patient", "organization=abc");

        Assert.Equal("Organization", value.ReferenceType);
        Assert.Equal("abc", value.ReferenceId);
    }

    [Fact]
    public void An_absolute_reference_ending_in_type_and_id_keeps_the_url_and_reads_both()
    {
        var value = Value("Observation", "subject=https://other.example.org/fhir/Patient/123");

        Assert.Equal("https://other.example.org/fhir/Patient/123", value.Url);
        Assert.Equal("Patient", value.ReferenceType);
        Assert.Equal("123", value.ReferenceId);
    }

    [Theory]
    [InlineData("urn:uuid:9d0c8f4e-1a2b-4c3d-9e8f-0a1b2c3d4e5f")]
    [InlineData("http://example.org/somewhere/else")]
    public void An_absolute_reference_that_does_not_end_in_type_and_id_is_only_a_url(string url)
    {
        var value = Value("Observation", $"subject={url}");

        Assert.Equal(url, value.Url);
        Assert.Null(value.ReferenceType);
        Assert.Null(value.ReferenceId);
    }

    [Theory]
    [InlineData("subject=Foo/123")]
    [InlineData("subject=Medication/123")]
    [InlineData("subject=Patient/123/_history/2")]
    [InlineData("subject=Patient/")]
    [InlineData("subject=Patient/a b")]
    [InlineData("subject:Patient=Device/123")]
    public void A_value_that_is_not_a_reference_the_parameter_can_hold_is_refused(string query)
    {
        var error = Refused("Observation", query);

        Assert.Equal(SearchErrorCodes.BadReference, error.Code);
        Assert.Contains(query[(query.IndexOf('=', StringComparison.Ordinal) + 1)..], error.Message, StringComparison.Ordinal);
    }

    // Uris

    [Fact]
    public void A_uri_value_is_the_url_as_written()
    {
        var value = Value("Questionnaire", "url=http://example.org/Questionnaire/news2");

        Assert.Equal("http://example.org/Questionnaire/news2", value.Url);
        Assert.Null(value.ReferenceType);
    }

    [Fact]
    public void A_uri_value_is_never_read_as_a_prefix() =>
        Assert.Equal("ge2024", Value("Questionnaire", "url=ge2024").Url);
}

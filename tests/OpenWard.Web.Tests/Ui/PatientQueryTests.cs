using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class PatientQueryTests
{
    // 943 476 5919 is the NHS number the NHS design system uses as its example; it passes Modulus 11.
    [Theory]
    [InlineData("9434765919")]
    [InlineData("943 476 5919")]
    [InlineData("  943 476 5919 ")]
    [InlineData("943-476-5919")]
    public void An_nhs_number_with_or_without_spaces_is_searched_as_its_ten_digits(string typed)
    {
        var query = Assert.IsType<PatientQuery.ByNhsNumber>(PatientQuery.Parse(typed));

        Assert.Equal("9434765919", query.Digits);
        Assert.Equal([new("identifier", "https://fhir.nhs.uk/Id/nhs-number|9434765919")], query.ToSearchParameters());
    }

    [Fact]
    public void A_wrong_check_digit_is_explained_plainly()
    {
        var invalid = Assert.IsType<PatientQuery.Invalid>(PatientQuery.Parse("943 476 5918"));

        Assert.Equal("943 476 5918 is not a valid NHS number: its last digit (the check digit) does not match the others. Check the number and try again", invalid.Message);
        Assert.Empty(invalid.ToSearchParameters());
    }

    [Fact]
    public void Too_few_digits_say_how_many_an_nhs_number_has()
    {
        var invalid = Assert.IsType<PatientQuery.Invalid>(PatientQuery.Parse("943 476 591"));

        Assert.Equal("An NHS number has 10 digits; you entered 9", invalid.Message);
    }

    [Theory]
    [InlineData("27/03/1957")]
    [InlineData("27/3/1957")]
    [InlineData("1957-03-27")]
    public void A_date_of_birth_is_read_day_first_or_in_iso_order(string typed)
    {
        var query = Assert.IsType<PatientQuery.ByBirthDate>(PatientQuery.Parse(typed));

        Assert.Equal(new DateOnly(1957, 3, 27), query.Date);
        Assert.Equal([new("birthdate", "1957-03-27")], query.ToSearchParameters());
    }

    [Fact]
    public void A_date_that_does_not_exist_is_refused_with_an_example()
    {
        var invalid = Assert.IsType<PatientQuery.Invalid>(PatientQuery.Parse("31/02/1957"));

        Assert.Equal("31/02/1957 is not a real date. Enter a date of birth as day/month/year, for example 27/03/1957", invalid.Message);
    }

    [Fact]
    public void Name_words_must_all_match()
    {
        var query = Assert.IsType<PatientQuery.ByName>(PatientQuery.Parse("Smith,  Zoë"));

        Assert.Equal(["Smith", "Zoë"], query.Words);
        Assert.Equal([new("name", "Smith"), new("name", "Zoë")], query.ToSearchParameters());
    }

    [Fact]
    public void Letters_mixed_with_digits_are_neither_a_name_nor_a_number()
    {
        var invalid = Assert.IsType<PatientQuery.Invalid>(PatientQuery.Parse("smith 12"));

        Assert.StartsWith("Enter a name, an NHS number or a date of birth", invalid.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Nothing_typed_is_an_empty_query(string? typed) =>
        Assert.IsType<PatientQuery.Empty>(PatientQuery.Parse(typed));

    [Fact]
    public void Only_the_first_four_name_words_are_searched()
    {
        var query = Assert.IsType<PatientQuery.ByName>(PatientQuery.Parse("a b c d e"));

        Assert.Equal(["a", "b", "c", "d"], query.Words);
    }

    [Theory]
    [InlineData("H0000012")]
    [InlineData(" h0000012 ")]
    public void A_hospital_number_is_searched_in_the_local_identifier_system_in_upper_case(string typed)
    {
        var query = Assert.IsType<PatientQuery.ByHospitalNumber>(PatientQuery.Parse(typed));

        Assert.Equal("H0000012", query.Value);
        Assert.Equal([new("identifier", "https://fhir.openward.example/Id/hospital-number|H0000012")], query.ToSearchParameters());
    }

    [Theory]
    [InlineData("H000001")]
    [InlineData("H00000123")]
    [InlineData("X0000012")]
    [InlineData("H000001A")]
    public void Text_that_is_not_h_and_seven_digits_is_not_a_hospital_number(string typed) =>
        Assert.IsNotType<PatientQuery.ByHospitalNumber>(PatientQuery.Parse(typed));
}

namespace OpenWard.Fhir.Tests;

public class NhsNumberTests
{
    // 943 476 5919 is the worked example of the NHS Data Model and Dictionary
    // (https://www.datadictionary.nhs.uk/attributes/nhs_number.html); 9912003888 is the NHS number of the
    // UK Core example patient UKCore-Patient-RichardSmith-Example (UK Core R4 2.0.0).
    [Theory]
    [InlineData("9434765919")]
    [InlineData("9912003888")]
    public void Published_examples_are_valid(string nhsNumber)
    {
        Assert.True(NhsNumber.IsValid(nhsNumber));
    }

    [Theory]
    [InlineData("9434765918")] // wrong check digit
    [InlineData("9434765910")]
    [InlineData("4934765919")] // two digits transposed
    public void A_wrong_check_digit_is_invalid(string nhsNumber)
    {
        Assert.False(NhsNumber.IsValid(nhsNumber));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("943476591")] // nine digits
    [InlineData("94347659190")] // eleven digits
    [InlineData("943 476 5919")] // display form, not the identifier value
    [InlineData("943476591X")]
    [InlineData("９４３４７６５９１９")] // full-width digits are not ASCII digits
    public void Anything_but_ten_ascii_digits_is_invalid(string? value)
    {
        Assert.False(NhsNumber.IsValid(value));
    }

    [Fact]
    public void Nine_digits_whose_check_value_is_10_never_form_a_valid_number()
    {
        // 1*10 + 2*9 + ... + 9*2 = 210; 210 mod 11 = 1; 11 - 1 = 10.
        for (var last = 0; last <= 9; last++)
        {
            Assert.False(NhsNumber.IsValid($"123456789{last}"));
        }

        var error = Assert.Throws<ArgumentException>(() => NhsNumber.WithCheckDigit("123456789"));
        Assert.Equal("nineDigits", error.ParamName);
    }

    [Theory]
    [InlineData("943476591", "9434765919")]
    [InlineData("999000001", "9990000018")]
    [InlineData("999000005", "9990000050")] // 11 - 0 = 11 gives check digit 0
    public void WithCheckDigit_appends_the_modulus_11_check_digit(string nineDigits, string expected)
    {
        var nhsNumber = NhsNumber.WithCheckDigit(nineDigits);

        Assert.Equal(expected, nhsNumber);
        Assert.True(NhsNumber.IsValid(nhsNumber));
    }

    [Fact]
    public void TryWithCheckDigit_reports_nine_digits_that_cannot_start_an_NHS_number()
    {
        Assert.False(NhsNumber.TryWithCheckDigit("123456789", out var none));
        Assert.Null(none);

        Assert.True(NhsNumber.TryWithCheckDigit("943476591", out var valid));
        Assert.Equal("9434765919", valid);
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("1234567890")]
    [InlineData("12345678a")]
    public void WithCheckDigit_refuses_anything_but_nine_digits(string value)
    {
        Assert.Throws<ArgumentException>(() => NhsNumber.WithCheckDigit(value));
    }

    [Fact]
    public void Format_groups_the_digits_three_three_four()
    {
        Assert.Equal("943 476 5919", NhsNumber.Format("9434765919"));
    }

    [Theory]
    [InlineData("943476591")]
    [InlineData("943 476 5919")]
    public void Format_refuses_anything_but_ten_digits(string value)
    {
        Assert.Throws<ArgumentException>(() => NhsNumber.Format(value));
    }

    [Fact]
    public void Every_valid_number_with_a_given_prefix_has_exactly_one_check_digit()
    {
        var valid = Enumerable.Range(0, 10).Count(d => NhsNumber.IsValid($"943476591{d}"));

        Assert.Equal(1, valid);
    }
}

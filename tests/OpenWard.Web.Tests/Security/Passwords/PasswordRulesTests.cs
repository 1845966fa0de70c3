using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Tests.Security.Passwords;

public class PasswordRulesTests
{
    [Theory]
    [InlineData("twelve chars")]
    [InlineData("correct horse battery staple")]
    [InlineData("alllowercaseletters")] // no composition rules
    public void Long_enough_passwords_pass(string password)
    {
        Assert.Null(PasswordRules.Validate(password));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("elevenchars")]
    [InlineData("P@ssw0rd!")] // complexity is no substitute for length
    public void Short_passwords_fail(string? password)
    {
        Assert.NotNull(PasswordRules.Validate(password));
    }

    [Fact]
    public void Passwords_may_be_up_to_256_characters()
    {
        Assert.Null(PasswordRules.Validate(new string('x', 256)));
        Assert.NotNull(PasswordRules.Validate(new string('x', 257)));
    }

    [Fact]
    public void Length_counts_characters_as_people_see_them()
    {
        // Eleven accented letters, each written as a letter and a combining accent: 22 UTF-16 code units.
        var elevenLetters = string.Concat(Enumerable.Repeat("e\u0301", 11));

        Assert.NotNull(PasswordRules.Validate(elevenLetters));
        Assert.Null(PasswordRules.Validate(elevenLetters + "e\u0301"));
    }
}

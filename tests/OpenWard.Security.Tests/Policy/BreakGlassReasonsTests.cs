using OpenWard.Security.Policy;

namespace OpenWard.Security.Tests.Policy;

public class BreakGlassReasonsTests
{
    [Fact]
    public void The_list_has_the_five_reasons_in_order()
    {
        Assert.Equal(
            ["emergency-care", "unplanned-attendance", "covering-colleague", "safeguarding", "other"],
            BreakGlassReasons.All.Select(reason => reason.Code));
        Assert.Equal("https://openward.org/fhir/CodeSystem/break-glass-reason", BreakGlassReasons.System);
    }

    [Fact]
    public void Only_other_needs_free_text()
    {
        Assert.Equal(["other"], BreakGlassReasons.All.Where(reason => reason.RequiresText).Select(reason => reason.Code));
    }

    [Fact]
    public void TryGet_finds_a_reason_by_code()
    {
        Assert.True(BreakGlassReasons.TryGet("emergency-care", out var reason));
        Assert.Equal("Emergency care: the patient needs treatment now", reason.Display);
        Assert.False(BreakGlassReasons.TryGet("Emergency-Care", out _));
        Assert.False(BreakGlassReasons.TryGet(null, out _));
    }

    [Theory]
    [InlineData("emergency-care", null)]
    [InlineData("unplanned-attendance", "")]
    [InlineData("covering-colleague", "Covering Ward 7 nights")]
    [InlineData("safeguarding", null)]
    [InlineData("other", "Reviewing a complaint about care")]
    [InlineData("other", "1234567890")]
    public void Valid_reasons_pass(string code, string? freeText)
    {
        Assert.Null(BreakGlassReasons.Validate(code, freeText));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("curiosity", "I wanted to see")]
    [InlineData("other", null)]
    [InlineData("other", "too short")]
    [InlineData("other", "   123456789   ")] // nine characters once trimmed
    public void Invalid_reasons_give_a_message(string? code, string? freeText)
    {
        Assert.NotNull(BreakGlassReasons.Validate(code, freeText));
    }

    [Fact]
    public void Free_text_is_limited_to_500_characters()
    {
        Assert.Null(BreakGlassReasons.Validate("other", new string('a', 500)));
        Assert.NotNull(BreakGlassReasons.Validate("other", new string('a', 501)));
        Assert.NotNull(BreakGlassReasons.Validate("emergency-care", new string('a', 501)));
    }

    [Fact]
    public void A_grant_lasts_four_hours_by_default_and_twelve_at_most()
    {
        Assert.Equal(TimeSpan.FromHours(4), BreakGlassReasons.DefaultDuration);
        Assert.Equal(TimeSpan.FromHours(12), BreakGlassReasons.MaxDuration);
    }
}

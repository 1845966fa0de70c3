using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class NameSimilarityTests
{
    [Theory]
    [InlineData("Zoë", "zoe")]
    [InlineData("O'Brien", "OBRIEN")]
    [InlineData("Smith-Jones", "smith jones")]
    public void Case_accents_and_punctuation_are_ignored(string typed, string stored) =>
        Assert.True(NameSimilarity.AreClose(typed, stored));

    [Theory]
    [InlineData("Jonh", "John")] // two neighbours swapped
    [InlineData("Smyth", "Smith")] // one letter changed
    [InlineData("Phillips", "Philips")] // one letter added
    [InlineData("Macdonald", "Mcdonnald")] // two edits in a long name
    [InlineData("Chris", "Christopher")] // the start of the name
    public void Typical_slips_and_shortenings_are_close(string typed, string stored) =>
        Assert.True(NameSimilarity.AreClose(typed, stored));

    [Theory]
    [InlineData("Ann", "Anna")]
    [InlineData("Smith", "Smithers")]
    public void A_name_is_close_to_any_longer_name_it_starts_with_three_letters_or_more(string typed, string stored) =>
        Assert.True(NameSimilarity.AreClose(typed, stored));

    [Theory]
    [InlineData("Smith", "Jones")]
    [InlineData("Jo", "Al")]
    [InlineData("Brown", "Green")]
    [InlineData("Patel", "Pearl")]
    [InlineData("Li", "Lisa")] // a two-letter start is not enough
    public void Different_names_are_not_close(string typed, string stored) =>
        Assert.False(NameSimilarity.AreClose(typed, stored));

    [Theory]
    [InlineData("", "Smith")]
    [InlineData("  ", "Smith")]
    [InlineData(null, "Smith")]
    public void A_missing_name_is_close_to_nothing(string? typed, string stored) =>
        Assert.False(NameSimilarity.AreClose(typed, stored));

    [Fact]
    public void Two_letter_names_differing_by_one_letter_are_close_but_not_by_two()
    {
        Assert.True(NameSimilarity.AreClose("Al", "Ai"));
        Assert.False(NameSimilarity.AreClose("Al", "Jo"));
    }

    [Fact]
    public void A_person_is_close_with_given_and_family_names_swapped()
    {
        Assert.True(NameSimilarity.PeopleAreClose("Smith", "John", "Jon", "Smith"));
        Assert.True(NameSimilarity.PeopleAreClose("Jonh", "Smyth", "John", "Smith"));
        Assert.False(NameSimilarity.PeopleAreClose("John", "Smith", "John", "Jones"));
    }

    [Theory]
    [InlineData("abc", "abc", 0)]
    [InlineData("abc", "acb", 1)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    public void Edit_distance_counts_insertions_deletions_changes_and_swaps(string a, string b, int expected) =>
        Assert.Equal(expected, NameSimilarity.EditDistance(a, b));
}

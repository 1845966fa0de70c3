using Hl7.Fhir.Model;
using OpenWard.Web.Pages.Patients.Encounters;

namespace OpenWard.Web.Tests.Ui;

public sealed class BedBoardTests
{
    private static readonly Location Mine = new() { Id = "w1", Name = "Elm Ward" };
    private static readonly Location Other = new() { Id = "w2", Name = "Oak Ward" };
    private static readonly Location FreeBed = new() { Id = "w1-bed-2", Name = "Elm Ward bed 2" };

    private static readonly IReadOnlyList<WardBeds> Board = [new(Mine, BedsKnown: true, [FreeBed]), new(Other, BedsKnown: false, [])];

    [Fact]
    public void A_free_bed_of_the_users_ward_is_chosen_with_its_ward()
    {
        var place = BedBoard.Choose(Board, "w1-bed-2");

        Assert.Equal(new Placement(Mine, FreeBed), place);
        Assert.Equal("Elm Ward bed 2", place!.Name);
    }

    [Fact]
    public void Any_ward_may_be_chosen_with_no_bed_yet()
    {
        var place = BedBoard.Choose(Board, Board[1].WardOnlyValue);

        Assert.Equal(new Placement(Other, null), place);
        Assert.Equal("Oak Ward, no bed yet", place!.Name);
    }

    [Theory]
    [InlineData("w1-bed-1")] // taken, so not among the free beds
    [InlineData("w2-bed-1")] // a bed of a ward whose occupancy the user cannot see
    [InlineData("ward:w9")]
    [InlineData("w1")]
    public void Anything_not_offered_is_no_choice(string value) => Assert.Null(BedBoard.Choose(Board, value));
}

using OpenWard.Fhir.Search.Query;
using OpenWard.Storage.Search;

namespace OpenWard.Storage.Tests;

/// <summary>How the search chooses which criterion walks an index (the others are probed per row).</summary>
public class SearchSqlTests
{
    private static readonly SearchQueryParser Parser = new(OpenWard.Fhir.Search.SearchParameterRegistry.Default);

    [Fact]
    public void The_driver_is_the_candidate_with_the_fewest_estimated_rows()
    {
        Assert.Equal(4, SearchSql.PickDriver([2, 4], [1000, 149]));
        Assert.Equal(2, SearchSql.PickDriver([2, 4], [149, 1000]));
    }

    [Fact]
    public void On_a_tie_the_better_guess_drives()
    {
        Assert.Equal(2, SearchSql.PickDriver([2, 4, 0], [1000, 1000, 1000]));
    }

    [Fact]
    public void A_reference_and_a_token_are_both_measured_with_the_reference_guessed_first()
    {
        var query = Parser.Parse("Encounter", [new("status", "in-progress"), new("location", "Location/loc-ward-01")], lenient: false);

        Assert.Equal([1, 0], SearchSql.DriverCandidates(query));
    }

    [Fact]
    public void An_identifier_drives_without_measuring()
    {
        var query = Parser.Parse("Patient", [new("family", "smith"), new("identifier", "https://fhir.nhs.uk/Id/nhs-number|9434765919")], lenient: false);

        Assert.Empty(SearchSql.DriverCandidates(query));
    }

    [Fact]
    public void A_single_criterion_needs_no_measuring()
    {
        var query = Parser.Parse("Encounter", [new("status", "in-progress")], lenient: false);

        Assert.Empty(SearchSql.DriverCandidates(query));
    }
}

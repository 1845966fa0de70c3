using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search.Indexing;

public class StringIndexingTests
{
    [Fact]
    public void A_HumanName_gives_one_entry_per_part()
    {
        // Illustrative name.
        var patient = new Patient
        {
            Name =
            [
                new HumanName
                {
                    Family = "Smith",
                    Given = ["Richard", "John"],
                    Prefix = ["Mr"],
                    Suffix = ["MBE"],
                    Text = "Mr Richard John Smith MBE",
                },
            ],
        };

        var names = SharedIndexer.Instance.Extract(patient).Strings.Where(s => s.Param == "name").ToList();

        Assert.Equal(
            [
                new StringIndex("name", "smith", "Smith"),
                new StringIndex("name", "richard", "Richard"),
                new StringIndex("name", "john", "John"),
                new StringIndex("name", "mr", "Mr"),
                new StringIndex("name", "mbe", "MBE"),
                new StringIndex("name", "mr richard john smith mbe", "Mr Richard John Smith MBE"),
            ],
            names);
    }

    [Fact]
    public void Family_and_given_have_their_own_parameters()
    {
        var patient = new Patient { Name = [new HumanName { Family = "Smith", Given = ["Richard"] }] };

        var strings = SharedIndexer.Instance.Extract(patient).Strings;

        Assert.Equal([new StringIndex("family", "smith", "Smith")], strings.Where(s => s.Param == "family"));
        Assert.Equal([new StringIndex("given", "richard", "Richard")], strings.Where(s => s.Param == "given"));
    }

    [Fact]
    public void An_Address_gives_one_entry_per_line_and_part()
    {
        // Illustrative address.
        var patient = new Patient
        {
            Address =
            [
                new Address
                {
                    Line = ["Flat 2", "4 Sandmoor Drive"],
                    City = "Leeds",
                    District = "West Yorkshire",
                    State = "England",
                    PostalCode = "LS17 7DF",
                    Country = "GB",
                    Text = "Flat 2, 4 Sandmoor Drive, Leeds",
                },
            ],
        };

        var strings = SharedIndexer.Instance.Extract(patient).Strings;

        Assert.Equal(
            ["flat 2", "4 sandmoor drive", "leeds", "west yorkshire", "england", "ls17 7df", "gb", "flat 2, 4 sandmoor drive, leeds"],
            strings.Where(s => s.Param == "address").Select(s => s.Normalized));
        Assert.Equal([new StringIndex("address-postalcode", "ls17 7df", "LS17 7DF")], strings.Where(s => s.Param == "address-postalcode"));
        Assert.Equal([new StringIndex("address-city", "leeds", "Leeds")], strings.Where(s => s.Param == "address-city"));
    }

    [Fact]
    public void Strings_are_normalised_without_case_or_accents_and_kept_exact()
    {
        var patient = new Patient { Name = [new HumanName { Family = "Brontë", Given = ["Zoë"] }] };

        var given = Assert.Single(SharedIndexer.Instance.Extract(patient).Strings, s => s.Param == "given");

        Assert.Equal("zoe", given.Normalized);
        Assert.Equal("Zoë", given.Exact);
    }

    [Fact]
    public void Plain_string_and_markdown_elements_are_strings()
    {
        var organization = new Organization { Name = "Leeds Teaching Hospitals NHS Trust", Alias = ["LTHT"] };
        var questionnaire = new Questionnaire { Status = PublicationStatus.Active, Description = new Markdown("Fitness for **work**") };

        var organizationStrings = SharedIndexer.Instance.Extract(organization).Strings;
        var questionnaireStrings = SharedIndexer.Instance.Extract(questionnaire).Strings;

        Assert.Contains(new StringIndex("name", "leeds teaching hospitals nhs trust", "Leeds Teaching Hospitals NHS Trust"), organizationStrings);
        Assert.Contains(new StringIndex("name", "ltht", "LTHT"), organizationStrings);
        Assert.Contains(new StringIndex("description", "fitness for **work**", "Fitness for **work**"), questionnaireStrings);
    }

    [Fact]
    public void Blank_parts_give_no_entries()
    {
        var patient = new Patient { Name = [new HumanName { Family = "   ", Given = ["Ann"] }] };

        var names = SharedIndexer.Instance.Extract(patient).Strings.Where(s => s.Param == "name").ToList();

        Assert.Equal([new StringIndex("name", "ann", "Ann")], names);
    }
}

using Hl7.Fhir.Model;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class DuplicateCheckTests
{
    private const string NhsSystem = "https://fhir.nhs.uk/Id/nhs-number";

    private static readonly DuplicateCheck.Details Typed = new("Jonh", "Quixley", new DateOnly(1961, 7, 14), "ls1 4ap", "9434765919");

    private static Patient Person(string id, string given, string family, string born, string postcode, string? nhs = null)
    {
        var patient = new Patient
        {
            Id = id,
            Name = [new HumanName { Family = family, Given = [given] }],
            BirthDate = born,
            Address = [new Address { PostalCode = postcode }],
        };
        if (nhs is not null)
        {
            patient.Identifier.Add(new Identifier(NhsSystem, nhs));
        }

        return patient;
    }

    [Fact]
    public void The_same_nhs_number_is_a_duplicate_whatever_the_name()
    {
        var match = Assert.Single(DuplicateCheck.Find(Typed, [Person("a", "Mary", "Other", "1990-01-01", "ZZ9 9ZZ", "9434765919")]));

        Assert.Equal("a", match.Patient.Id);
        Assert.Equal(DuplicateKind.SameNhsNumber, match.Kind);
    }

    [Fact]
    public void A_close_name_with_the_same_birth_date_and_postcode_is_a_similar_person()
    {
        var match = Assert.Single(DuplicateCheck.Find(Typed, [Person("b", "John", "Quixley", "1961-07-14", "LS1 4AP")]));

        Assert.Equal(DuplicateKind.SimilarPerson, match.Kind);
    }

    [Theory]
    [InlineData("John", "Quixley", "1961-07-15", "LS1 4AP")] // another birth date
    [InlineData("John", "Quixley", "1961-07-14", "LS2 4AP")] // another postcode
    [InlineData("Peter", "Quixley", "1961-07-14", "LS1 4AP")] // a different given name: a relative, perhaps
    public void A_person_who_differs_in_birth_date_postcode_or_name_is_not_offered(string given, string family, string born, string postcode) =>
        Assert.Empty(DuplicateCheck.Find(Typed, [Person("c", given, family, born, postcode)]));

    [Fact]
    public void Same_nhs_number_comes_first_and_each_patient_once()
    {
        var similar = Person("s", "John", "Quixley", "1961-07-14", "LS14AP");
        var same = Person("n", "John", "Quixley", "1961-07-14", "LS1 4AP", "9434765919");

        var matches = DuplicateCheck.Find(Typed, [similar, same, same]);

        Assert.Equal(["n", "s"], matches.Select(m => m.Patient.Id));
        Assert.Equal([DuplicateKind.SameNhsNumber, DuplicateKind.SimilarPerson], matches.Select(m => m.Kind));
    }

    [Fact]
    public void A_record_already_merged_into_another_is_not_offered()
    {
        var merged = Person("m", "John", "Quixley", "1961-07-14", "LS1 4AP", "9434765919");
        merged.Active = false;
        merged.Link.Add(new Patient.LinkComponent { Type = Patient.LinkType.ReplacedBy, Other = new ResourceReference("Patient/target") });

        Assert.Empty(DuplicateCheck.Find(Typed, [merged]));
    }

    [Fact]
    public void Without_an_nhs_number_only_the_birth_date_is_searched()
    {
        var searches = DuplicateCheck.Searches(Typed with { NhsNumber = null });

        var search = Assert.Single(searches);
        Assert.Equal([new("birthdate", "1961-07-14")], search);
    }

    [Fact]
    public void With_an_nhs_number_it_is_searched_as_well_as_the_birth_date()
    {
        var searches = DuplicateCheck.Searches(Typed);

        Assert.Equal(2, searches.Count);
        Assert.Equal([new("identifier", NhsSystem + "|9434765919")], searches[0]);
        Assert.Equal([new("birthdate", "1961-07-14")], searches[1]);
    }
}

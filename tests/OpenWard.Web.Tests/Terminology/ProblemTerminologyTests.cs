using OpenWard.Web.Terminology;

namespace OpenWard.Web.Tests.Terminology;

public sealed class ProblemTerminologyTests
{
    private static readonly ProblemTerminology Subset = ProblemTerminology.Subset();

    [Fact]
    public void The_repositorys_subset_loads_with_the_demo_conditions()
    {
        Assert.True(Subset.Count >= 20);
        Assert.Equal("Diabetes mellitus type 2", Subset.Find("44054006")?.Term);
        Assert.Null(Subset.Find("0"));
    }

    [Fact]
    public void Every_demo_condition_is_in_the_subset_with_its_term()
    {
        // The subset cites the demo data as a source: a demo patient's problem must be findable by its own term.
        foreach (var condition in OpenWard.DemoData.Vocabulary.ClinicalCodes.Conditions)
        {
            Assert.Equal(condition.Code.Display, Subset.Find(condition.Code.Code)?.Term);
            Assert.Contains(Subset.Search(condition.Code.Display, 5), match => match.Concept.Code == condition.Code.Code);
        }
    }

    [Theory]
    [InlineData("diab", "44054006")]
    [InlineData("TYPE 2 diab", "44054006")]
    [InlineData("hypert", "38341003")]
    [InlineData("covid", "840539006")]
    public void Words_match_the_start_of_words_in_any_order_and_case(string text, string code)
    {
        Assert.Equal(code, Assert.Single(Subset.Search(text, 10)).Concept.Code);
    }

    [Fact]
    public void Every_word_must_match_and_a_word_inside_another_does_not()
    {
        Assert.Empty(Subset.Search("diabetes asthma", 10));
        Assert.Empty(Subset.Search("abetes", 10));
        Assert.Empty(Subset.Search("  ,; ", 10));
    }

    [Fact]
    public void Accents_are_ignored_and_other_terms_match_with_the_preferred_term_ranked_first()
    {
        var terms = Parse("# test\n1001\tMénière's disease\tEndolymphatic hydrops\n1002\tHydrops fetalis\n");

        Assert.Equal("1001", Assert.Single(terms.Search("meniere", 5)).Concept.Code);
        var hydrops = terms.Search("hydrops", 5);
        Assert.Equal(["1002", "1001"], hydrops.Select(m => m.Concept.Code));
        Assert.Equal("Endolymphatic hydrops", hydrops[1].MatchedTerm);
    }

    [Fact]
    public void The_words_must_all_be_in_one_term_and_a_concept_is_listed_once_with_its_best_term()
    {
        var terms = Parse("22298006\tMyocardial infarction\tHeart attack\tAcute myocardial infarction\n");

        Assert.Empty(terms.Search("heart infarction", 5));
        var match = Assert.Single(terms.Search("myocard", 5));
        Assert.Equal("Myocardial infarction", match.MatchedTerm);
        Assert.Equal("Heart attack", Assert.Single(terms.Search("heart att", 5)).MatchedTerm);
    }

    [Fact]
    public void Results_are_limited_and_shorter_terms_come_first()
    {
        var terms = Parse("1\tPain of ear\n2\tPain\n3\tPain in left knee\n");

        Assert.Equal(["2", "1"], terms.Search("pain", 2).Select(m => m.Concept.Code));
    }

    [Fact]
    public void A_malformed_line_is_refused_with_its_number()
    {
        var error = Assert.Throws<FormatException>(() => Parse("# ok\n123\tFine\nnot-a-code\tBad\n"));

        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        var writer = new StringWriter();
        ProblemTerminology.Write([new ProblemConcept("22298006", "Myocardial infarction", ["Heart attack", "MI"])], "written by a test", writer);

        var read = Parse(writer.ToString());

        Assert.Equal(["Heart attack", "MI"], read.Find("22298006")!.OtherTerms);
        Assert.Equal("22298006", Assert.Single(read.Search("heart att", 5)).Concept.Code);
    }

    [Fact]
    public void The_data_folders_import_is_used_when_there_is_one()
    {
        var folder = Directory.CreateTempSubdirectory("openward-terms-");
        try
        {
            Assert.Equal(Subset.Count, ProblemTerminology.Load(folder.FullName).Count);
            Directory.CreateDirectory(Path.Combine(folder.FullName, "terminology"));
            File.WriteAllText(Path.Combine(folder.FullName, ProblemTerminology.ImportedFile), "# imported\n9\tOnly one\n");

            var loaded = ProblemTerminology.Load(folder.FullName);

            Assert.Equal(1, loaded.Count);
            Assert.Contains("imported", loaded.Source, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static ProblemTerminology Parse(string text) => ProblemTerminology.Parse(new StringReader(text), "test");
}

using OpenWard.Fhir.Search;


namespace OpenWard.Fhir.Tests.Search;

public class SearchTextTests
{
    [Theory]
    [InlineData("Zoë", "zoe")]
    [InlineData("ZOË", "zoe")]
    [InlineData("Élodie Ångström", "elodie angstrom")]
    [InlineData("Siân Ó Briain", "sian o briain")]
    [InlineData("  Mary \t Anne\n ", "mary anne")]
    [InlineData("o'brien-smith", "o'brien-smith")]
    [InlineData("", "")]
    public void Text_is_lower_case_without_accents_and_with_single_spaces(string written, string normalized)
    {
        Assert.Equal(normalized, SearchText.Normalize(written));
    }

    [Fact]
    public void Precomposed_and_decomposed_accents_normalise_alike()
    {
        Assert.Equal(SearchText.Normalize("Zo\u00EB"), SearchText.Normalize("Zoe\u0308"));
    }

    [Fact]
    public void Long_text_is_normalised_whole()
    {
        var written = string.Concat(Enumerable.Repeat("Crème Brûlée ", 100));

        Assert.Equal(string.Concat(Enumerable.Repeat("creme brulee ", 100)).TrimEnd(), SearchText.Normalize(written));
    }
}

using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search;

public class SearchTextQueryValueTests
{
    [Fact]
    public void Normalize_lowers_case() => Assert.Equal("smith", SearchText.Normalize("SMITH"));

    [Fact]
    public void Normalize_removes_accents() => Assert.Equal("jose francois muller", SearchText.Normalize("José François Müller"));

    [Fact]
    public void Normalize_collapses_and_trims_whitespace() => Assert.Equal("mary ann", SearchText.Normalize("  Mary \t\n Ann  "));

    [Fact]
    public void Normalize_keeps_letters_that_are_not_accented_forms() => Assert.Equal("øystein straße", SearchText.Normalize("Øystein Straße"));

    [Fact]
    public void Normalize_keeps_scripts_that_decompose_without_accents() => Assert.Equal("김민준", SearchText.Normalize("김민준"));

    [Fact]
    public void Normalize_of_only_whitespace_is_empty() => Assert.Equal("", SearchText.Normalize(" \t "));
}

using OpenWard.Clinical.Medicines;

namespace OpenWard.Clinical.Tests.Medicines;

public sealed class FormularyTests
{
    private const string OneMedicine = """
        {
          "format": "openward-formulary", "formatVersion": 2, "version": "test-1",
          "medicines": [
            { "id": "paracetamol", "name": "Paracetamol", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg" }
          ]
        }
        """;

    [Fact]
    public void The_starter_formulary_loads_from_the_output_folder_and_says_it_is_illustrative()
    {
        var formulary = Formulary.Load(Formulary.StarterPath);

        Assert.True(formulary.Medicines.Count >= 15);
        Assert.False(string.IsNullOrWhiteSpace(formulary.Version));
        Assert.Contains("ILLUSTRATIVE", File.ReadAllText(Formulary.StarterPath), StringComparison.Ordinal);
        Assert.Equal(["amoxicillin", "clavulanic acid"], formulary.FindById("co-amoxiclav")!.Ingredients.Select(i => i.Name));
        Assert.Equal(["codeine", "paracetamol"], formulary.FindById("co-codamol")!.Ingredients.Select(i => i.Name));
        Assert.All(formulary.Medicines.SelectMany(m => m.DmdCodes), c => Assert.False(string.IsNullOrWhiteSpace(c.Source)));
    }

    [Fact]
    public void A_minimal_valid_file_parses()
    {
        var formulary = Formulary.Parse(OneMedicine);

        Assert.Equal("test-1", formulary.Version);
        Assert.Equal("mg", formulary.FindById("paracetamol")!.DoseUnit);
        Assert.Empty(formulary.FindById("paracetamol")!.Synonyms);
    }

    [Fact]
    public void A_duplicate_id_is_refused_naming_the_id()
    {
        var json = OneMedicine.Replace("""{ "id": "paracetamol", "name": "Paracetamol", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg" }""",
            """
            { "id": "paracetamol", "name": "Paracetamol", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg" },
            { "id": "paracetamol", "name": "Acetaminophen", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg" }
            """, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidFormularyException>(() => Formulary.Parse(json));

        Assert.Contains(error.Problems, p => p.Contains("'paracetamol'", StringComparison.Ordinal) && p.Contains("more than once", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("mcg")]
    [InlineData("IU")]
    [InlineData("tablet")]
    public void A_dose_unit_that_is_not_a_known_UCUM_unit_is_refused(string unit)
    {
        var error = Assert.Throws<InvalidFormularyException>(() => Formulary.Parse(OneMedicine.Replace("\"doseUnit\": \"mg\"", $"\"doseUnit\": \"{unit}\"", StringComparison.Ordinal)));

        Assert.Contains(error.Problems, p => p.Contains($"'{unit}'", StringComparison.Ordinal) && p.Contains("UCUM", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_ingredients_are_refused()
    {
        var error = Assert.Throws<InvalidFormularyException>(() => Formulary.Parse(OneMedicine.Replace("[{ \"name\": \"paracetamol\" }]", "[]", StringComparison.Ordinal)));

        Assert.Contains(error.Problems, p => p.Contains("ingredients", StringComparison.Ordinal));
    }

    [Fact]
    public void Another_format_version_is_refused_rather_than_half_read()
    {
        var error = Assert.Throws<InvalidFormularyException>(() => Formulary.Parse(OneMedicine.Replace("\"formatVersion\": 2", "\"formatVersion\": 1", StringComparison.Ordinal)));

        Assert.Contains(error.Problems, p => p.Contains("formatVersion", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var json = """
            { "format": "openward-formulary", "formatVersion": 2, "version": "x",
              "medicines": [ { "id": "a", "name": "A", "ingredients": [], "doseUnit": "mcg" }, { "id": "b", "ingredients": [{ "name": "b" }], "doseUnit": "mg" } ] }
            """;

        var error = Assert.Throws<InvalidFormularyException>(() => Formulary.Parse(json));

        Assert.Equal(3, error.Problems.Count);
    }

    [Fact]
    public void A_dmd_code_without_a_source_is_refused()
    {
        var json = OneMedicine.Replace("\"doseUnit\": \"mg\"", "\"doseUnit\": \"mg\", \"dmdCodes\": [{ \"code\": \"322236009\" }]", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidFormularyException>(() => Formulary.Parse(json));

        Assert.Contains(error.Problems, p => p.Contains("source", StringComparison.Ordinal));
    }

    [Fact]
    public void A_synonym_naming_two_medicines_is_refused()
    {
        var json = OneMedicine.Replace("""{ "id": "paracetamol", "name": "Paracetamol", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg" }""",
            """
            { "id": "paracetamol", "name": "Paracetamol", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg" },
            { "id": "ibuprofen", "name": "Ibuprofen", "synonyms": ["Paracetamol"], "ingredients": [{ "name": "ibuprofen" }], "doseUnit": "mg" }
            """, StringComparison.Ordinal);

        var error = Assert.Throws<InvalidFormularyException>(() => Formulary.Parse(json));

        Assert.Contains(error.Problems, p => p.Contains("'paracetamol'", StringComparison.Ordinal) && p.Contains("also names", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_JSON_and_a_missing_file_give_clear_errors()
    {
        Assert.Contains("not valid JSON", Assert.Throws<InvalidFormularyException>(() => Formulary.Parse("{ nope")).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<InvalidFormularyException>(() => Formulary.Load("/nowhere/formulary.json")).Message, StringComparison.Ordinal);
    }
}

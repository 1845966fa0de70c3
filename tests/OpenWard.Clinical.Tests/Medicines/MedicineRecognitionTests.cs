using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using static OpenWard.Clinical.Tests.Medicines.Prescriptions;

namespace OpenWard.Clinical.Tests.Medicines;

public sealed class MedicineRecognitionTests
{
    private static readonly MedicineRecognition Recognition = new(Starter.Value);

    [Theory]
    [InlineData("https://dmd.nhs.uk")]
    [InlineData("http://snomed.info/sct")]
    public void A_dmd_code_in_the_formulary_is_recognised_without_any_text(string system)
    {
        var result = Recognition.Recognise(Coded(new Coding(system, "39732411000001106")));

        Assert.Equal("amoxicillin", result.Medicine?.Id);
        Assert.Equal(RecognisedBy.DmdCode, result.By);
        Assert.Equal(["amoxicillin"], result.Ingredients.Select(i => i.Name));
    }

    [Fact]
    public void A_code_from_another_system_is_not_read_as_dmd()
    {
        var result = Recognition.Recognise(Coded(new Coding("http://example.org/drugs", "39732411000001106")));

        Assert.False(result.IsRecognised);
    }

    [Fact]
    public void A_code_the_formulary_does_not_hold_falls_back_to_the_name()
    {
        var result = Recognition.Recognise(Named("Amoxicillin 250mg capsules", new Coding("https://dmd.nhs.uk", "1")));

        Assert.Equal("amoxicillin", result.Medicine?.Id);
        Assert.Equal(RecognisedBy.Name, result.By);
    }

    [Fact]
    public void A_name_that_contradicts_the_code_is_not_recognised()
    {
        var result = Recognition.Recognise(Named("Paracetamol 500mg tablets", new Coding("https://dmd.nhs.uk", "39732411000001106")));

        Assert.False(result.IsRecognised);
        Assert.Contains("Paracetamol", result.NotRecognisedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_says_more_than_the_code_is_not_recognised()
    {
        var result = Recognition.Recognise(Named("Amoxicillin 500mg with clavulanic acid", new Coding("https://dmd.nhs.uk", "39732411000001106")));

        Assert.False(result.IsRecognised);
        Assert.Contains("clavulanic acid", result.NotRecognisedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_code_with_a_matching_name_is_recognised_by_the_code()
    {
        var result = Recognition.Recognise(Named("Amoxicillin 500mg capsules", new Coding("http://snomed.info/sct", "39732411000001106", "Amoxicillin 500mg capsules")));

        Assert.Equal("amoxicillin", result.Medicine?.Id);
        Assert.Equal(RecognisedBy.DmdCode, result.By);
        Assert.Equal("39732411000001106", result.MatchedText);
    }

    [Theory]
    [InlineData("Amoxicillin 500mg capsules", "amoxicillin")]
    [InlineData("AMOXICILLIN", "amoxicillin")]
    [InlineData("warfarin 1mg tablets", "warfarin")]
    [InlineData("Potassium chloride 600mg modified-release tablets", "potassium-chloride")]
    [InlineData("Insulin aspart 100units/mL solution for injection", "insulin")]
    public void A_name_is_recognised_whatever_the_case_and_the_words_around_it(string text, string id)
    {
        var result = Recognition.Recognise(Named(text));

        Assert.Equal(id, result.Medicine?.Id);
        Assert.Equal(RecognisedBy.Name, result.By);
    }

    [Theory]
    [InlineData("Morphine sulfate 10mg/5ml oral solution", "morphine")]
    [InlineData("Amoxicillin sodium 1g powder for solution for injection", "amoxicillin")]
    [InlineData("Gentamicin sulphate 80mg/2ml", "gentamicin")]
    public void A_salt_is_recognised_as_its_medicine(string text, string id)
    {
        Assert.Equal(id, Recognition.Recognise(Named(text)).Medicine?.Id);
    }

    [Theory]
    [InlineData("Clexane 40mg/0.4ml", "enoxaparin")]
    [InlineData("Augmentin 625mg tablets", "co-amoxiclav")]
    [InlineData("Oramorph 10mg/5ml", "morphine")]
    [InlineData("Ventolin Evohaler", "salbutamol")]
    public void A_brand_is_recognised_as_its_medicine(string text, string id)
    {
        Assert.Equal(id, Recognition.Recognise(Named(text)).Medicine?.Id);
    }

    [Fact]
    public void A_name_in_a_coding_display_is_read_when_there_is_no_text()
    {
        var result = Recognition.Recognise(Coded(new Coding("http://example.org/drugs", "x", "Propranolol 40mg tablets")));

        Assert.Equal("propranolol", result.Medicine?.Id);
    }

    [Theory]
    [InlineData("Co-amoxiclav 500mg/125mg tablets", "co-amoxiclav", new[] { "amoxicillin", "clavulanic acid" })]
    [InlineData("Amoxicillin and clavulanic acid 875/125", "co-amoxiclav", new[] { "amoxicillin", "clavulanic acid" })]
    [InlineData("Co-codamol 30mg/500mg tablets", "co-codamol", new[] { "codeine", "paracetamol" })]
    [InlineData("Paracetamol with codeine", "co-codamol", new[] { "codeine", "paracetamol" })]
    [InlineData("Co-amoxiclav (amoxicillin 500mg, clavulanic acid 125mg) tablets", "co-amoxiclav", new[] { "amoxicillin", "clavulanic acid" })]
    [InlineData("Co-codamol 8/500 (codeine 8mg, paracetamol 500mg)", "co-codamol", new[] { "codeine", "paracetamol" })]
    public void A_combination_product_resolves_to_all_its_ingredients(string text, string id, string[] ingredients)
    {
        var result = Recognition.Recognise(Named(text));

        Assert.Equal(id, result.Medicine?.Id);
        Assert.Equal(ingredients, result.Ingredients.Select(i => i.Name));
        Assert.True(result.Medicine!.IsCombination);
    }

    [Fact]
    public void A_medicine_named_alongside_an_ingredient_it_lacks_is_not_guessed()
    {
        var result = Recognition.Recognise(Named("Paracetamol 500mg plus codeine 8mg"));

        Assert.False(result.IsRecognised);
        Assert.Contains("codeine", result.NotRecognisedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_medicines_in_one_text_are_not_guessed()
    {
        var result = Recognition.Recognise(Named("Warfarin or heparin"));

        Assert.False(result.IsRecognised);
        Assert.Contains("more than one medicine", result.NotRecognisedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_and_display_naming_different_medicines_are_not_guessed()
    {
        var result = Recognition.Recognise(Named("Ibuprofen 400mg tablets", new Coding("http://example.org/drugs", "x", "Propranolol 40mg tablets")));

        Assert.False(result.IsRecognised);
    }

    [Theory]
    [InlineData("Ezogabine 50mg tablets", "names no medicine")]
    [InlineData("Clavulanic acid 125mg", "ingredient clavulanic acid")]
    [InlineData("Amoxicillinx 500mg", "names no medicine")]
    public void A_medicine_outside_the_formulary_is_not_recognised_with_the_reason(string text, string reason)
    {
        var result = Recognition.Recognise(Named(text));

        Assert.False(result.IsRecognised);
        Assert.Empty(result.Ingredients);
        Assert.Contains(reason, result.NotRecognisedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reference_to_a_separate_medication_is_reported_as_not_read()
    {
        var result = Recognition.Recognise(new MedicationRequest { Medication = new ResourceReference("Medication/med1") });

        Assert.False(result.IsRecognised);
        Assert.Contains("medicationReference", result.NotRecognisedReason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_contained_medication_is_read_by_its_code()
    {
        var request = new MedicationRequest
        {
            Medication = new ResourceReference("#med1"),
            Contained = [new Medication { Id = "med1", Code = new CodeableConcept { Text = "Warfarin 1mg tablets" } }],
        };

        Assert.Equal("warfarin", Recognition.Recognise(request).Medicine?.Id);
        Assert.False(Recognition.Recognise(new MedicationRequest { Medication = new ResourceReference("#missing") }).IsRecognised);
    }

    [Fact]
    public void A_request_with_no_medicine_is_not_recognised()
    {
        Assert.False(Recognition.Recognise(new MedicationRequest()).IsRecognised);
        Assert.False(Recognition.Recognise(Coded()).IsRecognised);
    }
}

using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Clinical.Tests.Medicines.Checks;

/// <summary>The allergy check and the honest list of what is not checked, over the starter formulary.</summary>
public sealed class MedicationChecksTests
{
    private static readonly MedicationChecks Checks = new(Prescriptions.Starter.Value);

    [Theory]
    [InlineData("Amoxicillin 500mg capsules", "Penicillin", "amoxicillin")] // by class
    [InlineData("Co-amoxiclav 625mg tablets", "Penicillins", "amoxicillin")] // a combination product, plural class
    [InlineData("Co-amoxiclav 625mg tablets", "Amoxicillin", "amoxicillin")] // by ingredient
    [InlineData("Co-codamol 30/500 tablets", "Paracetamol", "paracetamol")]
    [InlineData("Morphine sulfate 10mg/5ml oral solution", "morphine", "morphine")]
    public void An_order_containing_what_the_patient_is_allergic_to_raises_an_interruptive_allergy_warning(string order, string allergy, string ingredient)
    {
        var result = Checks.Run(Prescriptions.Named(order), new PatientContext { Allergies = [Allergy("a1", allergy)] });

        var alert = Assert.Single(result.Alerts);
        Assert.Equal(CheckCategory.Allergy, alert.Category);
        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.Contains(ingredient, alert.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["AllergyIntolerance/a1"], alert.Conflicting);
        Assert.True(alert.Summary.Length <= 140);
    }

    [Theory]
    [InlineData("Paracetamol 500mg tablets", "Penicillin")]
    [InlineData("Ibuprofen 400mg tablets", "Amoxicillin")]
    [InlineData("Gentamicin 80mg/2ml injection", "Penicillin")]
    public void An_order_unrelated_to_the_allergy_raises_no_alert(string order, string allergy)
    {
        var result = Checks.Run(Prescriptions.Named(order), new PatientContext { Allergies = [Allergy("a1", allergy)] });

        Assert.DoesNotContain(result.Alerts, a => a.Category == CheckCategory.Allergy);
    }

    [Theory]
    [InlineData("refuted")]
    [InlineData("entered-in-error")]
    public void A_refuted_or_mistaken_allergy_raises_no_alert(string verification)
    {
        var allergy = Allergy("a1", "Penicillin");
        allergy.VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", verification);

        Assert.Empty(Checks.Run(Prescriptions.Named("Amoxicillin 500mg capsules"), new PatientContext { Allergies = [allergy] }).Alerts);
    }

    [Fact]
    public void An_inactive_allergy_and_a_no_known_allergies_statement_raise_no_alert()
    {
        var inactive = Allergy("a1", "Penicillin");
        inactive.ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "inactive");
        var none = new AllergyIntolerance { Id = "a2", Code = new CodeableConcept("http://snomed.info/sct", "716186003", "No known allergy") };

        Assert.Empty(Checks.Run(Prescriptions.Named("Amoxicillin 500mg capsules"), new PatientContext { Allergies = [inactive, none] }).Alerts);
    }

    [Fact]
    public void An_allergy_without_a_substance_is_reported_as_not_compared()
    {
        var result = Checks.Run(Prescriptions.Named("Amoxicillin 500mg capsules"), new PatientContext { Allergies = [new AllergyIntolerance { Id = "blank" }] });

        Assert.Empty(result.Alerts);
        Assert.Contains(result.NotChecked, n => n.Category == CheckCategory.Allergy && n.Reason.Contains("AllergyIntolerance/blank", StringComparison.Ordinal));
    }

    [Fact]
    public void A_record_that_could_not_be_read_is_reported_as_not_checked_never_passed_over()
    {
        var unread = Enum.GetValues<PatientData>().ToDictionary(d => d, d => $"{d} withheld");
        var result = Checks.Run(Prescriptions.Named("Paracetamol 500mg tablets"), new PatientContext { NotRead = unread });

        Assert.Empty(result.Alerts);
        var categories = result.NotChecked.Select(n => n.Category).ToHashSet();
        foreach (var category in new[] { CheckCategory.Allergy, CheckCategory.Route, CheckCategory.Interaction, CheckCategory.Duplication, CheckCategory.SingleDose, CheckCategory.DailyDose, CheckCategory.Age, CheckCategory.Renal, CheckCategory.Condition, CheckCategory.Lab })
        {
            Assert.Contains(category, categories);
        }

        Assert.DoesNotContain(result.Passed, p => p.Category is CheckCategory.Allergy or CheckCategory.Interaction or CheckCategory.Duplication);
    }

    [Fact]
    public void A_medicine_the_formulary_does_not_recognise_is_checked_for_nothing_and_says_so()
    {
        var result = Checks.Run(Prescriptions.Named("Unobtainium 5mg tablets"), new PatientContext { Allergies = [Allergy("a1", "Penicillin")] });

        Assert.Empty(result.Alerts);
        var reason = Assert.Single(result.NotChecked);
        Assert.Equal(CheckCategory.NotChecked, reason.Category);
        Assert.StartsWith("Nothing was checked", reason.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CheckCategory.SingleDose, "single-dose")]
    [InlineData(CheckCategory.DailyDose, "daily-dose")]
    [InlineData(CheckCategory.NotChecked, "not-checked")]
    [InlineData(CheckCategory.Allergy, "allergy")]
    public void Categories_have_the_codes_the_cards_carry(CheckCategory category, string code) =>
        Assert.Equal(code, CheckCodes.Of(category));

    private static AllergyIntolerance Allergy(string id, string substance) => new()
    {
        Id = id,
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
        Code = new CodeableConcept { Text = substance },
        Patient = new ResourceReference("Patient/p"),
    };
}

using OpenWard.Clinical.Medicines;

namespace OpenWard.Clinical.Tests.Medicines;

/// <summary>The illustrative starter formulary: it loads, is large enough, flags every high-alert class and has rules for the medicines that matter most.</summary>
public sealed class StarterFormularyTests
{
    private static Formulary Starter => Prescriptions.Starter.Value;

    [Fact]
    public void It_loads_says_it_is_illustrative_and_holds_at_least_150_medicines()
    {
        var formulary = Formulary.Load(Formulary.StarterPath);

        Assert.True(formulary.Medicines.Count >= 150, $"only {formulary.Medicines.Count} medicines");
        Assert.Equal("illustrative", formulary.Knowledge.Approval.Status);
        Assert.False(formulary.Knowledge.Approval.IsApproved);
        // Five times a maximum: a ten-fold slip from any dose of at least half the maximum (docs/implementation/formulary.md).
        Assert.Equal(5m, formulary.Knowledge.Defaults.HardStopFactor);
    }

    [Theory]
    [InlineData("anticoagulant", new[] { "warfarin", "heparin", "enoxaparin", "dalteparin", "tinzaparin", "apixaban", "rivaroxaban", "edoxaban", "dabigatran", "fondaparinux" })]
    [InlineData("insulin", new[] { "insulin" })]
    [InlineData("opioid", new[] { "morphine", "oxycodone", "fentanyl", "diamorphine", "tramadol", "buprenorphine", "hydromorphone", "methadone", "pethidine", "co-codamol" })]
    [InlineData("concentrated electrolyte", new[] { "potassium-chloride" })]
    [InlineData("oral methotrexate", new[] { "methotrexate" })]
    [InlineData("chemotherapy", new[] { "vincristine", "vinblastine", "cyclophosphamide", "cisplatin" })]
    [InlineData("neuromuscular blocker", new[] { "suxamethonium", "rocuronium", "atracurium" })]
    public void Every_high_alert_class_is_flagged_on_its_medicines(string highAlert, string[] ids)
    {
        foreach (var id in ids)
        {
            Assert.Equal(highAlert, Starter.FindById(id)?.Rules.HighAlert);
        }
    }

    [Theory]
    [InlineData("enoxaparin")]
    [InlineData("dalteparin")]
    [InlineData("heparin")]
    [InlineData("apixaban")]
    [InlineData("morphine")]
    [InlineData("methotrexate")]
    [InlineData("vincristine")]
    [InlineData("potassium-chloride")]
    [InlineData("gentamicin")]
    [InlineData("vancomycin")]
    [InlineData("paracetamol")]
    [InlineData("amoxicillin")]
    [InlineData("propranolol")]
    [InlineData("metformin")]
    [InlineData("digoxin")]
    [InlineData("simvastatin")]
    [InlineData("clarithromycin")]
    public void Important_medicines_have_dose_rules_each_with_a_source(string id)
    {
        var medicine = Starter.FindById(id);

        Assert.NotNull(medicine);
        Assert.NotEmpty(medicine.Rules.Doses);
        Assert.All(medicine.Rules.Doses, rule => Assert.False(string.IsNullOrWhiteSpace(rule.Source)));
    }

    [Fact]
    public void Medicines_without_dose_limits_have_their_relevant_rule()
    {
        Assert.Equal(Clinical.Medicines.Checks.AlertSeverity.HardStop, Starter.FindById("insulin")!.Rules.WrongUnitSeverity);
        Assert.Contains(Starter.FindById("warfarin")!.Rules.Labs, r => r.Test == "inr" && r.Above == 5);
        Assert.NotEmpty(Starter.FindById("lithium")!.Rules.Monitoring);
        Assert.Contains(Starter.FindById("vincristine")!.Rules.Routes, r => r.Route == "intrathecal" && r.Severity == Clinical.Medicines.Checks.AlertSeverity.HardStop);
        Assert.Contains(Starter.FindById("methotrexate")!.Rules.Doses, r => r.Frequency is { MaxPerWeek: 1 } f && f.Severity == Clinical.Medicines.Checks.AlertSeverity.HardStop);
    }

    [Theory]
    [InlineData("penicillin", "cephalosporin")]
    [InlineData("penicillin", "carbapenem")]
    public void Penicillin_allergy_alerts_on_related_beta_lactams(string allergy, string alsoAlerts)
    {
        Assert.Contains(Starter.Knowledge.CrossSensitivity, r => r.Allergy == allergy && r.AlsoAlerts == alsoAlerts);
    }

    [Fact]
    public void Propranolol_is_a_non_selective_beta_blocker_with_an_asthma_rule()
    {
        var propranolol = Starter.FindById("propranolol")!;

        Assert.Equal("non-selective beta-blocker", Assert.Single(propranolol.Ingredients).Class);
        Assert.Contains(propranolol.Rules.Conditions, r => r.Snomed?.Contains("195967001") == true);
    }
}

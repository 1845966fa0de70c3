using OpenWard.Security.Policy;

namespace OpenWard.Security.Tests.Policy;

public class SensitivityLabelsTests
{
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    [Theory]
    [InlineData("HIV", Sensitivity.SexualHealth)]
    [InlineData("STD", Sensitivity.SexualHealth)]
    [InlineData("PSY", Sensitivity.MentalHealth)]
    [InlineData("PSYTHPN", Sensitivity.MentalHealth)]
    [InlineData("MH", Sensitivity.MentalHealth)]
    [InlineData("SDV", Sensitivity.Safeguarding)]
    [InlineData("CEL", Sensitivity.RestrictedPerson)]
    [InlineData("EMP", Sensitivity.RestrictedPerson)]
    [InlineData("VIP", Sensitivity.RestrictedPerson)]
    public void Each_v3_ActCode_label_gives_its_sensitivity(string code, Sensitivity expected)
    {
        Assert.Equal(expected, SensitivityLabels.FromSecurityLabels([(ActCode, code)]));
    }

    [Fact]
    public void Several_labels_combine()
    {
        var sensitivity = SensitivityLabels.FromSecurityLabels([(ActCode, "HIV"), (ActCode, "PSY"), (ActCode, "EMP")]);

        Assert.Equal(Sensitivity.SexualHealth | Sensitivity.MentalHealth | Sensitivity.RestrictedPerson, sensitivity);
    }

    [Theory]
    [InlineData(ActCode, "R")] // a confidentiality code, not a sensitivity
    [InlineData(ActCode, "TBOO")]
    [InlineData(ActCode, "hiv")] // codes are case-sensitive
    [InlineData(ActCode, null)]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "HIV")]
    [InlineData(null, "HIV")]
    public void Unknown_codes_and_other_systems_give_no_sensitivity(string? system, string? code)
    {
        Assert.Equal(Sensitivity.None, SensitivityLabels.FromSecurityLabels([(system, code)]));
    }

    [Fact]
    public void No_labels_give_no_sensitivity()
    {
        Assert.Equal(Sensitivity.None, SensitivityLabels.FromSecurityLabels([]));
    }

    [Theory]
    [InlineData(Sensitivity.SexualHealth, "STD")]
    [InlineData(Sensitivity.MentalHealth, "PSY")]
    [InlineData(Sensitivity.Safeguarding, "SDV")]
    [InlineData(Sensitivity.RestrictedPerson, "EMP")]
    public void Each_flag_is_written_as_one_code(Sensitivity flag, string expected)
    {
        Assert.Equal(expected, SensitivityLabels.CodeFor(flag));
    }

    [Theory]
    [InlineData(Sensitivity.SexualHealth)]
    [InlineData(Sensitivity.MentalHealth)]
    [InlineData(Sensitivity.Safeguarding)]
    [InlineData(Sensitivity.RestrictedPerson)]
    public void The_written_code_reads_back_as_the_same_flag(Sensitivity flag)
    {
        Assert.Equal(flag, SensitivityLabels.FromSecurityLabels([(SensitivityLabels.ActCodeSystem, SensitivityLabels.CodeFor(flag))]));
    }

    [Theory]
    [InlineData(Sensitivity.None)]
    [InlineData(Sensitivity.SexualHealth | Sensitivity.MentalHealth)]
    public void CodeFor_needs_exactly_one_flag(Sensitivity sensitivity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SensitivityLabels.CodeFor(sensitivity));
    }

    [Fact]
    public void A_combination_is_written_as_one_code_per_flag()
    {
        Assert.Equal(["STD", "SDV"], SensitivityLabels.CodesFor(Sensitivity.Safeguarding | Sensitivity.SexualHealth));
        Assert.Empty(SensitivityLabels.CodesFor(Sensitivity.None));
    }
}

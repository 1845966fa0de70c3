using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;
using static OpenWard.Clinical.Tests.Medicines.Checks.TestFormulary;

namespace OpenWard.Clinical.Tests.Medicines.Checks;

/// <summary>Each check category over <see cref="TestFormulary"/>: what alerts, at which tier, and what is reported as not checked.</summary>
public sealed class RuleChecksTests
{
    private static readonly Timing.RepeatComponent TwiceDaily = Prescriptions.Every(2, 1, Timing.UnitsOfTime.D);
    private static readonly Timing.RepeatComponent FourTimesDaily = Prescriptions.Every(4, 1, Timing.UnitsOfTime.D);
    private static readonly Timing.RepeatComponent Daily = Prescriptions.Every(1, 1, Timing.UnitsOfTime.D);
    private static readonly Timing.RepeatComponent Weekly = Prescriptions.Every(1, 1, Timing.UnitsOfTime.Wk);

    private static MedicationCheckResult Run(MedicationRequest order, PatientContext patient) => TestFormulary.Checks.Value.Run(order, patient);

    private static MedicationAlert Single(MedicationCheckResult result, CheckCategory category) => Assert.Single(result.Alerts, a => a.Category == category);

    private static void NoInterruptiveAlert(MedicationCheckResult result) =>
        Assert.DoesNotContain(result.Alerts, a => a.Severity != AlertSeverity.Info);

    [Fact]
    public void A_ten_fold_weight_based_anticoagulant_dose_for_a_child_is_a_hard_stop()
    {
        // A four-year-old of 16 kg: 1 mg/kg is 16 mg; 160 mg is ten times that.
        var child = Context("2022-06-01", [Weight(16)]);

        var alert = Single(Run(Order("Enoxaparin", 160, "mg", "subcutaneous", TwiceDaily), child), CheckCategory.SingleDose);

        Assert.Equal(AlertSeverity.HardStop, alert.Severity);
        Assert.Contains("10 mg/kg", alert.Summary, StringComparison.Ordinal);
        Assert.Contains("10 times", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_ten_fold_dose_written_per_kg_is_a_hard_stop_too()
    {
        var child = Context("2022-06-01", [Weight(16)]);

        Assert.Equal(AlertSeverity.HardStop, Single(Run(Order("Enoxaparin", 10, "mg/kg", "subcutaneous", TwiceDaily), child), CheckCategory.SingleDose).Severity);
    }

    [Fact]
    public void The_right_dose_for_the_child_raises_nothing_and_says_what_passed()
    {
        var child = Context("2022-06-01", [Weight(16)]);

        var result = Run(Order("Enoxaparin", 16, "mg", "subcutaneous", TwiceDaily), child);

        NoInterruptiveAlert(result);
        Assert.Contains(result.Passed, p => p.Category == CheckCategory.SingleDose && p.What.Contains("1 mg/kg", StringComparison.Ordinal));
    }

    [Fact]
    public void A_weight_dated_by_day_alone_is_used()
    {
        var weight = Weight(16);
        weight.Effective = new FhirDateTime("2026-12-07");

        Assert.Equal(AlertSeverity.HardStop, Single(Run(Order("Enoxaparin", 160, "mg", "subcutaneous", TwiceDaily), Context("2022-06-01", [weight])), CheckCategory.SingleDose).Severity);
    }

    [Fact]
    public void A_weight_in_pounds_measured_is_read_in_kilograms()
    {
        var pounds = Result("lb", "http://loinc.org", "3141-9", 35.27m, "[lb_av]", Now.AddDays(-1)); // 16 kg

        Assert.Equal(AlertSeverity.HardStop, Single(Run(Order("Enoxaparin", 160, "mg", "subcutaneous", TwiceDaily), Context("2022-06-01", [pounds])), CheckCategory.SingleDose).Severity);
    }

    [Fact]
    public void Twice_the_limit_is_a_warning_not_a_hard_stop()
    {
        var child = Context("2022-06-01", [Weight(16)]);

        Assert.Equal(AlertSeverity.Warning, Single(Run(Order("Enoxaparin", 32, "mg", "subcutaneous", TwiceDaily), child), CheckCategory.SingleDose).Severity);
    }

    [Fact]
    public void Without_a_weight_the_per_kg_limit_is_not_checked_and_says_so_but_the_absolute_limit_still_is()
    {
        var child = Context("2022-06-01");

        var result = Run(Order("Enoxaparin", 1600, "mg", "subcutaneous", TwiceDaily), child);

        Assert.Contains(result.NotChecked, n => n.Category == CheckCategory.SingleDose && n.Reason.Contains("no weight recorded", StringComparison.Ordinal));
        Assert.Equal(AlertSeverity.HardStop, Single(result, CheckCategory.SingleDose).Severity); // 1600 mg is over ten times 150 mg
    }

    [Fact]
    public void A_weight_older_than_the_rule_allows_is_not_used()
    {
        var child = Context("2022-06-01", [Weight(16, daysAgo: 45)]);

        var result = Run(Order("Enoxaparin", 160, "mg", "subcutaneous", TwiceDaily), child);

        Assert.Contains(result.NotChecked, n => n.Category == CheckCategory.SingleDose && n.Reason.Contains("older than 30 days", StringComparison.Ordinal));
        Assert.Equal(AlertSeverity.Warning, Single(result, CheckCategory.SingleDose).Severity); // still over the 150 mg cap, not ten-fold
    }

    [Fact]
    public void An_adult_prophylaxis_indication_is_held_to_the_prophylaxis_limit_and_without_one_to_the_highest()
    {
        var adult = Context("1970-01-01", [Weight(80)]);
        var order = Order("Enoxaparin", 120, "mg", "subcutaneous", Daily);

        NoInterruptiveAlert(Run(order, adult)); // 1.5 mg/kg: treatment

        order.ReasonCode = [new CodeableConcept { Text = "VTE prophylaxis" }];
        Assert.Equal(AlertSeverity.Warning, Single(Run(order, adult), CheckCategory.SingleDose).Severity);
    }

    [Fact]
    public void Milligrams_for_micrograms_is_a_hard_stop()
    {
        var result = Run(Order("Levothyroxine", 100, "mg", "oral", Daily), Context());

        Assert.Equal(AlertSeverity.HardStop, Single(result, CheckCategory.SingleDose).Severity);
        NoInterruptiveAlert(Run(Order("Levothyroxine", 100, "mcg", "oral", Daily), Context()));
    }

    [Fact]
    public void Insulin_in_millilitres_is_a_hard_stop_and_in_units_is_not()
    {
        var alert = Single(Run(Order("Insulin", 10, "mL", "subcutaneous", Daily), Context()), CheckCategory.SingleDose);

        Assert.Equal(AlertSeverity.HardStop, alert.Severity);
        Assert.Contains("units", alert.Summary, StringComparison.Ordinal);
        Assert.Empty(Run(Order("Insulin", 10, "[iU]", "subcutaneous", Daily), Context()).Alerts);
    }

    [Fact]
    public void Methotrexate_daily_instead_of_weekly_is_a_hard_stop_and_weekly_passes()
    {
        var daily = Run(Order("Methotrexate", 10, "mg", "oral", Daily), Context());

        Assert.Contains(daily.Alerts, a => a.Category == CheckCategory.DailyDose && a.Severity == AlertSeverity.HardStop);
        NoInterruptiveAlert(Run(Order("Methotrexate", 10, "mg", "oral", Weekly), Context()));
    }

    [Fact]
    public void The_daily_limit_counts_every_current_order_of_the_medicine_including_a_prn_maximum()
    {
        var prn = Order("Paracetamol", 1000, "mg", "oral", id: "prn");
        prn.DosageInstruction[0].AsNeeded = new FhirBoolean(true);
        prn.DosageInstruction[0].MaxDosePerPeriod = new Ratio(Prescriptions.Ucum(4000, "mg"), new Quantity { Value = 1, System = "http://unitsofmeasure.org", Code = "d" });
        var patient = Context(resources: [prn]);

        var result = Run(Order("Paracetamol", 1000, "mg", "oral", FourTimesDaily), patient);

        var daily = Single(result, CheckCategory.DailyDose);
        Assert.Equal(AlertSeverity.Warning, daily.Severity);
        Assert.Equal(["MedicationRequest/prn"], daily.Conflicting);
        Assert.Contains(result.Alerts, a => a.Category == CheckCategory.Duplication && a.Conflicting.Contains("MedicationRequest/prn"));
    }

    [Fact]
    public void An_order_that_has_ended_or_is_stopped_is_not_current()
    {
        var ended = Order("Paracetamol", 1000, "mg", "oral", FourTimesDaily, id: "old");
        ended.DosageInstruction[0].Timing!.Repeat!.Bounds = new Period { Start = "2026-11-01", End = "2026-11-05" };
        var stopped = Order("Ibuprofen", 400, "mg", "oral", FourTimesDaily, id: "stopped");
        stopped.Status = MedicationRequest.MedicationrequestStatus.Stopped;

        NoInterruptiveAlert(Run(Order("Paracetamol", 1000, "mg", "oral", FourTimesDaily), Context(resources: [ended, stopped])));
    }

    [Fact]
    public void A_combination_product_duplicates_its_ingredient()
    {
        var result = Run(Order("Paracetamol", 1000, "mg", "oral", FourTimesDaily), Context(resources: [Order("Co-codamol 30/500", 2, "mg", "oral", FourTimesDaily, id: "cc")]));

        Assert.Contains("paracetamol", Single(result, CheckCategory.Duplication).Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_of_a_group_are_a_duplication_and_a_named_interaction_alerts()
    {
        var onNaproxenAndWarfarin = Context(resources: [Order("Naproxen", 250, "mg", "oral", TwiceDaily, id: "n"), Order("Warfarin", 3, "mg", "oral", Daily, id: "w")]);

        var result = Run(Order("Ibuprofen", 400, "mg", "oral", FourTimesDaily), onNaproxenAndWarfarin);

        Assert.Equal(["MedicationRequest/n"], Single(result, CheckCategory.Duplication).Conflicting);
        Assert.Equal(["MedicationRequest/w"], Single(result, CheckCategory.Interaction).Conflicting);
    }

    [Fact]
    public void A_penicillin_allergy_alerts_on_a_cephalosporin_by_cross_sensitivity()
    {
        var allergy = new AllergyIntolerance { Id = "a", Code = new CodeableConcept { Text = "Penicillin" }, Patient = new ResourceReference("Patient/p") };

        var alert = Single(Run(Order("Cefalexin", 500, "mg", "oral", FourTimesDaily), Context(resources: [allergy])), CheckCategory.Allergy);

        Assert.Equal(AlertSeverity.Warning, alert.Severity);
        Assert.StartsWith("Cross-sensitivity", alert.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Vincristine_intrathecally_is_a_hard_stop_and_an_unlisted_route_a_warning()
    {
        var intrathecal = Order("Vincristine", 1, "mg", route: null);
        intrathecal.DosageInstruction[0].Route = new CodeableConcept("http://snomed.info/sct", "72607000", "Intrathecal");

        Assert.Equal(AlertSeverity.HardStop, Single(Run(intrathecal, Context()), CheckCategory.Route).Severity);
        Assert.Equal(AlertSeverity.Warning, Single(Run(Order("Methotrexate", 10, "mg", "intravenous", Weekly), Context()), CheckCategory.Route).Severity);
    }

    [Fact]
    public void Renal_function_below_the_threshold_alerts_and_without_a_recent_egfr_is_not_checked()
    {
        var order = Order("Metformin", 500, "mg", "oral", TwiceDaily);
        var low = Result("e", "http://loinc.org", "62238-1", 25, "mL/min/{1.73_m2}", Now.AddDays(-1));
        var old = Result("e", "http://loinc.org", "62238-1", 25, "mL/min/{1.73_m2}", Now.AddDays(-20));
        var good = Result("e", "http://loinc.org", "33914-3", 70, "mL/min/{1.73_m2}", Now.AddDays(-1));

        Assert.Equal(AlertSeverity.Warning, Single(Run(order, Context(resources: [low])), CheckCategory.Renal).Severity);
        Assert.Contains(Run(order, Context()).NotChecked, n => n.Category == CheckCategory.Renal && n.Reason.Contains("no eGFR or creatinine clearance in the last 7 days", StringComparison.Ordinal));
        Assert.Contains(Run(order, Context(resources: [old])).NotChecked, n => n.Category == CheckCategory.Renal && n.Reason.Contains("older than 7 days", StringComparison.Ordinal));
        Assert.Contains(Run(order, Context(resources: [good])).Passed, p => p.Category == CheckCategory.Renal);
    }

    [Fact]
    public void Age_condition_and_laboratory_rules_alert_only_when_they_apply()
    {
        Assert.Equal(AlertSeverity.Warning, Single(Run(Order("Aspirin", 300, "mg", "oral", Daily), Context("2016-01-01")), CheckCategory.Age).Severity);
        NoInterruptiveAlert(Run(Order("Aspirin", 75, "mg", "oral", Daily), Context("1950-01-01")));

        var asthma = new Condition { Id = "c", Code = new CodeableConcept("http://snomed.info/sct", "195967001", "Asthma"), Subject = new ResourceReference("Patient/p") };
        var resolved = new Condition { Id = "r", Code = new CodeableConcept { Text = "Childhood asthma" }, ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "resolved") };
        Assert.Equal(["Condition/c"], Single(Run(Order("Propranolol", 40, "mg", "oral", TwiceDaily), Context(resources: [asthma])), CheckCategory.Condition).Conflicting);
        NoInterruptiveAlert(Run(Order("Propranolol", 40, "mg", "oral", TwiceDaily), Context(resources: [resolved])));

        var highPotassium = Result("k", "http://loinc.org", "2823-3", 6.1m, "mmol/L", Now.AddHours(-5));
        Assert.Equal(AlertSeverity.Warning, Single(Run(Order("Spironolactone", 25, "mg", "oral", Daily), Context(resources: [highPotassium])), CheckCategory.Lab).Severity);
        Assert.Contains(Run(Order("Spironolactone", 25, "mg", "oral", Daily), Context()).NotChecked, n => n.Category == CheckCategory.Lab && n.Reason.Contains("no Potassium result", StringComparison.Ordinal));
    }

    [Fact]
    public void A_record_with_no_allergy_status_is_not_checked_for_allergies_and_no_known_allergies_passes()
    {
        var order = Order("Paracetamol", 1000, "mg", "oral", FourTimesDaily);
        var noneKnown = new AllergyIntolerance { Id = "nka", Code = new CodeableConcept("http://snomed.info/sct", "716186003", "No known allergy"), Patient = new ResourceReference("Patient/p") };

        Assert.Contains(Run(order, Context()).NotChecked, n => n.Category == CheckCategory.Allergy && n.Reason.Contains("no \"no known allergies\" statement", StringComparison.Ordinal));
        Assert.Contains(Run(order, Context(resources: [noneKnown])).Passed, p => p.Category == CheckCategory.Allergy);
    }

    [Fact]
    public void Monitoring_is_passive_information()
    {
        var alert = Single(Run(Order("Gentamicin", 400, "mg", "intravenous", Daily), Context()), CheckCategory.Monitoring);

        Assert.Equal(AlertSeverity.Info, alert.Severity);
    }

    [Fact]
    public void The_result_says_which_formulary_and_that_it_is_illustrative()
    {
        Assert.Contains("illustrative", Run(Order("Gentamicin", 400, "mg", "intravenous", Daily), Context()).CheckedAgainst, StringComparison.Ordinal);
    }
}

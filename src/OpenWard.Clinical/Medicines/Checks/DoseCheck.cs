using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// Dose limits (single-dose and daily-dose categories): each dose against the medicine's limits for
/// the patient's age band, route and indication, absolute, per kg and per m²; the amount in 24 hours
/// and in a week summed across every current order of the same medicine, PRN maxima included; how
/// often a once-weekly medicine is given; and a dose in a unit that cannot be compared with the
/// medicine's (insulin in mL). Over a limit is a warning, ten times over (the formulary's
/// hardStopFactor) a hard stop. When several rules fit and no indication picks one, the order is
/// held to the most permissive, so an appropriate order does not alert.
/// </summary>
internal static class DoseCheck
{
    /// <summary>How old a height may be for a dose per m².</summary>
    private const int HeightMaxAgeDays = 365;

    private sealed record Outcome(DoseRule Rule, Findings Findings)
    {
        public int Loudness => Findings.Alerts.Count == 0 ? 0 : Findings.Alerts.Max(a => a.Severity switch { AlertSeverity.HardStop => 3, AlertSeverity.Warning => 2, _ => 1 });
    }

    public static void Run(CheckInput input, Findings findings)
    {
        var medicine = input.Medicine;
        var dosages = input.Order.DosageInstruction;
        if (dosages.Count == 0)
        {
            findings.Unchecked(CheckCategory.SingleDose, $"Dose not checked: the order for {input.Name} gives no dosageInstruction.");
            findings.Unchecked(CheckCategory.DailyDose, $"Daily dose not checked: the order for {input.Name} gives no dosageInstruction.");
            return;
        }

        var doses = new List<(Dosage Dosage, OrderedDose Dose)>();
        foreach (var dosage in dosages)
        {
            var read = OrderedDose.Read(dosage, medicine);
            if (!read.IsCalculated)
            {
                findings.Unchecked(CheckCategory.SingleDose, $"Dose not checked: {read.Explanation}.");
                continue;
            }

            var inUnit = read.Value!.In(medicine.DoseUnit);
            if (!inUnit.IsCalculated)
            {
                WrongUnit(input, read.Value, findings);
                continue;
            }

            doses.Add((dosage, inUnit.Value!));
        }

        if (doses.Count == 0)
        {
            findings.Unchecked(CheckCategory.DailyDose, $"Daily dose not checked: no dose of {input.Name} could be read.");
            return;
        }

        if (medicine.Rules.Doses.Count == 0)
        {
            var none = $"no dose rule for {input.Name} in formulary {input.Formulary.Version}";
            findings.Unchecked(CheckCategory.SingleDose, $"Dose not checked: {none}.");
            findings.Unchecked(CheckCategory.DailyDose, $"Daily dose not checked: {none}.");
            return;
        }

        var age = input.Patient.Age;
        var candidates = medicine.Rules.Doses
            .Where(r => r.Routes is null or [] || input.Route is null || r.Routes.Any(route => MedicineRoutes.Find(route) == input.Route))
            .Where(r => r.Age is null || (age is { } a && r.Age.Contains(a)))
            .ToList();
        if (candidates.Count == 0)
        {
            var why = age is null && medicine.Rules.Doses.Any(r => r.Age is not null)
                ? $"the patient has no date of birth, and {input.Name}'s dose rules are by age band"
                : $"no dose rule for {input.Name} {(age is { } known ? $"at age {known}" : "")}{(input.Route is { } route ? $" by the {route} route" : "")}";
            findings.Unchecked(CheckCategory.SingleDose, $"Dose not checked: {why}.");
            findings.Unchecked(CheckCategory.DailyDose, $"Daily dose not checked: {why}.");
            return;
        }

        var indicated = candidates.Where(r => r.Indications is { Count: > 0 } words && Indicates(input.Order, words)).ToList();
        if (indicated.Count > 0)
            candidates = indicated;

        var outcomes = candidates.Select(rule => Evaluate(input, rule, doses)).ToList();
        var chosen = outcomes.OrderBy(o => o.Loudness).ThenBy(o => o.Findings.NotChecked.Count).First();
        findings.Alerts.AddRange(chosen.Findings.Alerts);
        findings.NotChecked.AddRange(chosen.Findings.NotChecked);
        findings.Passed.AddRange(chosen.Findings.Passed);
    }

    private static void WrongUnit(CheckInput input, OrderedDose dose, Findings findings)
    {
        var severity = input.Medicine.Rules.WrongUnitSeverity;
        findings.Alert(
            CheckCategory.SingleDose,
            severity,
            $"Wrong dose unit: {input.Name} {dose.Describe()}; {input.Name} is prescribed in {DoseUnits.Display(input.Medicine.DoseUnit, 2)}",
            $"The dose is written as {dose.Describe()}, which cannot be compared with {input.Name}'s dose unit ({DoseUnits.Display(input.Medicine.DoseUnit, 2)}), so the dose was not checked. "
                + $"Prescribe {input.Name} in {DoseUnits.Display(input.Medicine.DoseUnit, 2)}{(input.Medicine.DoseUnit is "[iU]" or "[IU]" ? ", written in full" : "")}.");
    }

    private static Outcome Evaluate(CheckInput input, DoseRule rule, List<(Dosage Dosage, OrderedDose Dose)> doses)
    {
        var findings = new Findings();
        var body = Body.Of(input, rule);

        // Single dose, each dosage instruction.
        foreach (var (_, dose) in doses)
        {
            if (rule.Single is not { } single)
                break;
            Compare(findings, CheckCategory.SingleDose, "a single dose", single, body.Total(dose), dose, body, input, rule, []);
        }

        // Amount in 24 hours and in a week, summed across current orders of the same medicine.
        if (rule.Daily is not null || rule.Weekly is not null)
        {
            var perDay = 0m;
            var counted = true;
            foreach (var (dosage, dose) in doses)
            {
                if (body.Total(dose) is not { } total)
                {
                    findings.Unchecked(CheckCategory.DailyDose, $"Daily dose not checked: the dose is {dose.Describe()} and {body.Missing(dose.Basis)}.");
                    counted = false;
                    break;
                }

                var amount = Per24Hours(dosage, total, input.Medicine.DoseUnit);
                if (!amount.IsCalculated)
                {
                    findings.Unchecked(CheckCategory.DailyDose, $"Daily dose not checked: {amount.Explanation}.");
                    counted = false;
                    break;
                }

                perDay += amount.Value.Value;
            }

            if (counted)
            {
                var others = new List<string>();
                foreach (var other in input.OtherOrders.Where(o => SameMedicine(o.Medicine, input.Medicine)))
                {
                    var amount = other.Order.DosageInstruction.Select(d => OrderedDose.Read(d, input.Medicine) is { IsCalculated: true } read && read.Value!.In(input.Medicine.DoseUnit) is { IsCalculated: true, Value: { } inUnit }
                        ? body.Total(inUnit) is { } total
                            ? Per24Hours(d, total, input.Medicine.DoseUnit)
                            : Calculation.Fails<DoseAmount>(CannotCalculateReason.NoWeight, $"its dose is {inUnit.Describe()} and {body.Missing(inUnit.Basis)}")
                        : Calculation.Fails<DoseAmount>(CannotCalculateReason.NoDoseQuantity, "its dose cannot be read")).ToList();
                    if (amount.Count == 0 || amount.Any(a => !a.IsCalculated))
                    {
                        findings.Unchecked(CheckCategory.DailyDose, $"The daily total does not include {other.Describe()}: {amount.FirstOrDefault(a => !a.IsCalculated)?.Explanation ?? "it gives no dose"}.");
                        continue;
                    }

                    perDay += amount.Sum(a => a.Value.Value);
                    others.Add(other.Reference);
                }

                var with = others.Count == 0 ? "" : $" with {others.Count} other current order{(others.Count == 1 ? "" : "s")} of {input.Name}";
                var dailyDose = new OrderedDose(perDay, input.Medicine.DoseUnit, DoseBasis.Total);
                if (rule.Daily is { } daily)
                    Compare(findings, CheckCategory.DailyDose, $"24 hours{with}", daily, perDay, dailyDose, body, input, rule, others);
                if (rule.Weekly is { } weekly)
                    Compare(findings, CheckCategory.DailyDose, $"a week{with}", weekly, perDay * 7m, dailyDose with { Amount = perDay * 7m }, body, input, rule, others);
            }
        }

        if (rule.Frequency is { MaxPerWeek: { } maxPerWeek } frequency)
        {
            foreach (var (dosage, _) in doses)
            {
                var often = DoseTiming.Frequency(dosage.Timing);
                if (!often.IsCalculated)
                {
                    findings.Unchecked(CheckCategory.DailyDose, $"How often {input.Name} is given was not checked: {often.Explanation}.");
                }
                else if (often.Value!.PerWeek > maxPerWeek)
                {
                    findings.Alert(
                        CheckCategory.DailyDose,
                        frequency.Severity,
                        $"{input.Name} ordered {DoseFormat.Number(Math.Round(often.Value.PerWeek, 2))} times a week; at most {DoseFormat.Number(maxPerWeek)} a week",
                        $"{frequency.Message}{Findings.Cite(frequency.Source ?? rule.Source)}");
                }
                else
                {
                    findings.Pass(CheckCategory.DailyDose, $"{input.Name} is given at most {DoseFormat.Number(maxPerWeek)} time{(maxPerWeek == 1 ? "" : "s")} a week");
                }
            }
        }

        return new Outcome(rule, findings);
    }

    /// <summary>Compares one amount with one limit (absolute, per kg, per m²), raising at most one alert for its worst excess.</summary>
    private static void Compare(Findings findings, CheckCategory category, string what, DoseLimit limit, decimal? total, OrderedDose dose, Body body, CheckInput input, DoseRule rule, IReadOnlyList<string> conflicting)
    {
        var unit = input.Medicine.DoseUnit;
        var label = category == CheckCategory.SingleDose ? "Dose" : "Daily dose";
        var excesses = new List<(decimal Ratio, string Said, string Most)>();
        var checkedAgainst = new List<string>();
        if (limit.Max is { } max)
        {
            if (total is { } amount)
            {
                excesses.Add((amount / max, Amount(amount, unit), Amount(max, unit)));
                checkedAgainst.Add($"at most {Amount(max, unit)}");
            }
            else
            {
                findings.Unchecked(category, $"{label} not checked against the most in {what} ({Amount(max, unit)}): the dose is {dose.Describe()} and {body.Missing(dose.Basis)}.");
            }
        }

        // Per kg and per m²: a single dose written that way is compared as written, anything else by the body's measure.
        foreach (var (most, basis, measure, suffix) in new[] { (limit.MaxPerKg, DoseBasis.PerKg, body.Kg, "/kg"), (limit.MaxPerM2, DoseBasis.PerM2, body.SquareMetres, "/m²") })
        {
            if (most is not { } maxPer)
                continue;
            decimal? per = dose.Basis == basis && category == CheckCategory.SingleDose ? dose.Amount : total is { } t && measure is { } m ? t / m : null;
            if (per is { } value)
            {
                excesses.Add((value / maxPer, $"{Amount(value, unit)}{suffix}", $"{Amount(maxPer, unit)}{suffix}"));
                checkedAgainst.Add($"at most {Amount(maxPer, unit)}{suffix}");
            }
            else
            {
                findings.Unchecked(category, $"{label} not checked against {Amount(maxPer, unit)}{suffix} in {what}: {body.Missing(basis)}.");
            }
        }

        var band = $"{input.Name}{(rule.Age is null ? "" : $", {rule.Age}")}{(rule.Routes is { Count: > 0 } routes ? $", {string.Join("/", routes)}" : "")}{(rule.Indications is { Count: > 0 } ind ? $", {ind[0]}" : "")}";
        var worst = excesses.Where(e => e.Ratio > 1m).OrderByDescending(e => e.Ratio).FirstOrDefault();
        // A limit per kg, or a dose written per kg, was worked out from the weight: the alert names it.
        if (body.WeightReference is not null && (limit.MaxPerKg is not null || dose.Basis == DoseBasis.PerKg))
            conflicting = [.. conflicting, body.WeightReference];
        if (worst.Said is null)
        {
            if (checkedAgainst.Count > 0)
                findings.Pass(category, $"{input.Name} {(category == CheckCategory.SingleDose ? dose.Describe() : $"{Amount(total ?? 0, unit)} in {what}")} is within {string.Join(" and ", checkedAgainst)} ({band})");
            return;
        }

        var factor = input.Defaults.HardStopFactor;
        var hardStop = worst.Ratio >= factor;
        var times = DoseFormat.Number(Math.Round(worst.Ratio, worst.Ratio >= 10 ? 0 : 1));
        var weighed = body.Kg is { } w ? $" for {DoseFormat.Number(Math.Round(w, 1))} kg" : "";
        findings.Alert(
            category,
            hardStop ? AlertSeverity.HardStop : AlertSeverity.Warning,
            $"{(hardStop ? "Overdose" : "Above dose limit")}: {input.Name} {worst.Said} in {what} is {times} times the most ({worst.Most})",
            $"{input.Name}: {worst.Said}{(worst.Said.EndsWith("/kg", StringComparison.Ordinal) ? weighed : "")} in {what} is {times} times the most allowed, {worst.Most} ({band})."
                + (hardStop ? $" A dose {DoseFormat.Number(factor)} or more times the limit is a hard stop: check for a decimal point or unit error (mg and micrograms, mL and units, per kg)." : " Check the dose, or give a reason to continue.")
                + Findings.Cite(rule.Source),
            [.. conflicting]);
    }

    private static string Amount(decimal value, string unit) => DoseFormat.Amount(new DoseAmount(Math.Round(value, 3), unit));

    /// <summary>
    /// The patient's body as a dose rule may use it: a weight recent enough for the rule (and the
    /// Observation it came from), the body surface area from it and a recent height, and why either is missing.
    /// </summary>
    private sealed record Body(decimal? Kg, string? WeightReference, string? NoWeight, decimal? SquareMetres, string? NoBsa)
    {
        public static Body Of(CheckInput input, DoseRule rule)
        {
            var now = input.Patient.Now;
            var weight = Measurements.Weight(input.Patient);
            var maxAge = rule.WeightMaxAgeDays ?? input.Defaults.WeightMaxAgeDays;
            if (weight is null)
                return Missing(input.Patient.WhyNotRead(PatientData.Observations) is { } unread ? $"the weight could not be read ({unread})" : "no weight recorded: record a weight");
            if (weight.AgeInDays(now) > maxAge)
                return Missing($"the latest weight ({weight.Describe(now)}) is older than {maxAge} days: record a new weight");

            var height = Measurements.Height(input.Patient);
            return height is null || height.AgeInDays(now) > HeightMaxAgeDays
                ? new Body(weight.Value, weight.Reference, null, null, $"no height recorded in the last {HeightMaxAgeDays} days to work out body surface area")
                : new Body(weight.Value, weight.Reference, null, Measurements.BodySurfaceArea(height.Value, weight.Value), null);

            static Body Missing(string why) => new(null, null, why, null, "no recent weight to work out body surface area");
        }

        /// <summary>The dose for the whole patient, or null when its basis needs a measure that is missing.</summary>
        public decimal? Total(OrderedDose dose) => dose.Basis switch
        {
            DoseBasis.Total => dose.Amount,
            DoseBasis.PerKg => Kg * dose.Amount,
            _ => SquareMetres * dose.Amount,
        };

        /// <summary>Why a dose of this basis cannot be turned into a total.</summary>
        public string? Missing(DoseBasis basis) => basis == DoseBasis.PerKg ? NoWeight : NoBsa;
    }

    /// <summary>The amount in 24 hours of one dosage given <paramref name="dose"/> (in <paramref name="unit"/>) each time.</summary>
    private static Calculation<DoseAmount> Per24Hours(Dosage dosage, decimal dose, string unit)
    {
        var copy = (Dosage)dosage.DeepCopy();
        copy.DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = dose, System = DoseUnits.UcumSystem, Code = unit, Unit = unit } }];
        if (copy.MaxDosePerPeriod?.Numerator is { } numerator && OrderedDose.UnitOf(numerator.Code ?? numerator.Unit, unit) is { } read)
        {
            // Read the PRN maximum's unit as leniently as the dose's own.
            numerator.System = DoseUnits.UcumSystem;
            numerator.Code = read;
        }

        return DosageArithmetic.AmountPer24Hours(copy, unit);
    }

    private static bool SameMedicine(FormularyMedicine? other, FormularyMedicine medicine) =>
        other is not null && (other.Id == medicine.Id
            || (!other.IsCombination && !medicine.IsCombination && string.Equals(other.Ingredients[0].Name, medicine.Ingredients[0].Name, StringComparison.OrdinalIgnoreCase)));

    private static bool Indicates(MedicationRequest order, IEnumerable<string> words) =>
        order.ReasonCode.SelectMany(c => new[] { c.Text }.Concat(c.Coding.Select(x => x.Display)))
            .OfType<string>()
            .Any(text => words.Any(word => Words.Contain(text, word)));
}

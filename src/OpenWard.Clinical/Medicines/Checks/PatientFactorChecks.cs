using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// The checks against the patient's own state, each from the medicine's rules in the formulary: age,
/// renal function (eGFR, else creatinine clearance), active conditions, laboratory values, and the
/// monitoring the medicine needs. Missing data the rule needs is reported as not checked.
/// </summary>
internal static class PatientFactorChecks
{
    public static void Age(CheckInput input, Findings findings)
    {
        var rules = input.Medicine.Rules.Ages;
        if (rules.Count == 0)
        {
            findings.Unchecked(CheckCategory.Age, $"Age not checked: no age rule for {input.Name} in formulary {input.Formulary.Version}.");
            return;
        }

        if (input.Patient.Age is not { } age)
        {
            findings.Unchecked(CheckCategory.Age, $"Age not checked: {input.Patient.WhyNotRead(PatientData.Demographics) ?? "the patient has no full date of birth"}.");
            return;
        }

        var alerted = false;
        foreach (var rule in rules)
        {
            var applies = rule.Under is { } under ? !age.AtLeast(Ages.Parse(under)!) : age.AtLeast(Ages.Parse(rule.AtLeast)!);
            if (!applies)
                continue;
            findings.Alert(CheckCategory.Age, rule.Severity, $"Age: {input.Name} for a patient aged {age}", $"{rule.Message}{Findings.Cite(rule.Source)}");
            alerted = true;
        }

        if (!alerted)
            findings.Pass(CheckCategory.Age, $"{input.Name} at age {age}");
    }

    public static void Renal(CheckInput input, Findings findings)
    {
        var rules = input.Medicine.Rules.Renal;
        if (rules.Count == 0)
        {
            findings.Unchecked(CheckCategory.Renal, $"Renal function not checked: no renal rule for {input.Name} in formulary {input.Formulary.Version}.");
            return;
        }

        if (input.Patient.WhyNotRead(PatientData.Observations) is { } unread)
        {
            findings.Unchecked(CheckCategory.Renal, $"Renal function not checked: results could not be read ({unread}).");
            return;
        }

        var (result, test, problem) = Latest(input, FormularyValidation.RenalTests);
        if (result is null)
        {
            findings.Unchecked(CheckCategory.Renal, $"Renal function not checked: {problem ?? $"no eGFR or creatinine clearance in the last {input.Defaults.LabMaxAgeDays} days"}.");
            return;
        }

        var alerted = false;
        foreach (var rule in rules.Where(r => result.Value < r.Below).OrderBy(r => r.Below).Take(1))
        {
            findings.Alert(
                CheckCategory.Renal,
                rule.Severity,
                $"Renal: {input.Name} with {test!.Name} {DoseFormat.Number(result.Value)} (below {DoseFormat.Number(rule.Below!.Value)})",
                $"{test.Name} is {result.Describe(input.Patient.Now)} ({result.Reference}). {rule.Message}{Findings.Cite(rule.Source)}",
                result.Reference);
            alerted = true;
        }

        if (!alerted)
            findings.Pass(CheckCategory.Renal, $"{test!.Name} {result.Describe(input.Patient.Now)} is above {input.Name}'s renal thresholds");
    }

    public static void Conditions(CheckInput input, Findings findings)
    {
        var rules = input.Medicine.Rules.Conditions;
        if (rules.Count == 0)
        {
            findings.Unchecked(CheckCategory.Condition, $"Conditions not checked: no condition rule for {input.Name} in formulary {input.Formulary.Version}.");
            return;
        }

        if (input.Patient.WhyNotRead(PatientData.Conditions) is { } unread)
        {
            findings.Unchecked(CheckCategory.Condition, $"Conditions not checked: the patient's conditions could not be read ({unread}).");
            return;
        }

        var active = input.Patient.Conditions.Where(IsActive).ToList();
        var alerted = false;
        foreach (var rule in rules)
        {
            var found = active.FirstOrDefault(c => Names(c.Code, rule));
            if (found is null)
                continue;
            var name = found.Code?.Text ?? found.Code?.Coding.FirstOrDefault()?.Display ?? rule.Condition;
            findings.Alert(
                CheckCategory.Condition,
                rule.Severity,
                $"Condition: {input.Name} with {name}",
                $"The patient has {name} (Condition/{found.Id}). {rule.Message}{Findings.Cite(rule.Source)}",
                $"Condition/{found.Id}");
            alerted = true;
        }

        if (!alerted)
            findings.Pass(CheckCategory.Condition, $"none of {string.Join(", ", rules.Select(r => r.Condition))} among the patient's {active.Count} active condition(s)");
    }

    public static void Labs(CheckInput input, Findings findings)
    {
        var rules = input.Medicine.Rules.Labs;
        if (rules.Count == 0)
        {
            findings.Unchecked(CheckCategory.Lab, $"Laboratory values not checked: no laboratory rule for {input.Name} in formulary {input.Formulary.Version}.");
            return;
        }

        if (input.Patient.WhyNotRead(PatientData.Observations) is { } unread)
        {
            findings.Unchecked(CheckCategory.Lab, $"Laboratory values not checked: results could not be read ({unread}).");
            return;
        }

        foreach (var group in rules.GroupBy(r => r.Test!))
        {
            var (result, test, problem) = Latest(input, [group.Key]);
            var testName = input.Formulary.Knowledge.LabTests[group.Key].Name;
            if (result is null)
            {
                findings.Unchecked(CheckCategory.Lab, $"{testName} not checked: {problem ?? $"no {testName} result in the last {MaxAgeDays(input, input.Formulary.Knowledge.LabTests[group.Key])} days"}.");
                continue;
            }

            var alerted = false;
            foreach (var rule in group)
            {
                var outside = (rule.Above is { } above && result.Value > above) || (rule.Below is { } below && result.Value < below);
                if (!outside)
                    continue;
                var bound = rule.Above is { } a && result.Value > a ? $"above {DoseFormat.Number(a)}" : $"below {DoseFormat.Number(rule.Below!.Value)}";
                findings.Alert(
                    CheckCategory.Lab,
                    rule.Severity,
                    $"Lab: {input.Name} with {test!.Name} {DoseFormat.Number(result.Value)} {result.Unit} ({bound})",
                    $"{test.Name} is {result.Describe(input.Patient.Now)} ({result.Reference}). {rule.Message}{Findings.Cite(rule.Source)}",
                    result.Reference);
                alerted = true;
            }

            if (!alerted)
                findings.Pass(CheckCategory.Lab, $"{testName} {result.Describe(input.Patient.Now)} is within {input.Name}'s limits");
        }
    }

    public static void Monitoring(CheckInput input, Findings findings)
    {
        foreach (var rule in input.Medicine.Rules.Monitoring)
        {
            findings.Alert(
                CheckCategory.Monitoring,
                rule.SeverityCode is null ? AlertSeverity.Info : rule.Severity,
                $"Monitoring: {Short(rule.Message!)}",
                $"{rule.Message}{Findings.Cite(rule.Source)}");
        }
    }

    /// <summary>Active (or recurring, relapsed, or with no status), and neither refuted nor entered in error.</summary>
    private static bool IsActive(Condition condition) =>
        (condition.ClinicalStatus is null || condition.ClinicalStatus.Coding.Any(c => c.Code is "active" or "recurrence" or "relapse"))
        && condition.VerificationStatus?.Coding.Any(c => c.Code is "refuted" or "entered-in-error") != true;

    private static bool Names(CodeableConcept? code, ConditionRule rule) =>
        code is not null
        && (code.Coding.Any(c => c.System == "http://snomed.info/sct" && c.Code is not null && (rule.Snomed?.Contains(c.Code) ?? false))
            || new[] { code.Text }.Concat(code.Coding.Select(c => c.Display)).OfType<string>().Any(text => (rule.Terms ?? []).Any(term => Words.Contain(text, term))));

    private static (Measured? Result, LabTest? Test, string? Problem) Latest(CheckInput input, IEnumerable<string> testIds)
    {
        string? problem = null;
        foreach (var id in testIds)
        {
            if (!input.Formulary.Knowledge.LabTests.TryGetValue(id, out var test))
                continue;
            var result = Measurements.Lab(input.Patient, test, out var unreadable);
            problem ??= unreadable;
            if (result is null)
                continue;
            var maxAge = MaxAgeDays(input, test);
            if (result.AgeInDays(input.Patient.Now) > maxAge)
            {
                problem ??= $"the latest {test.Name} ({result.Describe(input.Patient.Now)}) is older than {maxAge} days";
                continue;
            }

            return (result, test, null);
        }

        return (null, null, problem);
    }

    private static int MaxAgeDays(CheckInput input, LabTest test) => test.MaxAgeDays ?? input.Defaults.LabMaxAgeDays;

    private static string Short(string message) => message.Split(". ")[0].TrimEnd('.');
}

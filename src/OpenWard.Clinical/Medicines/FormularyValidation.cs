using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Clinical.Medicines;

// Checks a formulary file field by field and builds the medicines, collecting every problem rather
// than stopping at the first, so a trust fixes its file in one pass.
internal static class FormularyValidation
{
    public static List<FormularyMedicine> Validate(FormularyFile file, List<string> problems)
    {
        if (file.Format != Formulary.FormatName)
            problems.Add($"\"format\" must be \"{Formulary.FormatName}\"");
        if (file.FormatVersion != Formulary.SupportedFormatVersion)
            problems.Add($"\"formatVersion\" is {file.FormatVersion?.ToString() ?? "missing"}; this version of OpenWard reads only {Formulary.SupportedFormatVersion}");
        if (string.IsNullOrWhiteSpace(file.Version))
            problems.Add("\"version\" is missing: give the formulary's own version so prescribing records can say which was used");
        if (file.Medicines is null or [])
            problems.Add("\"medicines\" is missing or empty");

        var medicines = new List<FormularyMedicine>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (entry, index) in (file.Medicines ?? []).Select((m, i) => (m, i)))
        {
            var label = string.IsNullOrWhiteSpace(entry?.Id) ? $"medicine #{index + 1}" : $"medicine '{entry.Id}'";
            if (entry is null)
            {
                problems.Add($"{label} is null");
                continue;
            }

            var medicine = ValidateMedicine(entry, label, problems);
            if (medicine is null)
                continue;
            if (!ids.Add(medicine.Id))
                problems.Add($"{label}: the id is used more than once");
            foreach (var code in medicine.DmdCodes)
            {
                if (!codes.TryAdd(code.Code, medicine.Id))
                    problems.Add($"{label}: dm+d code {code.Code} is also given to '{codes[code.Code]}'");
            }

            foreach (var name in MedicineNames.Of(medicine))
            {
                var key = string.Join(' ', name);
                if (!names.TryAdd(key, medicine.Id) && names[key] != medicine.Id)
                    problems.Add($"{label}: the name or synonym '{key}' also names '{names[key]}'");
            }

            medicines.Add(medicine);
        }

        return medicines;
    }

    private static FormularyMedicine? ValidateMedicine(FormularyFile.MedicineEntry entry, string label, List<string> problems)
    {
        var before = problems.Count;
        if (string.IsNullOrWhiteSpace(entry.Id))
            problems.Add($"{label}: \"id\" is missing");
        if (string.IsNullOrWhiteSpace(entry.Name))
            problems.Add($"{label}: \"name\" is missing");
        if (entry.Ingredients is null or [] || entry.Ingredients.Any(i => string.IsNullOrWhiteSpace(i?.Name)))
            problems.Add($"{label}: \"ingredients\" must list at least one ingredient, each with a name");
        if (string.IsNullOrWhiteSpace(entry.DoseUnit))
            problems.Add($"{label}: \"doseUnit\" is missing");
        else if (!DoseUnits.IsKnown(entry.DoseUnit))
            problems.Add($"{label}: \"doseUnit\" '{entry.DoseUnit}' is not a UCUM dose unit OpenWard knows ({string.Join(", ", DoseUnits.Codes)})");
        if (entry.DmdCodes?.Any(c => c is null || string.IsNullOrWhiteSpace(c.Code) || !c.Code.All(char.IsAsciiDigit)) == true)
            problems.Add($"{label}: every dm+d code must be digits");
        if (entry.DmdCodes?.Any(c => string.IsNullOrWhiteSpace(c?.Source)) == true)
            problems.Add($"{label}: every dm+d code must say where it was checked (\"source\")");
        if (entry.Synonyms?.Any(string.IsNullOrWhiteSpace) == true)
            problems.Add($"{label}: a synonym is empty");
        // Rules are checked even when a field above is wrong, so every problem is listed in one pass.
        var rules = ValidateRules(entry, label, problems);
        if (problems.Count > before)
            return null;

        return new FormularyMedicine(
            entry.Id!,
            entry.Name!,
            [.. entry.Ingredients!.Select(i => new Ingredient(i!.Name!.Trim(), string.IsNullOrWhiteSpace(i.Class) ? null : i.Class.Trim()))],
            [.. (entry.DmdCodes ?? []).Select(c => new DmdCode(c!.Code!, c.Display, c.Source!))],
            [.. (entry.Synonyms ?? []).Select(s => s!.Trim())],
            entry.DoseUnit!,
            [.. (entry.Forms ?? []).OfType<string>()],
            [.. (entry.Routes ?? []).OfType<string>()],
            rules);
    }

    private static MedicineRules ValidateRules(FormularyFile.MedicineEntry entry, string label, List<string> problems)
    {
        var wrongUnit = AlertSeverity.Warning;
        if (entry.WrongUnitSeverity is { } code && FindingRule.ParseSeverity(code) is not { } parsed)
            problems.Add($"{label}: \"wrongUnitSeverity\" '{code}' is not hard-stop, warning or info");
        else if (entry.WrongUnitSeverity is not null)
            wrongUnit = FindingRule.ParseSeverity(entry.WrongUnitSeverity)!.Value;

        var doses = NotNull(entry.DoseRules, $"{label}: a dose rule", problems);
        foreach (var (rule, n) in doses.Select((r, i) => (r, i + 1)))
        {
            var where = $"{label}: dose rule {rule.Id ?? $"#{n}"}";
            if (string.IsNullOrWhiteSpace(rule.Source))
                problems.Add($"{where} has no \"source\"");
            if (rule.Single is null && rule.Daily is null && rule.Weekly is null && rule.Frequency is null)
                problems.Add($"{where} gives no limit (single, daily, weekly or frequency)");
            foreach (var (limit, name) in new[] { (rule.Single, "single"), (rule.Daily, "daily"), (rule.Weekly, "weekly") })
            {
                if (limit is null)
                    continue;
                if (limit.IsEmpty)
                    problems.Add($"{where}: \"{name}\" gives no max, maxPerKg or maxPerM2");
                if (new[] { limit.Max, limit.MaxPerKg, limit.MaxPerM2 }.Any(v => v <= 0))
                    problems.Add($"{where}: \"{name}\" limits must be above zero");
            }

            if (rule.Frequency is { } frequency)
            {
                if (frequency.MaxPerWeek is not > 0)
                    problems.Add($"{where}: \"frequency\" needs maxPerWeek above zero");
                CheckFinding(frequency, $"{where} frequency", problems, sourceRequired: false);
            }

            CheckAgeBand(rule.Age, where, problems);
            if (rule.WeightMaxAgeDays is <= 0)
                problems.Add($"{where}: \"weightMaxAgeDays\" must be above zero");
        }

        var routes = Findings(entry.RouteRules, $"{label}: route rule", problems);
        foreach (var rule in routes.Where(r => MedicineRoutes.Find(r.Route) is null))
            problems.Add($"{label}: route rule's route '{rule.Route}' is not a route OpenWard knows ({string.Join(", ", MedicineRoutes.Names)})");
        foreach (var route in (entry.Routes ?? []).OfType<string>().Where(r => MedicineRoutes.Find(r) is null))
            problems.Add($"{label}: route '{route}' is not a route OpenWard knows ({string.Join(", ", MedicineRoutes.Names)})");
        foreach (var rule in doses)
        {
            foreach (var route in (rule.Routes ?? []).Where(r => MedicineRoutes.Find(r) is null))
                problems.Add($"{label}: dose rule {rule.Id}'s route '{route}' is not a route OpenWard knows");
        }

        var renal = Findings(entry.RenalRules, $"{label}: renal rule", problems);
        foreach (var rule in renal.Where(r => r.Below is not > 0))
            problems.Add($"{label}: a renal rule needs \"below\" (mL/min) above zero");
        var ages = Findings(entry.AgeRules, $"{label}: age rule", problems);
        foreach (var rule in ages)
        {
            if (rule.Under is null == (rule.AtLeast is null) || Ages.Parse(rule.Under ?? rule.AtLeast) is null)
                problems.Add($"{label}: an age rule needs one of \"under\" or \"atLeast\", written like 28d, 3mo or 16y");
        }

        var conditions = Findings(entry.ConditionRules, $"{label}: condition rule", problems);
        foreach (var rule in conditions.Where(r => (r.Snomed?.Count ?? 0) + (r.Terms?.Count ?? 0) == 0 || string.IsNullOrWhiteSpace(r.Condition)))
            problems.Add($"{label}: a condition rule needs \"condition\" (its name) and SNOMED CT codes or terms");
        var labs = Findings(entry.LabRules, $"{label}: lab rule", problems);
        foreach (var rule in labs.Where(r => string.IsNullOrWhiteSpace(r.Test) || (r.Above is null && r.Below is null)))
            problems.Add($"{label}: a lab rule needs \"test\" and \"above\" or \"below\"");
        var monitoring = Findings(entry.Monitoring, $"{label}: monitoring rule", problems);
        return new MedicineRules(string.IsNullOrWhiteSpace(entry.HighAlert) ? null : entry.HighAlert.Trim(), wrongUnit, doses, routes, renal, ages, conditions, labs, monitoring);
    }

    /// <summary>The rules across medicines; run after the medicines, so that names can be checked against them.</summary>
    public static FormularyKnowledge ValidateKnowledge(FormularyFile file, IReadOnlyList<FormularyMedicine> medicines, List<string> problems)
    {
        var approval = file.Approval ?? new FormularyApproval { Status = "illustrative" };
        if (approval.Status is not ("illustrative" or "approved"))
            problems.Add("\"approval.status\" must be \"illustrative\" or \"approved\"");
        if (approval.IsApproved && (string.IsNullOrWhiteSpace(approval.ApprovedBy) || string.IsNullOrWhiteSpace(approval.ApprovedOn)))
            problems.Add("an approved formulary must say who approved it and when (\"approval.approvedBy\", \"approval.approvedOn\")");

        var defaults = file.Defaults ?? new RuleDefaults();
        if (defaults.WeightMaxAgeDays <= 0 || defaults.LabMaxAgeDays <= 0 || defaults.HardStopFactor <= 1)
            problems.Add("\"defaults\": weightMaxAgeDays and labMaxAgeDays must be above zero and hardStopFactor above one");

        var labTests = new Dictionary<string, LabTest>(StringComparer.Ordinal);
        foreach (var test in NotNull(file.LabTests, "a lab test", problems))
        {
            if (string.IsNullOrWhiteSpace(test.Id) || string.IsNullOrWhiteSpace(test.Name) || test.Loinc is null or [] || string.IsNullOrWhiteSpace(test.Unit) || string.IsNullOrWhiteSpace(test.Source))
                problems.Add($"lab test '{test.Id}' needs id, name, loinc codes, unit and source");
            else if (!labTests.TryAdd(test.Id, test))
                problems.Add($"lab test '{test.Id}' is defined twice");
        }

        foreach (var medicine in medicines)
        {
            foreach (var rule in medicine.Rules.Labs.Where(r => r.Test is not null && !labTests.ContainsKey(r.Test)))
                problems.Add($"medicine '{medicine.Id}': lab rule's test '{rule.Test}' is not in \"labTests\"");
            if (medicine.Rules.Renal.Count > 0 && !RenalTests.Any(labTests.ContainsKey))
                problems.Add($"medicine '{medicine.Id}' has renal rules but \"labTests\" defines neither {string.Join(" nor ", RenalTests)}");
        }

        var groups = new Dictionary<string, MedicineGroup>(StringComparer.OrdinalIgnoreCase);
        foreach (var group in NotNull(file.Groups, "a group", problems))
        {
            if (string.IsNullOrWhiteSpace(group.Id) || (group.Classes?.Count ?? 0) + (group.Ingredients?.Count ?? 0) == 0)
                problems.Add($"group '{group.Id}' needs an id and classes or ingredients");
            else if (!groups.TryAdd(group.Id, group))
                problems.Add($"group '{group.Id}' is defined twice");
        }

        var knowledge = new FormularyKnowledge(
            approval,
            defaults,
            labTests,
            groups,
            Findings(file.Duplication, "a duplication rule", problems),
            Findings(file.Interactions, "an interaction rule", problems),
            Findings(file.CrossSensitivity, "a cross-sensitivity rule", problems),
            Findings(file.RegularWithPrn, "a regular-with-PRN rule", problems));

        // A name that matches nothing in the formulary is a typo that would switch a rule off silently.
        bool Known(string name) => medicines.Any(m => m.Ingredients.Any(i => knowledge.Names(name, i)));
        foreach (var rule in knowledge.Duplication.Where(r => r.Group is null || !groups.ContainsKey(r.Group)))
            problems.Add($"duplication rule's group '{rule.Group}' is not in \"groups\"");
        foreach (var rule in knowledge.Interactions)
        {
            if (rule.Between is null or [] || rule.And is null or [] || string.IsNullOrWhiteSpace(rule.Id))
                problems.Add($"interaction rule '{rule.Id}' needs an id, \"between\" and \"and\"");
            foreach (var name in (rule.Between ?? []).Concat(rule.And ?? []).Where(n => !Known(n)))
                problems.Add($"interaction rule '{rule.Id}': '{name}' names no ingredient, class or group of any medicine");
        }

        foreach (var rule in knowledge.RegularWithPrn.Where(r => r.Name is null || !Known(r.Name)))
            problems.Add($"regular-with-PRN rule: '{rule.Name}' names no ingredient, class or group of any medicine");

        foreach (var rule in knowledge.CrossSensitivity)
        {
            foreach (var name in new[] { rule.Allergy, rule.AlsoAlerts }.Where(n => n is null || !Known(n)))
                problems.Add($"cross-sensitivity rule: '{name}' names no ingredient, class or group of any medicine");
        }

        return knowledge;
    }

    /// <summary>The lab test ids renal rules read: eGFR first, then creatinine clearance.</summary>
    public static readonly string[] RenalTests = ["egfr", "creatinine-clearance"];

    private static List<T> Findings<T>(List<T?>? rules, string what, List<string> problems)
        where T : FindingRule
    {
        var found = NotNull(rules, what, problems);
        foreach (var rule in found)
            CheckFinding(rule, what, problems, sourceRequired: true);
        return found;
    }

    private static void CheckFinding(FindingRule rule, string what, List<string> problems, bool sourceRequired)
    {
        if (rule.SeverityCode is not null && FindingRule.ParseSeverity(rule.SeverityCode) is null)
            problems.Add($"{what}: severity '{rule.SeverityCode}' is not hard-stop, warning or info");
        if (string.IsNullOrWhiteSpace(rule.Message))
            problems.Add($"{what} has no \"message\"");
        if (sourceRequired && string.IsNullOrWhiteSpace(rule.Source))
            problems.Add($"{what} has no \"source\" (\"{rule.Message}\")");
    }

    private static void CheckAgeBand(AgeBand? band, string where, List<string> problems)
    {
        if (band is null)
            return;
        if ((band.From is not null && Ages.Parse(band.From) is null) || (band.To is not null && Ages.Parse(band.To) is null))
            problems.Add($"{where}: ages are written like 28d, 3mo or 16y");
    }

    private static List<T> NotNull<T>(List<T?>? items, string what, List<string> problems)
        where T : class
    {
        if (items?.Any(i => i is null) == true)
            problems.Add($"{what} is null");
        return [.. (items ?? []).OfType<T>()];
    }
}

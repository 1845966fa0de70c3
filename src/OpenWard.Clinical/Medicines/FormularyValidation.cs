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
            [.. (entry.Routes ?? []).OfType<string>()]);
    }
}

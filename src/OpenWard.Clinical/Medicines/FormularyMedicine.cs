namespace OpenWard.Clinical.Medicines;

/// <summary>
/// One medicine in the formulary: what names it (its name, dm+d codes and synonyms such as salts
/// and brands), what it contains, the UCUM unit its doses are compared in, and its forms and routes.
/// A combination product (co-amoxiclav) lists every ingredient.
/// </summary>
public sealed record FormularyMedicine(
    string Id,
    string Name,
    IReadOnlyList<Ingredient> Ingredients,
    IReadOnlyList<DmdCode> DmdCodes,
    IReadOnlyList<string> Synonyms,
    string DoseUnit,
    IReadOnlyList<string> Forms,
    IReadOnlyList<string> Routes,
    MedicineRules Rules)
{
    public bool IsCombination => Ingredients.Count > 1;
}

/// <summary>An active ingredient, with its class where the formulary gives one (for example "penicillin").</summary>
public sealed record Ingredient(string Name, string? Class);

/// <summary>A dm+d code (VTM, VMP or AMP id) for the medicine, with the source it was checked against.</summary>
public sealed record DmdCode(string Code, string? Display, string Source);

/// <summary>
/// The medicine's check rules (format version 2): dose limits, wrong routes, renal, age, condition and
/// laboratory rules, required monitoring, its ISMP high-alert class if any, and how loud a dose in a
/// unit that cannot be compared with <see cref="FormularyMedicine.DoseUnit"/> is (insulin in mL).
/// </summary>
public sealed record MedicineRules(
    string? HighAlert,
    Checks.AlertSeverity WrongUnitSeverity,
    IReadOnlyList<DoseRule> Doses,
    IReadOnlyList<RouteRule> Routes,
    IReadOnlyList<RenalRule> Renal,
    IReadOnlyList<AgeRule> Ages,
    IReadOnlyList<ConditionRule> Conditions,
    IReadOnlyList<LabRule> Labs,
    IReadOnlyList<MonitoringRule> Monitoring);

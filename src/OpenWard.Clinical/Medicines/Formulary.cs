using System.Text.Json;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// The trust's formulary: the medicines OpenWard recognises, loaded once at start-up from a
/// versioned JSON file (format in docs/implementation/formulary.md). The repository ships an
/// illustrative starter file, <see cref="StarterFileName"/>, that a trust replaces with its own.
/// </summary>
public sealed class Formulary
{
    /// <summary>The format name every formulary file declares.</summary>
    public const string FormatName = "openward-formulary";

    /// <summary>The one format version this code reads; a file of another version is refused, never half-read.</summary>
    public const int SupportedFormatVersion = 2;

    /// <summary>The starter file, copied next to the assemblies.</summary>
    public const string StarterFileName = "formulary.json";

    private readonly Dictionary<string, FormularyMedicine> byId;
    private readonly Dictionary<string, FormularyMedicine> byDmdCode;

    private Formulary(string version, string title, IReadOnlyList<FormularyMedicine> medicines, FormularyKnowledge knowledge)
    {
        Version = version;
        Title = title;
        Medicines = medicines;
        Knowledge = knowledge;
        byId = medicines.ToDictionary(m => m.Id, StringComparer.Ordinal);
        byDmdCode = medicines.SelectMany(m => m.DmdCodes.Select(c => (c.Code, m))).ToDictionary(p => p.Code, p => p.m, StringComparer.Ordinal);
    }

    /// <summary>The content version the file declares (a trust's own numbering), for audit and display.</summary>
    public string Version { get; }

    public string Title { get; }

    public IReadOnlyList<FormularyMedicine> Medicines { get; }

    /// <summary>The file's rules that are not about one medicine: lab tests, groups, duplication, interactions, cross-sensitivity.</summary>
    public FormularyKnowledge Knowledge { get; }

    /// <summary>The starter formulary's path in the output folder.</summary>
    public static string StarterPath => Path.Combine(AppContext.BaseDirectory, StarterFileName);

    public FormularyMedicine? FindById(string id) => byId.GetValueOrDefault(id);

    public FormularyMedicine? FindByDmdCode(string code) => byDmdCode.GetValueOrDefault(code);

    /// <summary>Reads and validates a formulary file; throws <see cref="InvalidFormularyException"/> listing every problem.</summary>
    public static Formulary Load(string path)
    {
        if (!File.Exists(path))
            throw new InvalidFormularyException(path, [$"the file does not exist"]);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Validates formulary JSON; throws <see cref="InvalidFormularyException"/> listing every problem.</summary>
    public static Formulary Parse(string json, string source = "(text)")
    {
        FormularyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<FormularyFile>(json, new JsonSerializerOptions { ReadCommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidFormularyException(source, [$"it is not valid JSON: {e.Message}"]);
        }

        if (file is null)
            throw new InvalidFormularyException(source, ["it is empty"]);

        var problems = new List<string>();
        var medicines = FormularyValidation.Validate(file, problems);
        var knowledge = FormularyValidation.ValidateKnowledge(file, medicines, problems);
        if (problems.Count > 0)
            throw new InvalidFormularyException(source, problems);
        return new Formulary(file.Version!, file.Title ?? "", medicines, knowledge);
    }
}

/// <summary>The formulary's rules across medicines, and who approved its clinical content.</summary>
public sealed record FormularyKnowledge(
    FormularyApproval Approval,
    RuleDefaults Defaults,
    IReadOnlyDictionary<string, LabTest> LabTests,
    IReadOnlyDictionary<string, MedicineGroup> Groups,
    IReadOnlyList<DuplicationRule> Duplication,
    IReadOnlyList<InteractionRule> Interactions,
    IReadOnlyList<CrossSensitivityRule> CrossSensitivity,
    IReadOnlyList<RegularWithPrnRule> RegularWithPrn)
{
    /// <summary>Whether <paramref name="name"/> (an ingredient, an ingredient class or a group id) names this ingredient.</summary>
    public bool Names(string name, Ingredient ingredient) =>
        string.Equals(name, ingredient.Name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, ingredient.Class, StringComparison.OrdinalIgnoreCase)
        || (Groups.TryGetValue(name, out var group)
            && ((group.Ingredients?.Contains(ingredient.Name, StringComparer.OrdinalIgnoreCase) ?? false)
                || (ingredient.Class is { } cls && (group.Classes?.Contains(cls, StringComparer.OrdinalIgnoreCase) ?? false))));

    // Every check asks this for each current order and each rule: the answer never changes for a loaded formulary.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Name, string MedicineId), Ingredient?> _named = new();

    /// <summary>The first ingredient of <paramref name="medicine"/> that <paramref name="name"/> names, if any.</summary>
    public Ingredient? Named(string name, FormularyMedicine medicine) =>
        _named.GetOrAdd((name, medicine.Id), static (key, state) => state.Medicine.Ingredients.FirstOrDefault(i => state.Knowledge.Names(key.Name, i)), (Medicine: medicine, Knowledge: this));

    /// <summary>How a name reads to people: a group's name, or the name itself.</summary>
    public string Describe(string name) => Groups.TryGetValue(name, out var group) && group.Name is { } display ? display : name;
}

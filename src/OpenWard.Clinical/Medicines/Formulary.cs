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
    public const int SupportedFormatVersion = 1;

    /// <summary>The starter file, copied next to the assemblies.</summary>
    public const string StarterFileName = "formulary.json";

    private readonly Dictionary<string, FormularyMedicine> byId;
    private readonly Dictionary<string, FormularyMedicine> byDmdCode;

    private Formulary(string version, string title, IReadOnlyList<FormularyMedicine> medicines)
    {
        Version = version;
        Title = title;
        Medicines = medicines;
        byId = medicines.ToDictionary(m => m.Id, StringComparer.Ordinal);
        byDmdCode = medicines.SelectMany(m => m.DmdCodes.Select(c => (c.Code, m))).ToDictionary(p => p.Code, p => p.m, StringComparer.Ordinal);
    }

    /// <summary>The content version the file declares (a trust's own numbering), for audit and display.</summary>
    public string Version { get; }

    public string Title { get; }

    public IReadOnlyList<FormularyMedicine> Medicines { get; }

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
        if (problems.Count > 0)
            throw new InvalidFormularyException(source, problems);
        return new Formulary(file.Version!, file.Title ?? "", medicines);
    }
}

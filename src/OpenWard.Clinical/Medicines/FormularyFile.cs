using System.Text.Json.Serialization;

namespace OpenWard.Clinical.Medicines;

// The JSON shape of formulary.json as read, before validation (docs/implementation/formulary.md).
// Every member is nullable so that a missing field becomes a clear problem, not a parser exception.
internal sealed class FormularyFile
{
    [JsonPropertyName("format")] public string? Format { get; set; }
    [JsonPropertyName("formatVersion")] public int? FormatVersion { get; set; }
    [JsonPropertyName("version")] public string? Version { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("notice")] public string? Notice { get; set; }
    [JsonPropertyName("approval")] public FormularyApproval? Approval { get; set; }
    [JsonPropertyName("defaults")] public RuleDefaults? Defaults { get; set; }
    [JsonPropertyName("labTests")] public List<LabTest?>? LabTests { get; set; }
    [JsonPropertyName("groups")] public List<MedicineGroup?>? Groups { get; set; }
    [JsonPropertyName("duplication")] public List<DuplicationRule?>? Duplication { get; set; }
    [JsonPropertyName("interactions")] public List<InteractionRule?>? Interactions { get; set; }
    [JsonPropertyName("crossSensitivity")] public List<CrossSensitivityRule?>? CrossSensitivity { get; set; }
    [JsonPropertyName("regularWithPrn")] public List<RegularWithPrnRule?>? RegularWithPrn { get; set; }
    [JsonPropertyName("medicines")] public List<MedicineEntry?>? Medicines { get; set; }

    internal sealed class MedicineEntry
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("ingredients")] public List<IngredientEntry?>? Ingredients { get; set; }
        [JsonPropertyName("dmdCodes")] public List<DmdCodeEntry?>? DmdCodes { get; set; }
        [JsonPropertyName("synonyms")] public List<string?>? Synonyms { get; set; }
        [JsonPropertyName("doseUnit")] public string? DoseUnit { get; set; }
        [JsonPropertyName("forms")] public List<string?>? Forms { get; set; }
        [JsonPropertyName("routes")] public List<string?>? Routes { get; set; }
        [JsonPropertyName("highAlert")] public string? HighAlert { get; set; }
        [JsonPropertyName("wrongUnitSeverity")] public string? WrongUnitSeverity { get; set; }
        [JsonPropertyName("doseRules")] public List<DoseRule?>? DoseRules { get; set; }
        [JsonPropertyName("routeRules")] public List<RouteRule?>? RouteRules { get; set; }
        [JsonPropertyName("renalRules")] public List<RenalRule?>? RenalRules { get; set; }
        [JsonPropertyName("ageRules")] public List<AgeRule?>? AgeRules { get; set; }
        [JsonPropertyName("conditionRules")] public List<ConditionRule?>? ConditionRules { get; set; }
        [JsonPropertyName("labRules")] public List<LabRule?>? LabRules { get; set; }
        [JsonPropertyName("monitoring")] public List<MonitoringRule?>? Monitoring { get; set; }
    }

    internal sealed class IngredientEntry
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("class")] public string? Class { get; set; }
    }

    internal sealed class DmdCodeEntry
    {
        [JsonPropertyName("code")] public string? Code { get; set; }
        [JsonPropertyName("display")] public string? Display { get; set; }
        [JsonPropertyName("source")] public string? Source { get; set; }
    }
}

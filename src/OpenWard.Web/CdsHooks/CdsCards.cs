using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Web.CdsHooks;

/// <summary>
/// The CDS Hooks 2.0 cards for one order's check result: <c>critical</c> for a hard stop,
/// <c>warning</c> for an interruptive alert (with override reasons), <c>info</c> for passive
/// information and for the checks not performed. Each carries <c>extension.openward</c> =
/// { category, severity } (issue #18).
/// </summary>
public static class CdsCards
{
    /// <summary>OpenWard's own override reasons (a local code system, illustrative until a trust sets its own).</summary>
    public const string OverrideReasonSystem = "https://fhir.openward.example/CodeSystem/override-reason";

    public static readonly IReadOnlyList<(string Code, string Display)> OverrideReasons =
    [
        ("benefit-outweighs-risk", "Benefit outweighs the risk, discussed with the patient"),
        ("tolerated-before", "Patient has tolerated this medicine before"),
        ("allergy-not-true", "Recorded allergy is not a true allergy (intolerance or side effect)"),
        ("specialist-advice", "On specialist advice"),
    ];

    public static IEnumerable<JsonObject> For(MedicationRequest order, MedicationCheckResult result)
    {
        var name = order.Medication is CodeableConcept concept ? concept.Text ?? concept.Coding.FirstOrDefault()?.Display : null;
        foreach (var alert in result.Alerts)
        {
            var card = Card(alert.Summary, alert.Detail, Indicator(alert.Severity), alert.Category, alert.Severity);
            if (alert.Severity == AlertSeverity.Warning)
            {
                card["overrideReasons"] = new JsonArray([.. OverrideReasons.Select(r => (JsonNode)new JsonObject { ["code"] = r.Code, ["system"] = OverrideReasonSystem, ["display"] = r.Display })]);
            }

            yield return card;
        }

        if (result.NotChecked.Count > 0)
        {
            var detail = string.Join("\n", result.NotChecked.Select(n => $"- {n.Reason}"))
                + (result.Passed.Count == 0 ? "" : "\n\nChecked and passed:\n" + string.Join("\n", result.Passed.Select(p => $"- {CheckCodes.Of(p.Category)}: {p.What}")))
                + $"\n\nChecked against {result.CheckedAgainst}.";
            yield return Card(
                $"Not checked for {name ?? "this order"}: {result.NotChecked.Count} check{(result.NotChecked.Count == 1 ? "" : "s")} could not run",
                detail,
                "info",
                CheckCategory.NotChecked,
                AlertSeverity.Info);
        }
    }

    private static JsonObject Card(string summary, string detail, string indicator, CheckCategory category, AlertSeverity severity) => new()
    {
        ["uuid"] = Guid.NewGuid().ToString(),
        ["summary"] = summary.Length <= 140 ? summary : summary[..139] + "…",
        ["detail"] = detail,
        ["indicator"] = indicator,
        ["source"] = new JsonObject { ["label"] = "OpenWard medication checks" },
        ["extension"] = new JsonObject
        {
            ["openward"] = new JsonObject { ["category"] = CheckCodes.Of(category), ["severity"] = CheckCodes.Of(severity) },
        },
    };

    private static string Indicator(AlertSeverity severity) => severity switch
    {
        AlertSeverity.HardStop => "critical",
        AlertSeverity.Warning => "warning",
        _ => "info",
    };
}

using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// The alert ledger (issue #18): every alert shown for an order, and the list of what was not
/// checked, as FHIR R4 DetectedIssues (https://hl7.org/fhir/R4/detectedissue.html) linked to the
/// order and to what it conflicts with, with what was done about it (an override's reason, who, when).
/// A safety investigator lists them with <c>DetectedIssue?patient=…&amp;identified=…</c>.
/// </summary>
public static class AlertLedger
{
    /// <summary>The code system of the check categories (allergy, single-dose, not-checked…), as in the CDS Hooks cards.</summary>
    public const string CategorySystem = "https://fhir.openward.example/CodeSystem/medication-check-category";

    /// <summary>The DetectedIssues for one checked order, with new ids.</summary>
    /// <param name="overrides">The documented overrides, by the category each covers; their mitigation (why, who, when) is copied to that category's issues.</param>
    public static IReadOnlyList<DetectedIssue> For(string orderReference, string? patientId, MedicationCheckResult result, DateTimeOffset now, IReadOnlyDictionary<CheckCategory, DetectedIssue.MitigationComponent> overrides)
    {
        var issues = new List<DetectedIssue>();
        foreach (var alert in result.Alerts)
        {
            var issue = Issue(orderReference, patientId, alert.Category, Severity(alert.Severity), $"{alert.Summary}\n\n{alert.Detail}", now);
            issue.Implicated.AddRange(alert.Conflicting.Where(c => c.Contains('/', StringComparison.Ordinal)).Select(c => new ResourceReference(c)));
            if (overrides.TryGetValue(alert.Category, out var mitigation))
            {
                issue.Mitigation.Add((DetectedIssue.MitigationComponent)mitigation.DeepCopy());
            }

            issues.Add(issue);
        }

        if (result.NotChecked.Count > 0)
        {
            issues.Add(Issue(
                orderReference,
                patientId,
                CheckCategory.NotChecked,
                DetectedIssue.DetectedIssueSeverity.Low,
                $"Not checked ({result.NotChecked.Count}):\n{string.Join("\n", result.NotChecked.Select(n => $"- {n.Reason}"))}\n\nChecked against {result.CheckedAgainst}.",
                now));
        }

        return issues;
    }

    /// <summary>The category a DetectedIssue is about, when it carries one of <see cref="CategorySystem"/>.</summary>
    public static CheckCategory? CategoryOf(DetectedIssue issue) =>
        issue.Code?.Coding.FirstOrDefault(c => c.System == CategorySystem)?.Code is { } code
            ? Enum.GetValues<CheckCategory>().Cast<CheckCategory?>().FirstOrDefault(c => CheckCodes.Of(c!.Value) == code)
            : null;

    private static DetectedIssue Issue(string orderReference, string? patientId, CheckCategory category, DetectedIssue.DetectedIssueSeverity severity, string detail, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(CategorySystem, CheckCodes.Of(category), CheckCodes.Of(category)),
        Severity = severity,
        Patient = patientId is null ? null : new ResourceReference($"Patient/{patientId}"),
        Identified = new FhirDateTime(now),
        Implicated = [new ResourceReference(orderReference)],
        Detail = detail,
    };

    private static DetectedIssue.DetectedIssueSeverity Severity(AlertSeverity severity) => severity switch
    {
        AlertSeverity.HardStop => DetectedIssue.DetectedIssueSeverity.High,
        AlertSeverity.Warning => DetectedIssue.DetectedIssueSeverity.Moderate,
        _ => DetectedIssue.DetectedIssueSeverity.Low,
    };
}

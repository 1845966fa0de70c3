namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>The kinds of medication check (issue #18), with the codes CDS Hooks cards carry in <c>extension.openward.category</c>.</summary>
public enum CheckCategory
{
    Allergy,
    Route,
    Interaction,
    Duplication,
    SingleDose,
    DailyDose,
    Age,
    Renal,
    Condition,
    Lab,
    Monitoring,
    NotChecked,
}

/// <summary>
/// How an alert is shown: a hard stop (cannot sign: never-events and ten-fold errors only), an
/// interruptive warning (needs a coded override reason), or passive information.
/// </summary>
public enum AlertSeverity
{
    HardStop,
    Warning,
    Info,
}

/// <summary>One thing a check found about an order.</summary>
/// <param name="Summary">One line, at most 140 characters (a CDS Hooks card's summary).</param>
/// <param name="Conflicting">References of the resources the order conflicts with (the allergy, the other order).</param>
public sealed record MedicationAlert(CheckCategory Category, AlertSeverity Severity, string Summary, string Detail, IReadOnlyList<string> Conflicting);

/// <summary>A check that did not run for this order, and why: shown as plainly as an alert, never as a pass.</summary>
public sealed record NotChecked(CheckCategory Category, string Reason);

/// <summary>Everything the checks said about one order: what alerted, what could not be checked, what passed, and against which formulary.</summary>
public sealed record MedicationCheckResult(IReadOnlyList<MedicationAlert> Alerts, IReadOnlyList<NotChecked> NotChecked, IReadOnlyList<CheckPassed> Passed, Formulary Formulary)
{
    public bool HasHardStop => Alerts.Any(a => a.Severity == AlertSeverity.HardStop);

    /// <summary>Which formulary the order was checked against, and whether its content is approved or illustrative.</summary>
    public string CheckedAgainst => $"{Formulary.Title} version {Formulary.Version} ({(Formulary.Knowledge.Approval.IsApproved ? $"approved by {Formulary.Knowledge.Approval.ApprovedBy} on {Formulary.Knowledge.Approval.ApprovedOn}" : "illustrative, not approved by a pharmacist")})";
}

/// <summary>The stable codes of <see cref="CheckCategory"/> and <see cref="AlertSeverity"/> (issue #18's card extension).</summary>
public static class CheckCodes
{
    public static string Of(CheckCategory category) => category switch
    {
        CheckCategory.SingleDose => "single-dose",
        CheckCategory.DailyDose => "daily-dose",
        CheckCategory.NotChecked => "not-checked",
        _ => category.ToString().ToLowerInvariant(),
    };

    public static string Of(AlertSeverity severity) => severity switch
    {
        AlertSeverity.HardStop => "hard-stop",
        AlertSeverity.Warning => "warning",
        _ => "info",
    };
}

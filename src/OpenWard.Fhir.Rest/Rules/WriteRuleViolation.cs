using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Rest.Rules;

/// <summary>A write refused by a <see cref="IWriteRule"/>: an OperationOutcome whose code is the rule's id.</summary>
public sealed class WriteRuleViolation(WriteRuleInfo rule, string message, string? expression = null)
    : FhirException(rule.Status, SingleIssue(
        OperationOutcome.IssueSeverity.Error,
        rule.Status == 409 ? OperationOutcome.IssueType.Conflict : OperationOutcome.IssueType.BusinessRule,
        rule.Id,
        message,
        expression))
{
    /// <summary>
    /// A refusal with several findings: each an error (refusing) or a warning (said alongside),
    /// coded with the rule's id and its own code, after a summary error.
    /// </summary>
    public WriteRuleViolation(WriteRuleInfo rule, IReadOnlyList<(bool Refuses, string Message, string Code)> findings, string summary)
        : this(rule, summary)
    {
        foreach (var (refuses, message, code) in findings)
        {
            var issue = SingleIssue(
                refuses ? OperationOutcome.IssueSeverity.Error : OperationOutcome.IssueSeverity.Warning,
                OperationOutcome.IssueType.BusinessRule,
                rule.Id,
                message).Issue[0];
            issue.Details!.Coding.Add(new Coding(IssueCodeSystem, code));
            Outcome.Issue.Add(issue);
        }
    }

    public WriteRuleInfo Rule { get; } = rule;
}

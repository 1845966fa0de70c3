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
    public WriteRuleInfo Rule { get; } = rule;
}

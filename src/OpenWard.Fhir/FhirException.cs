using Hl7.Fhir.Model;

namespace OpenWard.Fhir;

/// <summary>
/// The one exception that carries a FHIR error to the edge, where it becomes an OperationOutcome
/// with <see cref="Status"/> (https://hl7.org/fhir/R4/http.html#outcomes). Each issue has a stable
/// code in <c>details.coding</c> (system <see cref="IssueCodeSystem"/>) so clients can act on it.
/// </summary>
public class FhirException : Exception
{
    public const string IssueCodeSystem = "https://openward.example/fhir/CodeSystem/issue-code";

    public FhirException(int status, OperationOutcome outcome)
        : base(outcome.Issue.FirstOrDefault()?.Diagnostics ?? "FHIR error")
    {
        Status = status;
        Outcome = outcome;
    }

    /// <summary>HTTP status the edge answers with.</summary>
    public int Status { get; }

    public OperationOutcome Outcome { get; }

    public static FhirException Create(int status, OperationOutcome.IssueType type, string code, string message, string? expression = null) =>
        new(status, SingleIssue(OperationOutcome.IssueSeverity.Error, type, code, message, expression));

    public static FhirException BadRequest(string code, string message, string? expression = null) =>
        Create(400, OperationOutcome.IssueType.Invalid, code, message, expression);

    public static FhirException NotFound(string message) =>
        Create(404, OperationOutcome.IssueType.NotFound, "NOT_FOUND", message);

    public static FhirException Gone(string message) =>
        Create(410, OperationOutcome.IssueType.Deleted, "DELETED", message);

    public static FhirException Conflict(string code, string message) =>
        Create(409, OperationOutcome.IssueType.Conflict, code, message);

    public static FhirException PreconditionFailed(string code, string message) =>
        Create(412, OperationOutcome.IssueType.Conflict, code, message);

    public static FhirException Unprocessable(string code, string message, string? expression = null) =>
        Create(422, OperationOutcome.IssueType.Processing, code, message, expression);

    public static FhirException NotSupported(string code, string message) =>
        Create(400, OperationOutcome.IssueType.NotSupported, code, message);

    public static OperationOutcome SingleIssue(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type, string code, string message, string? expression = null)
    {
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = severity,
            Code = type,
            Details = new CodeableConcept(IssueCodeSystem, code, message),
            Diagnostics = message,
        };
        if (expression is not null)
        {
            issue.Expression = [expression];
        }

        return new OperationOutcome { Issue = [issue] };
    }
}

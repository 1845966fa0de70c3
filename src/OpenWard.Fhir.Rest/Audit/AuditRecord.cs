using OpenWard.Security;

namespace OpenWard.Fhir.Rest.Audit;

/// <summary>
/// One thing that happened to patient data, as the audit trail needs to know it: who, from where,
/// what they did to which records, why, and how it ended. <see cref="AuditEventFactory"/> turns it
/// into a FHIR R4 AuditEvent (https://hl7.org/fhir/R4/auditevent.html).
/// </summary>
/// <param name="Recorded">When it happened.</param>
/// <param name="Who">The person or system that did it.</param>
/// <param name="Interaction">A code of <see cref="AuditInteraction"/>: a FHIR restful-interaction or an OpenWard event code.</param>
/// <param name="Action">C, R, U, D or E (https://hl7.org/fhir/R4/valueset-audit-event-action.html); see <see cref="AuditAction"/>.</param>
/// <param name="Outcome">0, 4, 8 or 12 (https://hl7.org/fhir/R4/valueset-audit-event-outcome.html); see <see cref="AuditOutcome"/>.</param>
public sealed record AuditRecord(DateTimeOffset Recorded, Principal Who, string Interaction, char Action, int Outcome)
{
    /// <summary>The client's IP address.</summary>
    public string? Address { get; init; }

    /// <summary>Why it failed, in plain words (no patient data).</summary>
    public string? OutcomeDescription { get; init; }

    /// <summary>A code of http://terminology.hl7.org/CodeSystem/v3-ActReason; see <see cref="AuditPurpose"/>.</summary>
    public string PurposeOfUse { get; init; } = AuditPurpose.Treatment;

    /// <summary>Ids of the Patients whose records were touched (each becomes a Patient entity, which <c>AuditEvent?patient=</c> finds).</summary>
    public IReadOnlyList<string> PatientIds { get; init; } = [];

    /// <summary>References to the resources touched: <c>Observation/123</c> or <c>Observation/123/_history/2</c>.</summary>
    public IReadOnlyList<string> Entities { get; init; } = [];

    /// <summary>The search's query string, for searches.</summary>
    public string? Query { get; init; }

    /// <summary>Free text worth keeping with the event, such as a break-glass reason.</summary>
    public string? Detail { get; init; }

    /// <summary>The operation's name without the <c>$</c> (e.g. <c>everything</c>), for operations.</summary>
    public string? OperationName { get; init; }
}

/// <summary>
/// The interaction codes an <see cref="AuditRecord"/> may carry: the FHIR R4 restful-interaction codes
/// (https://hl7.org/fhir/R4/codesystem-restful-interaction.html) and OpenWard's own codes for
/// events that are not REST interactions (<see cref="AuditEventFactory.OpenWardSubtypeSystem"/>).
/// </summary>
public static class AuditInteraction
{
    public const string Read = "read";
    public const string VRead = "vread";
    public const string Update = "update";
    public const string Patch = "patch";
    public const string Delete = "delete";
    public const string HistoryInstance = "history-instance";
    public const string HistoryType = "history-type";
    public const string HistorySystem = "history-system";
    public const string Create = "create";
    public const string SearchType = "search-type";
    public const string SearchSystem = "search-system";
    public const string Batch = "batch";
    public const string Transaction = "transaction";
    public const string Operation = "operation";

    public const string Login = "login";
    public const string Logout = "logout";
    public const string LoginFailed = "login-failed";
    public const string BreakGlass = "break-glass";
    public const string Export = "export";
    public const string Print = "print";

    internal static readonly HashSet<string> Rest = new(StringComparer.Ordinal)
    {
        Read, VRead, Update, Patch, Delete, HistoryInstance, HistoryType, HistorySystem, Create, SearchType, SearchSystem, Batch, Transaction, Operation,
    };

    internal static readonly HashSet<string> OpenWard = new(StringComparer.Ordinal) { Login, Logout, LoginFailed, BreakGlass, Export, Print };
}

/// <summary>AuditEvent.action codes (https://hl7.org/fhir/R4/codesystem-audit-event-action.html).</summary>
public static class AuditAction
{
    public const char Create = 'C';
    public const char Read = 'R';
    public const char Update = 'U';
    public const char Delete = 'D';
    public const char Execute = 'E';
}

/// <summary>AuditEvent.outcome codes (https://hl7.org/fhir/R4/codesystem-audit-event-outcome.html).</summary>
public static class AuditOutcome
{
    public const int Success = 0;

    /// <summary>The action was not successful due to some kind of minor failure (a refused request, 4xx).</summary>
    public const int MinorFailure = 4;

    /// <summary>The action was not successful due to some kind of unexpected error (often 5xx).</summary>
    public const int SeriousFailure = 8;

    /// <summary>An error of such magnitude that the system is no longer available for use.</summary>
    public const int MajorFailure = 12;
}

/// <summary>
/// Purposes of use, from http://terminology.hl7.org/CodeSystem/v3-ActReason
/// (https://terminology.hl7.org/CodeSystem-v3-ActReason.html). Any other code of that system passes through.
/// </summary>
public static class AuditPurpose
{
    public const string System = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    /// <summary>TREAT: treatment, the ordinary reason.</summary>
    public const string Treatment = "TREAT";

    /// <summary>ETREAT: emergency treatment.</summary>
    public const string EmergencyTreatment = "ETREAT";

    /// <summary>BTG: break the glass.</summary>
    public const string BreakTheGlass = "BTG";

    /// <summary>HOPERAT: healthcare operations (system work such as exports and integrations).</summary>
    public const string Operations = "HOPERAT";

    /// <summary>PATRQT: at the patient's request.</summary>
    public const string PatientRequest = "PATRQT";
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Web.Security;

/// <summary>One look at (or change to) a patient's record, as the patient is shown it.</summary>
public sealed record AccessEntry(DateTimeOffset When, string Who, string? Role, string What, bool BreakGlass, bool Refused);

/// <summary>
/// "Who looked at my record": the audit events that name a patient, newest first, turned into
/// plain lines with staff names and roles and break-glass marked. It is the FHIR search
/// <c>AuditEvent?patient=Patient/{id}&amp;_sort=-date</c>, through the same gate as every other read
/// (a privacy officer, or the patient themselves).
/// </summary>
public sealed class AccessHistory(FhirRestService fhir)
{
    public async Task<IReadOnlyList<AccessEntry>> ForPatientAsync(IFhirAccess access, string patientId, int count, CancellationToken cancellationToken)
    {
        var response = await fhir.SearchAsync(
            access,
            "AuditEvent",
            [new("patient", $"Patient/{patientId}"), new("_sort", "-date"), new("_count", count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            lenient: false,
            null,
            cancellationToken);
        var entries = new List<AccessEntry>();
        foreach (var entry in response.Bundle!.Entries.Where(e => e.Stored is not null))
        {
            var auditEvent = (AuditEvent)FhirSerialization.ParseJson(entry.Stored!.Json!);
            var person = auditEvent.Agent.FirstOrDefault(a => a.Requestor == true) ?? auditEvent.Agent.FirstOrDefault();
            entries.Add(new AccessEntry(
                auditEvent.Recorded ?? DateTimeOffset.MinValue,
                person?.Name ?? person?.Who?.Display ?? "Unknown",
                RoleOf(person),
                Describe(auditEvent),
                auditEvent.PurposeOfEvent.SelectMany(p => p.Coding).Any(c => c.Code == AuditPurpose.BreakTheGlass),
                auditEvent.Outcome is not null and not AuditEvent.AuditEventOutcome.N0));
        }

        return entries;
    }

    private static string? RoleOf(AuditEvent.AgentComponent? person)
    {
        var role = person?.Role.FirstOrDefault(r => r.Coding.Any(c => c.System == AuditEventFactory.StaffRoleSystem));
        return role?.Text ?? role?.Coding.FirstOrDefault(c => c.System == AuditEventFactory.StaffRoleSystem)?.Display;
    }

    /// <summary>The restful interaction or OpenWard event code among the subtypes (a DICOM code may come first).</summary>
    private static string Describe(AuditEvent auditEvent)
    {
        var subtype = auditEvent.Subtype.FirstOrDefault(s => s.System is AuditEventFactory.OpenWardSubtypeSystem or "http://hl7.org/fhir/restful-interaction")?.Code ?? "";
        return subtype switch
        {
            AuditInteraction.Read or AuditInteraction.VRead => "Viewed part of the record",
            AuditInteraction.SearchType or AuditInteraction.SearchSystem => "Searched the record",
            AuditInteraction.Create => "Added to the record",
            AuditInteraction.Update or AuditInteraction.Patch => "Changed the record",
            AuditInteraction.Delete => "Removed an entry",
            AuditInteraction.HistoryInstance or AuditInteraction.HistoryType or AuditInteraction.HistorySystem => "Viewed earlier versions",
            AuditInteraction.BreakGlass when auditEvent.Action == AuditEvent.AuditEventAction.U => "Reviewed a break-glass access",
            AuditInteraction.BreakGlass => "Used break-glass to open the record",
            AuditInteraction.Operation => "Viewed the whole record",
            AuditInteraction.Export => "Exported the record",
            AuditInteraction.Print => "Printed the record",
            _ => auditEvent.Action?.ToString() ?? "Accessed the record",
        };
    }
}

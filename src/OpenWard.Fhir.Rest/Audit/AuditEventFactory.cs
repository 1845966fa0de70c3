using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using OpenWard.Security;

namespace OpenWard.Fhir.Rest.Audit;

/// <summary>
/// Builds the FHIR R4 AuditEvent (https://hl7.org/fhir/R4/auditevent.html) for an <see cref="AuditRecord"/>,
/// following the R4 guidance for RESTful events (type "rest", subtype the interaction) and DICOM
/// audit codes (DICOM PS3.16 CID 400-402, https://dicom.nema.org/medical/dicom/current/output/chtml/part16/sect_CID_400.html)
/// for sign-in, break-glass and export. Every patient touched becomes an entity with role Patient,
/// which is what the <c>patient</c> search parameter of AuditEvent finds.
/// </summary>
public static class AuditEventFactory
{
    /// <summary>OpenWard's codes for events that are not FHIR REST interactions (login, break-glass, export...).</summary>
    public const string OpenWardSubtypeSystem = "https://openward.org/fhir/CodeSystem/audit-event-subtype";

    /// <summary>The FHIR operation invoked (code = its name without <c>$</c>), as a further subtype.</summary>
    public const string OperationSystem = "https://openward.org/fhir/CodeSystem/fhir-operation";

    /// <summary>OpenWard's staff roles (<see cref="StaffRole"/>), as agent.role.</summary>
    public const string StaffRoleSystem = "https://openward.org/fhir/CodeSystem/staff-role";

    /// <summary>The staff user name of an agent with no Practitioner resource.</summary>
    public const string UserNameSystem = "https://openward.org/fhir/sid/user-name";

    /// <summary>The OAuth client id of a system or app agent.</summary>
    public const string ClientIdSystem = "https://openward.org/fhir/sid/client-id";

    /// <summary>Free text kept with the event (<see cref="AuditRecord.Detail"/>), such as a break-glass reason.</summary>
    public const string DetailExtension = "https://openward.org/fhir/StructureDefinition/audit-detail";

    private const string AuditEventTypeSystem = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private const string RestfulInteractionSystem = "http://hl7.org/fhir/restful-interaction";
    private const string DicomSystem = "http://dicom.nema.org/resources/ontology/DCM";
    private const string SecurityRoleTypeSystem = "http://terminology.hl7.org/CodeSystem/extra-security-role-type";
    private const string SourceTypeSystem = "http://terminology.hl7.org/CodeSystem/security-source-type";
    private const string EntityTypeSystem = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private const string ObjectRoleSystem = "http://terminology.hl7.org/CodeSystem/object-role";

    // https://hl7.org/fhir/R4/codesystem-audit-event-type.html
    private static Coding RestType => new(AuditEventTypeSystem, "rest", "RESTful Operation");

    // DICOM PS3.16 CID 400 "Audit Event ID".
    private static Coding DicomExport => new(DicomSystem, "110106", "Export");
    private static Coding DicomSecurityAlert => new(DicomSystem, "110113", "Security Alert");
    private static Coding DicomUserAuthentication => new(DicomSystem, "110114", "User Authentication");

    // DICOM PS3.16 CID 401 "Audit Event Type Code" (Security Alert) and CID 402 (User Authentication).
    private static Coding DicomLogin => new(DicomSystem, "110122", "Login");
    private static Coding DicomLogout => new(DicomSystem, "110123", "Logout");
    private static Coding DicomEmergencyOverrideStarted => new(DicomSystem, "110127", "Emergency Override Started");

    // DICOM PS3.16 CID 402 "Audit Active Participant Role ID": an application taking part.
    private static CodeableConcept ApplicationAgentType => new(DicomSystem, "110150", "Application");

    // https://terminology.hl7.org/CodeSystem-extra-security-role-type.html
    private static CodeableConcept HumanUserAgentType => new(SecurityRoleTypeSystem, "humanuser", "human user");

    /// <summary>The AuditEvent for <paramref name="record"/> with id <paramref name="id"/> (meta is left to the caller).</summary>
    /// <exception cref="ArgumentException">The interaction, action or outcome is not one of the codes allowed.</exception>
    public static AuditEvent Build(AuditRecord record, string id)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var auditEvent = new AuditEvent
        {
            Id = id,
            Action = ActionOf(record.Action),
            Recorded = record.Recorded,
            Outcome = OutcomeOf(record.Outcome),
            OutcomeDesc = record.OutcomeDescription,
            PurposeOfEvent = [new CodeableConcept(AuditPurpose.System, record.PurposeOfUse)],
            Source = new AuditEvent.SourceComponent
            {
                Observer = new ResourceReference { Display = "OpenWard" },
                Type = [new Coding(SourceTypeSystem, "4", "Application Server")], // https://terminology.hl7.org/CodeSystem-security-source-type.html
            },
        };
        SetTypeAndSubtype(auditEvent, record);
        AddAgents(auditEvent, record);
        AddEntities(auditEvent, record);
        if (!string.IsNullOrEmpty(record.Detail))
        {
            auditEvent.Extension.Add(new Extension(DetailExtension, new FhirString(record.Detail)));
        }

        return auditEvent;
    }

    private static void SetTypeAndSubtype(AuditEvent auditEvent, AuditRecord record)
    {
        var interaction = record.Interaction;
        if (AuditInteraction.Rest.Contains(interaction))
        {
            auditEvent.Type = RestType;
            auditEvent.Subtype.Add(new Coding(RestfulInteractionSystem, interaction));
            if (!string.IsNullOrEmpty(record.OperationName))
            {
                auditEvent.Subtype.Add(new Coding(OperationSystem, record.OperationName.TrimStart('$')));
            }

            return;
        }

        if (!AuditInteraction.OpenWard.Contains(interaction))
        {
            throw new ArgumentException($"'{interaction}' is neither a FHIR restful-interaction nor an OpenWard audit event code.", nameof(record));
        }

        switch (interaction)
        {
            case AuditInteraction.Login or AuditInteraction.LoginFailed:
                auditEvent.Type = DicomUserAuthentication;
                auditEvent.Subtype.Add(DicomLogin);
                break;
            case AuditInteraction.Logout:
                auditEvent.Type = DicomUserAuthentication;
                auditEvent.Subtype.Add(DicomLogout);
                break;
            case AuditInteraction.BreakGlass:
                auditEvent.Type = DicomSecurityAlert;
                auditEvent.Subtype.Add(DicomEmergencyOverrideStarted);
                break;
            default: // export, print: patient data leaving the system
                auditEvent.Type = DicomExport;
                break;
        }

        auditEvent.Subtype.Add(new Coding(OpenWardSubtypeSystem, interaction));
    }

    private static void AddAgents(AuditEvent auditEvent, AuditRecord record)
    {
        var who = record.Who;
        var person = new AuditEvent.AgentComponent
        {
            Type = who.Kind == PrincipalKind.System ? ApplicationAgentType : HumanUserAgentType,
            Who = WhoReference(who),
            AltId = who.Id,
            Name = who.DisplayName,
            Requestor = true,
        };
        if (who.Role is { } role)
        {
            person.Role.Add(new CodeableConcept(StaffRoleSystem, RoleCode(role), RoleDisplay(role)));
        }

        if (!string.IsNullOrEmpty(record.Address))
        {
            // https://hl7.org/fhir/R4/codesystem-network-type.html: 2 = IP address
            person.Network = new AuditEvent.NetworkComponent { Address = record.Address, Type = AuditEvent.AuditEventAgentNetworkType.N2 };
        }

        auditEvent.Agent.Add(person);

        if (who.ClientId is { Length: > 0 } clientId && !(who.Kind == PrincipalKind.System && clientId == who.Id))
        {
            auditEvent.Agent.Add(new AuditEvent.AgentComponent
            {
                Type = ApplicationAgentType,
                Who = new ResourceReference { Identifier = new Identifier(ClientIdSystem, clientId), Display = clientId },
                Name = clientId,
                Requestor = false,
            });
        }
    }

    private static ResourceReference WhoReference(Principal who) => who switch
    {
        { Kind: PrincipalKind.Patient } => new ResourceReference($"Patient/{who.Id}", who.DisplayName),
        { PractitionerId: { Length: > 0 } practitioner } => new ResourceReference($"Practitioner/{practitioner}", who.DisplayName),
        { Kind: PrincipalKind.System } => new ResourceReference { Identifier = new Identifier(ClientIdSystem, who.Id), Display = who.DisplayName },
        _ => new ResourceReference { Identifier = new Identifier(UserNameSystem, who.Id), Display = who.DisplayName },
    };

    private static void AddEntities(AuditEvent auditEvent, AuditRecord record)
    {
        foreach (var patientId in record.PatientIds.Distinct(StringComparer.Ordinal))
        {
            auditEvent.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference($"Patient/{patientId}"),
                Type = new Coding(EntityTypeSystem, "1", "Person"), // https://terminology.hl7.org/CodeSystem-audit-entity-type.html
                Role = new Coding(ObjectRoleSystem, "1", "Patient"), // https://terminology.hl7.org/CodeSystem-object-role.html
            });
        }

        foreach (var reference in record.Entities.Distinct(StringComparer.Ordinal))
        {
            auditEvent.Entity.Add(new AuditEvent.EntityComponent
            {
                What = new ResourceReference(reference),
                Type = new Coding(EntityTypeSystem, "2", "System Object"),
                Role = new Coding(ObjectRoleSystem, "4", "Domain Resource"),
            });
        }

        if (!string.IsNullOrEmpty(record.Query))
        {
            // sev-1: an entity has a name or a query, not both.
            auditEvent.Entity.Add(new AuditEvent.EntityComponent
            {
                Type = new Coding(EntityTypeSystem, "2", "System Object"),
                Role = new Coding(ObjectRoleSystem, "24", "Query"),
                Query = Encoding.UTF8.GetBytes(record.Query),
            });
        }
    }

    private static AuditEvent.AuditEventAction ActionOf(char action) => action switch
    {
        AuditAction.Create => AuditEvent.AuditEventAction.C,
        AuditAction.Read => AuditEvent.AuditEventAction.R,
        AuditAction.Update => AuditEvent.AuditEventAction.U,
        AuditAction.Delete => AuditEvent.AuditEventAction.D,
        AuditAction.Execute => AuditEvent.AuditEventAction.E,
        _ => throw new ArgumentException($"'{action}' is not an audit event action (C, R, U, D or E).", nameof(action)),
    };

    private static AuditEvent.AuditEventOutcome OutcomeOf(int outcome) => outcome switch
    {
        AuditOutcome.Success => AuditEvent.AuditEventOutcome.N0,
        AuditOutcome.MinorFailure => AuditEvent.AuditEventOutcome.N4,
        AuditOutcome.SeriousFailure => AuditEvent.AuditEventOutcome.N8,
        AuditOutcome.MajorFailure => AuditEvent.AuditEventOutcome.N12,
        _ => throw new ArgumentException($"{outcome.ToString(CultureInfo.InvariantCulture)} is not an audit event outcome (0, 4, 8 or 12).", nameof(outcome)),
    };

    private static string RoleCode(StaffRole role) => role switch
    {
        StaffRole.Doctor => "doctor",
        StaffRole.Nurse => "nurse",
        StaffRole.Pharmacist => "pharmacist",
        StaffRole.AlliedHealthProfessional => "allied-health-professional",
        StaffRole.WardClerk => "ward-clerk",
        StaffRole.PrivacyOfficer => "privacy-officer",
        StaffRole.SystemAdministrator => "system-administrator",
        StaffRole.RecordsManager => "records-manager",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    private static string RoleDisplay(StaffRole role) => role switch
    {
        StaffRole.AlliedHealthProfessional => "Allied health professional",
        StaffRole.WardClerk => "Ward clerk",
        StaffRole.PrivacyOfficer => "Privacy officer",
        StaffRole.SystemAdministrator => "System administrator",
        StaffRole.RecordsManager => "Records manager",
        _ => role.ToString(),
    };
}

namespace OpenWard.Security;

/// <summary>What kind of party is asking.</summary>
public enum PrincipalKind
{
    /// <summary>A member of staff, signed in directly or through an app acting for them.</summary>
    Staff,

    /// <summary>A backend system (SMART Backend Services, client credentials): no person involved.</summary>
    System,

    /// <summary>A patient (or their proxy) looking at their own record.</summary>
    Patient,
}

/// <summary>
/// Who is asking, as established at sign-in or from a token: the person or system, their role and
/// the places and teams that give them care relationships. Everything the policy and the audit
/// trail need to know about the caller, and nothing else.
/// </summary>
/// <param name="Id">Stable identifier: the staff user name, the system client id, or the Patient id.</param>
public sealed record Principal(PrincipalKind Kind, string Id, string DisplayName)
{
    /// <summary>The staff member's role; null for systems and patients.</summary>
    public StaffRole? Role { get; init; }

    /// <summary>The staff member's Practitioner resource id, if they have one (used as the audit agent and for "my patients").</summary>
    public string? PractitionerId { get; init; }

    /// <summary>Location ids of the wards the staff member works on.</summary>
    public IReadOnlyList<string> Wards { get; init; } = [];

    /// <summary>CareTeam ids of the clinic and specialty teams the staff member belongs to (referrals and clinic lists).</summary>
    public IReadOnlyList<string> Teams { get; init; } = [];

    /// <summary>The app acting for this principal (SMART client id), or null when the person is using OpenWard itself.</summary>
    public string? ClientId { get; init; }

    public static Principal SystemClient(string clientId) => new(PrincipalKind.System, clientId, clientId) { ClientId = clientId };
}

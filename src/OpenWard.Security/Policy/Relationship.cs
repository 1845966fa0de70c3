namespace OpenWard.Security.Policy;

/// <summary>How the caller stands to the patient whose data is asked for; worked out before the policy is asked.</summary>
public enum Relationship
{
    /// <summary>No reason on record to see this patient.</summary>
    None,

    /// <summary>
    /// The patient is on one of my wards, in my clinic list, referred to my team, or I am their named
    /// responsible clinician.
    /// </summary>
    CareRelationship,

    /// <summary>I hold an active break-glass grant for this patient.</summary>
    BreakGlass,

    /// <summary>The principal is the patient. Not a staff relationship: for staff it counts as <see cref="None"/>.</summary>
    Self,
}

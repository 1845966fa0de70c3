using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;

namespace OpenWard.Clinical.Registration;

/// <summary>
/// The resources a record merge writes, and those that undo it: pure functions over FHIR R4.
/// A merge retires the duplicate record (Patient.active false, link <c>replaced-by</c> the surviving
/// record), marks the surviving record (link <c>replaces</c>), moves every resource of the duplicate
/// by changing its patient references, and writes a Provenance of what it moved, who did it and
/// why, which is what the undo reads (and writes one of its own). Patient.link types: http://hl7.org/fhir/link-type (R4).
/// </summary>
public static class RecordMerge
{
    /// <summary>OpenWard's own codes for the Provenance of a merge and of its undoing (a local code system, not a national one).</summary>
    public const string ActivitySystem = "https://fhir.openward.example/CodeSystem/record-merge";

    public const string MergeActivity = "merge";

    public const string UndoActivity = "undo-merge";

    public const int MaximumReasonLength = 500;

    /// <summary>What is wrong with the record chosen to keep ("Surviving"), NHS-style; empty when it may be merged into.</summary>
    public static IReadOnlyList<(string Field, string Message)> ValidateSurviving(Patient duplicate, Patient? surviving, string? survivingInput)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(survivingInput))
        {
            errors.Add(("Surviving", "Enter the NHS number or hospital number of the record to keep"));
        }
        else if (surviving is null)
        {
            errors.Add(("Surviving", "No record has this NHS number or hospital number: check it and enter it again"));
        }
        else if (surviving.Id == duplicate.Id)
        {
            errors.Add(("Surviving", "This is the record you are merging: enter the number of the other record, the one to keep"));
        }
        else if (ReplacedBy(surviving) is { } survivor)
        {
            errors.Add(("Surviving", $"That record has itself been merged into {survivor}: merge into that record instead"));
        }
        else if (ReplacedBy(duplicate) is { } already)
        {
            errors.Add(("Surviving", $"This record has already been merged into {already}: undo that merge first"));
        }

        return errors;
    }

    /// <summary>What is wrong with the reason given ("Reason") for <paramref name="doing"/> ("merging these records").</summary>
    public static IReadOnlyList<(string Field, string Message)> ValidateReason(string? reason, string doing)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(("Reason", $"Enter the reason for {doing}"));
        }
        else if (reason.Trim().Length > MaximumReasonLength)
        {
            errors.Add(("Reason", $"The reason must be {MaximumReasonLength} characters or fewer"));
        }

        return errors;
    }

    /// <summary>The reference of the record this one was merged into, or null when it has not been.</summary>
    public static string? ReplacedBy(Patient patient) =>
        patient.Link.FirstOrDefault(l => l.Type == Patient.LinkType.ReplacedBy)?.Other?.Reference;

    /// <summary>The activity of a merge or undo Provenance written by OpenWard (<see cref="MergeActivity"/>, <see cref="UndoActivity"/>), or null for any other resource.</summary>
    public static string? ActivityOf(Resource resource) =>
        resource is Provenance provenance && provenance.Activity?.Coding.FirstOrDefault(c => c.System == ActivitySystem) is { } coding ? coding.Code : null;

    /// <summary>What a merge Provenance moved: its targets other than the two Patients.</summary>
    public static IEnumerable<string> MovedBy(Provenance merge) =>
        merge.Target.Select(t => t.Reference).OfType<string>().Where(r => !r.StartsWith("Patient/", StringComparison.Ordinal));

    /// <summary>
    /// A copy of <paramref name="resource"/> whose references to Patient/<paramref name="fromId"/>
    /// (relative, versioned or absolute) point at Patient/<paramref name="toId"/>; null when it has none.
    /// </summary>
    public static Resource? Repointed(Resource resource, string fromId, string toId)
    {
        var copy = (Resource)resource.DeepCopy();
        var changed = false;
        foreach (var reference in ReferenceWalker.All(copy))
        {
            if (reference.Reference is { } value && PointsAt(value, fromId))
            {
                reference.Reference = $"Patient/{toId}";
                changed = true;
            }
        }

        return changed ? copy : null;
    }

    /// <summary>The duplicate, retired: inactive, and replaced by the surviving record.</summary>
    public static Patient Retired(Patient duplicate, string survivingId)
    {
        var copy = (Patient)duplicate.DeepCopy();
        copy.Active = false;
        copy.Link.RemoveAll(l => l.Type == Patient.LinkType.ReplacedBy);
        copy.Link.Add(new Patient.LinkComponent { Other = new ResourceReference($"Patient/{survivingId}"), Type = Patient.LinkType.ReplacedBy });
        return copy;
    }

    /// <summary>The surviving record, marked as replacing the duplicate.</summary>
    public static Patient Surviving(Patient surviving, string duplicateId)
    {
        var copy = (Patient)surviving.DeepCopy();
        copy.Link.Add(new Patient.LinkComponent { Other = new ResourceReference($"Patient/{duplicateId}"), Type = Patient.LinkType.Replaces });
        return copy;
    }

    /// <summary>The duplicate brought back: active again, no longer replaced.</summary>
    public static Patient Restored(Patient duplicate)
    {
        var copy = (Patient)duplicate.DeepCopy();
        copy.Active = true;
        copy.Link.RemoveAll(l => l.Type == Patient.LinkType.ReplacedBy);
        return copy;
    }

    /// <summary>The surviving record without its <c>replaces</c> link to the duplicate.</summary>
    public static Patient Unlinked(Patient surviving, string duplicateId)
    {
        var copy = (Patient)surviving.DeepCopy();
        copy.Link.RemoveAll(l => l.Type == Patient.LinkType.Replaces && l.Other?.Reference == $"Patient/{duplicateId}");
        return copy;
    }

    /// <summary>
    /// The Provenance of a merge or its undoing (<paramref name="activity"/>): the duplicate first (so
    /// it is in the duplicate's compartment, where the undo looks for it), the surviving record, then
    /// every resource moved; who did it and why. The server writes it; nobody may write audit data.
    /// </summary>
    public static Provenance Record(string activity, string duplicateId, string survivingId, IEnumerable<string> moved, string reason, string byName, string? byPractitionerId, DateTimeOffset now) => new()
    {
        Target = [new ResourceReference($"Patient/{duplicateId}"), new ResourceReference($"Patient/{survivingId}"), .. moved.Select(reference => new ResourceReference(reference))],
        Recorded = now,
        Activity = new CodeableConcept(ActivitySystem, activity, activity == MergeActivity ? "Record merge" : "Record merge undone"),
        Reason = [new CodeableConcept { Text = reason.Trim() }],
        Agent =
        [
            new Provenance.AgentComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"),
                Who = new ResourceReference { Reference = byPractitionerId is null ? null : $"Practitioner/{byPractitionerId}", Display = byName },
            },
        ],
    };

    private static bool PointsAt(string reference, string patientId)
    {
        var local = $"Patient/{patientId}";
        var at = reference.IndexOf(local, StringComparison.Ordinal);
        if (at < 0 || (at > 0 && reference[at - 1] != '/'))
        {
            return false;
        }

        var rest = reference[(at + local.Length)..];
        return rest.Length == 0 || rest.StartsWith("/_history/", StringComparison.Ordinal);
    }
}

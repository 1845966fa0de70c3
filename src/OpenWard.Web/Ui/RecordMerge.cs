using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;

namespace OpenWard.Web.Ui;

/// <summary>
/// The resources a record merge writes, and those that undo it: pure functions over FHIR R4.
/// A merge retires the duplicate record (Patient.active false, link <c>replaced-by</c> the surviving
/// record), marks the surviving record (link <c>replaces</c>), moves every resource of the duplicate
/// by changing its patient references, and keeps a List of what it moved (subject: the duplicate),
/// which is what the undo reads. Patient.link types: http://hl7.org/fhir/link-type (R4).
/// </summary>
public static class RecordMerge
{
    /// <summary>OpenWard's own code for the List a merge keeps (a local code system, not a national one).</summary>
    public static readonly Coding MergeListCode = new("https://fhir.openward.example/CodeSystem/record-merge", "moved-by-merge", "Resources moved by a record merge");

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

    /// <summary>True for the List a merge keeps of what it moved.</summary>
    public static bool IsMergeList(Resource resource) =>
        resource is List list && list.Code?.Coding.Any(c => c.System == MergeListCode.System && c.Code == MergeListCode.Code) == true;

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

    /// <summary>The List a merge keeps: what it moved, from which record to which, who did it and why.</summary>
    public static List MergeList(string duplicateId, string survivingId, IEnumerable<string> moved, string reason, string byName, string? byPractitionerId, DateTimeOffset now)
    {
        return new List
        {
            Status = List.ListStatus.Current,
            Mode = ListMode.Working,
            Title = $"Moved to Patient/{survivingId} by a record merge",
            Code = new CodeableConcept { Coding = [(Coding)MergeListCode.DeepCopy()], Text = MergeListCode.Display },
            Subject = new ResourceReference($"Patient/{duplicateId}"),
            Date = new FhirDateTime(now).ToString(),
            Source = byPractitionerId is null ? null : new ResourceReference($"Practitioner/{byPractitionerId}"),
            Note = [Note($"Merged into Patient/{survivingId}: {reason.Trim()}", byName, now)],
            Entry = [.. moved.Select(reference => new List.EntryComponent { Item = new ResourceReference(reference) })],
        };
    }

    /// <summary>The merge List once the merge is undone: retired, with who undid it and why.</summary>
    public static List Undone(List mergeList, string reason, string byName, DateTimeOffset now)
    {
        var copy = (List)mergeList.DeepCopy();
        copy.Status = List.ListStatus.Retired;
        copy.Note.Add(Note($"Merge undone: {reason.Trim()}", byName, now));
        return copy;
    }

    private static Annotation Note(string text, string byName, DateTimeOffset now) =>
        new() { Text = new Markdown(text), Author = new FhirString(byName), Time = new FhirDateTime(now).ToString() };

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

using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// The reason every change to a recorded allergy, problem or note needs, checked here and,
/// for allergies and problems, kept in the resource itself as an
/// annotation (its <c>note</c>) with who and when, so that any reader of any version sees why it changed.
/// </summary>
public static class ChangeNote
{
    public const int MaximumReasonLength = 500;

    /// <summary>Who wrote the reason, by reference when they have a Practitioner, otherwise by name.</summary>
    public static Annotation Create(string text, string? authorPractitionerId, string authorName, DateTimeOffset now) => new()
    {
        Author = authorPractitionerId is null ? new FhirString(authorName) : new ResourceReference($"Practitioner/{authorPractitionerId}", authorName),
        TimeElement = new FhirDateTime(now),
        Text = text,
    };

    /// <summary>The latest note's text and author, as a version is shown.</summary>
    public static (string? Reason, string? By) Latest(IReadOnlyList<Annotation> notes)
    {
        var latest = notes.Count == 0 ? null : notes[^1];
        return (latest?.Text, latest?.Author switch
        {
            ResourceReference author => author.Display ?? author.Reference,
            FhirString author => author.Value,
            _ => null,
        });
    }

    /// <summary>Adds the reason's error, if any, under the field name "Reason".</summary>
    public static void Check(string? reason, string missing, List<(string Field, string Message)> errors)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            errors.Add(("Reason", missing));
        }
        else if (reason.Trim().Length > MaximumReasonLength)
        {
            errors.Add(("Reason", $"Reason must be {MaximumReasonLength} characters or fewer"));
        }
    }
}

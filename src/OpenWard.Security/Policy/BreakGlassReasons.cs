using System.Diagnostics.CodeAnalysis;

namespace OpenWard.Security.Policy;

/// <summary>A reason a user may give for breaking glass.</summary>
/// <param name="RequiresText">Whether the user must describe the reason in their own words.</param>
public sealed record BreakGlassReason(string Code, string Display, bool RequiresText);

/// <summary>The coded reasons for breaking glass, and the rules for a valid one.</summary>
public static class BreakGlassReasons
{
    /// <summary>An OpenWard-defined code system (not published by HL7 or NHS England).</summary>
    public const string System = "https://openward.org/fhir/CodeSystem/break-glass-reason";

    public const int MinimumOtherTextLength = 10;
    public const int MaximumTextLength = 500;

    /// <summary>How long a grant lasts unless the user asks for less. OpenWard's default, to become configurable.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(4);

    /// <summary>The longest grant a user may ask for. OpenWard's default, to become configurable.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(12);

    public static IReadOnlyList<BreakGlassReason> All { get; } =
    [
        new("emergency-care", "Emergency care: the patient needs treatment now", RequiresText: false),
        new("unplanned-attendance", "The patient has come to my ward or clinic unplanned", RequiresText: false),
        new("covering-colleague", "Covering for a colleague or on-call", RequiresText: false),
        new("safeguarding", "Safeguarding concern", RequiresText: false),
        new("other", "Other reason (describe it)", RequiresText: true),
    ];

    public static bool TryGet(string? code, [NotNullWhen(true)] out BreakGlassReason? reason)
    {
        reason = All.FirstOrDefault(candidate => candidate.Code == code);
        return reason is not null;
    }

    /// <summary>Null when the code and text make a valid reason; otherwise a message to show the user.</summary>
    public static string? Validate(string? code, string? freeText)
    {
        if (!TryGet(code, out var reason))
            return "Choose one of the listed reasons for breaking glass.";
        var text = freeText?.Trim() ?? "";
        if (text.Length > MaximumTextLength)
            return $"Keep the description to {MaximumTextLength} characters or fewer.";
        if (reason.RequiresText && text.Length < MinimumOtherTextLength)
            return $"Describe your reason in at least {MinimumOtherTextLength} characters.";
        return null;
    }
}

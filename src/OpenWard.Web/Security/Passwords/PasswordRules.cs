using System.Globalization;

namespace OpenWard.Web.Security.Passwords;

/// <summary>
/// The rules a new password must meet. Length only, no composition rules: the NCSC favours long passwords
/// (for example three random words) over complexity rules (https://www.ncsc.gov.uk/collection/passwords).
/// </summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;

    /// <summary>An upper bound so that hashing cost stays predictable.</summary>
    public const int MaximumLength = 256;

    /// <summary>Null when the password is acceptable; otherwise a message to show the user. Length counts characters as people see them.</summary>
    public static string? Validate(string? password)
    {
        var length = password is null ? 0 : new StringInfo(password).LengthInTextElements;
        if (length < MinimumLength)
            return $"Use at least {MinimumLength} characters; three random words make a strong, memorable password.";
        if (length > MaximumLength)
            return $"Use no more than {MaximumLength} characters.";
        return null;
    }
}

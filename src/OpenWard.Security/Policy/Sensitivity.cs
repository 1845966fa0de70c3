namespace OpenWard.Security.Policy;

/// <summary>
/// Extra-sensitive kinds of record that only some roles see without breaking glass. Read from a resource's
/// meta.security labels by <see cref="SensitivityLabels"/>.
/// </summary>
[Flags]
public enum Sensitivity
{
    None = 0,

    /// <summary>Sexual health, HIV and sexually transmitted infection.</summary>
    SexualHealth = 1,

    /// <summary>Mental health and psychotherapy.</summary>
    MentalHealth = 2,

    /// <summary>Sexual assault, abuse or domestic violence.</summary>
    Safeguarding = 4,

    /// <summary>A patient whose whole record is restricted: a public figure (VIP) or a member of staff.</summary>
    RestrictedPerson = 8,
}

/// <summary>
/// Translates between FHIR meta.security labels and <see cref="Sensitivity"/>. The codes are from the HL7 v3
/// ActCode code system (https://terminology.hl7.org/CodeSystem-v3-ActCode.html), checked against the copy
/// bundled in the FHIR R4 4.0.1 specification (v3-codesystems.xml).
/// </summary>
public static class SensitivityLabels
{
    /// <summary>The v3-ActCode system URI used in meta.security codings.</summary>
    public const string ActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private static readonly Dictionary<string, Sensitivity> ByCode = new(StringComparer.Ordinal)
    {
        ["HIV"] = Sensitivity.SexualHealth, // HIV/AIDS information sensitivity
        ["STD"] = Sensitivity.SexualHealth, // sexually transmitted disease information sensitivity
        ["PSY"] = Sensitivity.MentalHealth, // psychiatry disorder information sensitivity
        ["PSYTHPN"] = Sensitivity.MentalHealth, // psychotherapy note information sensitivity
        ["MH"] = Sensitivity.MentalHealth, // mental health information sensitivity
        ["SDV"] = Sensitivity.Safeguarding, // sexual assault, abuse, or domestic violence information sensitivity
        ["CEL"] = Sensitivity.RestrictedPerson, // celebrity information sensitivity
        ["EMP"] = Sensitivity.RestrictedPerson, // employee information sensitivity
        // VIP ("celebrity information sensitivity") is in later v3-ActCode releases, not the R4 4.0.1 copy;
        // other systems may send it, so it restricts too.
        ["VIP"] = Sensitivity.RestrictedPerson,
    };

    // The one code OpenWard writes when a user marks a record: the broadest code of each group, so the label
    // does not say more about the patient than the flag does (STD rather than HIV), and EMP because in a
    // hospital a restricted patient is far more often a member of staff than a celebrity.
    private static readonly Dictionary<Sensitivity, string> CodeByFlag = new()
    {
        [Sensitivity.SexualHealth] = "STD",
        [Sensitivity.MentalHealth] = "PSY",
        [Sensitivity.Safeguarding] = "SDV",
        [Sensitivity.RestrictedPerson] = "EMP",
    };

    /// <summary>
    /// The sensitivity a resource's meta.security labels give it. Only v3-ActCode codings count (system must
    /// match exactly, codes are case-sensitive); anything else, including unknown codes, adds nothing.
    /// </summary>
    public static Sensitivity FromSecurityLabels(IEnumerable<(string? System, string? Code)> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var sensitivity = Sensitivity.None;
        foreach (var (system, code) in labels)
        {
            if (system == ActCodeSystem && code is not null && ByCode.TryGetValue(code, out var flag))
                sensitivity |= flag;
        }
        return sensitivity;
    }

    /// <summary>The v3-ActCode code to write for one sensitivity flag (STD, PSY, SDV or EMP).</summary>
    /// <exception cref="ArgumentOutOfRangeException">None, or more than one flag.</exception>
    public static string CodeFor(Sensitivity flag) =>
        CodeByFlag.TryGetValue(flag, out var code)
            ? code
            : throw new ArgumentOutOfRangeException(nameof(flag), flag, "Give exactly one sensitivity flag.");

    /// <summary>The codes to write for a combination of flags, one per flag set, in flag order.</summary>
    public static IReadOnlyList<string> CodesFor(Sensitivity sensitivity) =>
        [.. Flags(sensitivity).Select(CodeFor)];

    /// <summary>The single flags set in <paramref name="sensitivity"/>, in flag order.</summary>
    public static IEnumerable<Sensitivity> Flags(Sensitivity sensitivity) =>
        CodeByFlag.Keys.Order().Where(flag => sensitivity.HasFlag(flag));
}

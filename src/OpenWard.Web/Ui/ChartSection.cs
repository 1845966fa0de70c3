using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// What one section of a chart page found: the resources the user can see, whether there are more
/// than are shown, and whether the user's role may not see this kind of record at all.
/// </summary>
public sealed record ChartSection<T>(IReadOnlyList<T> Items, bool More, bool Hidden)
{
    /// <summary>
    /// What to say when there is nothing to list. Nothing found is not the same as nothing there: the
    /// record may be elsewhere, or hidden from this user by the policy, so the words say "recorded"
    /// and "that you can see", never "none".
    /// </summary>
    public string NothingText(string what) => Hidden ? $"Not shown: your role cannot see {what}." : $"No {what} recorded that you can see.";
}

/// <summary>Builds <see cref="ChartSection{T}"/> from a search of the patient's record.</summary>
public static class ChartSection
{
    /// <summary>Nothing found (yet).</summary>
    public static ChartSection<T> Nothing<T>() => new([], false, false);

    /// <summary>The user's role may not see this kind of record.</summary>
    public static ChartSection<T> NotAllowed<T>() => new([], false, true);

    /// <summary>The matches of type <typeparamref name="T"/>; <paramref name="found"/> null means the role may not search them.</summary>
    public static ChartSection<T> Of<T>(OpenWard.Web.Pages.Patients.PatientReads.Found? found) where T : Resource =>
        found is null ? NotAllowed<T>() : new([.. found.Of<T>()], found.More, false);
}

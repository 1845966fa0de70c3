using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// Changing a registered patient's GP practice and contacts: choose another practice (or Not
/// known), remove contacts who are no longer right, add one. Applied to the version the form was
/// opened on; everything else on the Patient is kept as it is.
/// </summary>
public sealed class ContactDetailsForm
{
    /// <summary>The Organization id of the GP practice; empty when not known.</summary>
    public string? GpPracticeId { get; set; }

    /// <summary>Positions in Patient.contact (of the version the form was opened on) to remove.</summary>
    public List<int> Remove { get; set; } = [];

    public string? ContactName { get; set; }

    public string? ContactRelationship { get; set; }

    public string? ContactRole { get; set; }

    public string? ContactPhone { get; set; }

    private bool AddsContact => PatientContacts.IsGiven(ContactName, ContactRelationship, ContactRole, ContactPhone);

    /// <summary>The form as it opens: the patient's current practice chosen, nothing removed or added.</summary>
    public static ContactDetailsForm For(Patient patient) => new() { GpPracticeId = CurrentPracticeId(patient) };

    /// <summary>The Organization id the patient's GP practice reference names, if any.</summary>
    public static string? CurrentPracticeId(Patient patient) =>
        patient.GeneralPractitioner.Select(g => g.Reference).FirstOrDefault(r => r?.StartsWith("Organization/", StringComparison.Ordinal) == true)?["Organization/".Length..];

    public IReadOnlyList<(string Field, string Message)> Validate(Patient current, IReadOnlyList<GpPractice> practices)
    {
        var errors = new List<(string Field, string Message)>();
        if (!string.IsNullOrEmpty(GpPracticeId) && GpPracticeId != CurrentPracticeId(current) && practices.All(p => p.Id != GpPracticeId))
        {
            errors.Add((nameof(GpPracticeId), "Select the patient's GP practice from the list, or Not known"));
        }

        if (Remove.Any(i => i < 0 || i >= current.Contact.Count))
        {
            errors.Add((nameof(Remove), "Select only contacts listed here"));
        }

        if (AddsContact)
        {
            PatientContacts.Validate(ContactName, ContactRelationship, ContactRole, ContactPhone, errors);
        }

        return errors;
    }

    /// <summary>Whether the valid form changes the patient at all.</summary>
    public bool ChangesNothing(Patient current) =>
        (GpPracticeId ?? "") == (CurrentPracticeId(current) ?? "") && Remove.Count == 0 && !AddsContact;

    /// <summary>
    /// A copy of the patient with the form applied. A new practice replaces every GP reference (a named
    /// GP belongs to the old practice); the same practice keeps them as they are.
    /// </summary>
    public Patient Apply(Patient current, GpPractice? practice)
    {
        var changed = (Patient)current.DeepCopy();
        if ((GpPracticeId ?? "") != (CurrentPracticeId(current) ?? ""))
        {
            changed.GeneralPractitioner = practice is null ? [] : [practice.Reference()];
        }

        foreach (var index in Remove.Distinct().OrderDescending())
        {
            changed.Contact.RemoveAt(index);
        }

        if (AddsContact)
        {
            changed.Contact.Add(PatientContacts.Component(ContactName!, ContactRelationship!, ContactRole!, ContactPhone!));
        }

        return changed;
    }
}

using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// What the patient banner (Pages/Shared/_PatientBanner.cshtml) shows. Demographics come from the
/// Patient resource, which staff may read without a care relationship; allergies and the current
/// location are clinical record and come only from what the user was allowed to read, else the
/// banner says they are not shown.
/// </summary>
public sealed record PatientBanner(
    string Name,
    string NhsNumber,
    string Born,
    string Age,
    string Sex,
    string HospitalNumber,
    string Allergies,
    BannerAllergyState AllergyState,
    string Location)
{
    public const string NotShown = "Not shown: open the record to see";

    /// <summary>The Patient's id: js/patient-tabs.js tells tabs showing different patients apart by it.</summary>
    public string PatientId { get; init; } = "";

    /// <summary>SNOMED CT 716186003 |No known allergy| (UK Core uses it for "no known allergies").</summary>
    private const string NoKnownAllergyCode = "716186003";

    /// <summary>SNOMED CT 409137002 |No known history of drug allergy|.</summary>
    private const string NoKnownDrugAllergyCode = "409137002";

    /// <summary>The banner of a patient whose clinical record the user may read.</summary>
    public static PatientBanner For(Patient patient, DateOnly today, IEnumerable<AllergyIntolerance> allergies, string? location)
    {
        var (text, state) = AllergySummary(allergies);
        return new(
            PatientDisplay.Name(patient), PatientDisplay.NhsNumber(patient), PatientDisplay.Born(patient), PatientDisplay.Age(patient, today),
            PatientDisplay.Sex(patient), PatientDisplay.HospitalNumber(patient), text, state, location ?? PatientDisplay.NotKnown)
        {
            PatientId = patient.Id ?? "",
        };
    }

    /// <summary>The banner of a patient whose clinical record the user may not read (yet): demographics only.</summary>
    public static PatientBanner DemographicsOnly(Patient patient, DateOnly today) => new(
        PatientDisplay.Name(patient), PatientDisplay.NhsNumber(patient), PatientDisplay.Born(patient), PatientDisplay.Age(patient, today),
        PatientDisplay.Sex(patient), PatientDisplay.HospitalNumber(patient), NotShown, BannerAllergyState.NotShown, NotShown)
    {
        PatientId = patient.Id ?? "",
    };

    /// <summary>
    /// "No known allergies" only when that was recorded; nothing recorded either way is a warning,
    /// because it is not the same as no allergies. Refuted, entered-in-error and resolved entries do not count.
    /// </summary>
    public static (string Text, BannerAllergyState State) AllergySummary(IEnumerable<AllergyIntolerance> allergies)
    {
        var current = allergies.Where(IsCurrent).ToList();
        var substances = current.Where(a => !IsNoKnownAllergy(a)).Select(a => PatientDisplay.Text(a.Code)).Distinct().ToList();
        if (substances.Count > 0)
        {
            return (string.Join(", ", substances), BannerAllergyState.Recorded);
        }

        return current.Count > 0
            ? ("No known allergies", BannerAllergyState.NoneKnown)
            : ("Allergies not recorded", BannerAllergyState.NotRecorded);
    }

    /// <summary>Not refuted, entered in error, inactive or resolved.</summary>
    public static bool IsCurrent(AllergyIntolerance allergy)
    {
        var verification = allergy.VerificationStatus?.Coding.FirstOrDefault()?.Code;
        var clinical = allergy.ClinicalStatus?.Coding.FirstOrDefault()?.Code;
        return verification is not ("refuted" or "entered-in-error") && clinical is not ("inactive" or "resolved");
    }

    /// <summary>True for a "no known allergies" statement (SNOMED CT 716186003 or 409137002).</summary>
    public static bool IsNoKnownAllergy(AllergyIntolerance allergy) =>
        allergy.Code?.Coding.Any(c => c.System == "http://snomed.info/sct" && c.Code is NoKnownAllergyCode or NoKnownDrugAllergyCode) == true;
}

public enum BannerAllergyState
{
    Recorded,
    NoneKnown,
    NotRecorded,
    NotShown,
}

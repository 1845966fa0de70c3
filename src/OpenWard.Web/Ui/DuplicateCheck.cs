using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// The check before registering a patient: which existing Patients may be the same person. Pure:
/// the caller runs <see cref="Searches"/> (through FhirRestService, with the user's access) and hands
/// the Patients found to <see cref="Find"/>.
/// <list type="bullet">
/// <item>the same NHS number is <see cref="DuplicateKind.SameNhsNumber"/>: the NHS number belongs to
/// one person, so registering is refused and the existing record linked;</item>
/// <item>a close name (<see cref="NameSimilarity.PeopleAreClose"/>) with the same date of birth and the
/// same postcode (spaces and case ignored) is <see cref="DuplicateKind.SimilarPerson"/>: shown so the
/// user can tell them apart, and registering anyway needs a reason.</item>
/// </list>
/// Patients already merged away (active false with a replaced-by link) are not offered: the record to
/// open is the one they were merged into.
/// </summary>
public static class DuplicateCheck
{
    /// <summary>What was typed on the registration form that the check uses.</summary>
    /// <param name="NhsNumber">Ten digits, or null when no NHS number was given.</param>
    public sealed record Details(string Given, string Family, DateOnly BirthDate, string Postcode, string? NhsNumber);

    public sealed record Match(Patient Patient, DuplicateKind Kind);

    /// <summary>
    /// The Patient searches that find every candidate: by NHS number when one was given, and by date of
    /// birth (a close name and postcode can only be compared after reading, since FHIR name search
    /// matches starts of names, not near misses).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Searches(Details details)
    {
        var searches = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        if (details.NhsNumber is { } nhs)
        {
            searches.Add([new("identifier", $"{OpenWard.Fhir.NhsNumber.IdentifierSystem}|{nhs}")]);
        }

        searches.Add([new("birthdate", details.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
        return searches;
    }

    /// <summary>The possible duplicates among <paramref name="candidates"/>, same NHS number first; each Patient once.</summary>
    public static IReadOnlyList<Match> Find(Details details, IEnumerable<Patient> candidates)
    {
        var matches = new List<Match>();
        foreach (var patient in candidates.Where(p => !IsMergedAway(p)).DistinctBy(p => p.Id))
        {
            if (details.NhsNumber is { } nhs && patient.Identifier.Any(i => i.System == OpenWard.Fhir.NhsNumber.IdentifierSystem && i.Value == nhs))
            {
                matches.Add(new(patient, DuplicateKind.SameNhsNumber));
            }
            else if (IsSimilar(details, patient))
            {
                matches.Add(new(patient, DuplicateKind.SimilarPerson));
            }
        }

        return [.. matches.OrderBy(m => m.Kind)];
    }

    /// <summary>Postcode compared without spaces and case: "ls1 4ap" is "LS1 4AP".</summary>
    public static string NormalisePostcode(string? postcode) =>
        new([.. (postcode ?? "").Where(c => !char.IsWhiteSpace(c)).Select(char.ToUpperInvariant)]);

    private static bool IsSimilar(Details details, Patient patient)
    {
        if (PatientDisplay.BirthDate(patient) != details.BirthDate)
        {
            return false;
        }

        var postcode = NormalisePostcode(details.Postcode);
        if (postcode.Length == 0 || !patient.Address.Any(a => NormalisePostcode(a.PostalCode) == postcode))
        {
            return false;
        }

        return patient.Name.Any(n => NameSimilarity.PeopleAreClose(details.Given, details.Family, n.Given.FirstOrDefault(), n.Family));
    }

    private static bool IsMergedAway(Patient patient) =>
        patient.Active == false && patient.Link.Any(l => l.Type == Patient.LinkType.ReplacedBy);
}

/// <summary>Why an existing Patient may be the person being registered; the order is the order shown.</summary>
public enum DuplicateKind
{
    /// <summary>Same NHS number: registering is refused.</summary>
    SameNhsNumber,

    /// <summary>Close name, same date of birth and postcode: registering needs a reason.</summary>
    SimilarPerson,
}

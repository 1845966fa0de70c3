using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// The routes of administration formulary rules name, and how an order's <c>dosageInstruction.route</c>
/// is read as one: by SNOMED CT code, or by words in its text or display. Codes and displays are
/// those of UK Core's SubstanceOrProductAdministrationRoute value set (the dm+d ePrescribing route
/// reference set; ../shared/data/ukcore-r4-2.0.0/valuesets/ValueSet-UKCore-SubstanceOrProductAdministrationRoute.xml).
/// </summary>
public static class MedicineRoutes
{
    private sealed record Route(string Name, string[] Snomed, string[] Words);

    private static readonly Route[] All =
    [
        new("oral", ["26643006"], ["oral", "by mouth", "po", "orally"]),
        new("intravenous", ["47625008"], ["intravenous", "iv", "intravenously", "intravenous infusion", "intravenous bolus"]),
        new("subcutaneous", ["34206005"], ["subcutaneous", "sc", "subcut", "s/c", "subcutaneously"]),
        new("intramuscular", ["78421000"], ["intramuscular", "im", "intramuscularly"]),
        new("intrathecal", ["72607000"], ["intrathecal", "it", "intrathecally"]),
        new("epidural", ["404820008"], ["epidural"]),
        new("inhalation", ["18679011000001101"], ["inhalation", "inhaled", "nebulised", "nebulized", "respiratory tract"]),
        new("rectal", ["37161004"], ["rectal", "pr", "rectally"]),
        new("sublingual", ["37839007"], ["sublingual"]),
        new("buccal", ["54471007"], ["buccal"]),
        new("nasal", ["46713006"], ["nasal", "intranasal"]),
        new("topical", ["6064005"], ["topical", "cutaneous", "skin"]),
        new("transdermal", ["45890007"], ["transdermal"]),
        new("ophthalmic", ["54485002"], ["ophthalmic", "eye"]),
        new("vaginal", ["16857009"], ["vaginal"]),
        new("intraarterial", ["58100008"], ["intraarterial", "intra-arterial"]),
        new("nasogastric", ["127492001"], ["nasogastric", "ng"]),
        new("gastrostomy", ["127490009", "225691000001105"], ["gastrostomy", "peg"]),
    ];

    /// <summary>The route names a formulary may use.</summary>
    public static IEnumerable<string> Names => All.Select(r => r.Name);

    /// <summary>The route a name in a formulary file means (its name or one of its words), or null.</summary>
    public static string? Find(string? name) =>
        name is null ? null : All.FirstOrDefault(r => r.Name == name || r.Words.Contains(name.Trim().ToLowerInvariant()))?.Name;

    /// <summary>
    /// The route an order's route concept names: a UK Core SNOMED CT code first, then its text or
    /// displays read whole (e.g. "Intravenous", "IV infusion"). Null when nothing says, or when two
    /// routes are named.
    /// </summary>
    public static string? Of(CodeableConcept? route)
    {
        if (route is null)
            return null;
        var coded = route.Coding
            .Where(c => c.System == "http://snomed.info/sct" && c.Code is not null)
            .Select(c => All.FirstOrDefault(r => r.Snomed.Contains(c.Code))?.Name)
            .OfType<string>()
            .Distinct()
            .ToList();
        if (coded.Count == 1)
            return coded[0];
        if (coded.Count > 1)
            return null;
        var named = new[] { route.Text }.Concat(route.Coding.Select(c => c.Display)).OfType<string>()
            .SelectMany(text => All.Where(r => r.Words.Any(w => Checks.Words.Contain(text, w))).Select(r => r.Name))
            .Distinct()
            .ToList();
        return named.Count == 1 ? named[0] : null;
    }

    /// <summary>Whether the route concept says anything at all (a code or text), so an unread one can be reported.</summary>
    public static bool IsGiven(CodeableConcept? route) =>
        route is not null && (route.Coding.Count > 0 || !string.IsNullOrWhiteSpace(route.Text));
}

using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// A GP practice the patient can be registered with: an Organization OpenWard holds whose ODS code has
/// a GP practice's shape, one letter and five digits (NHS Organisation Data Service, "GP practice"
/// codes, for example A81001), which tells practices apart from trusts (three characters) and their
/// sites (five).
/// </summary>
public sealed partial record GpPractice(string Id, string Name, string OdsCode)
{
    public const string OdsSystem = "https://fhir.nhs.uk/Id/ods-organization-code";

    /// <summary>How many Organizations are looked through for practices; a directory larger than this lists the first ones by name.</summary>
    public const int Searched = 1000;

    public string Label => $"{Name} ({OdsCode})";

    public static GpPractice? From(Organization organization) =>
        organization.Identifier.FirstOrDefault(i => i.System == OdsSystem && i.Value is not null && PracticeCode().IsMatch(i.Value))?.Value is { } code
        && organization.Id is { } id && organization.Active != false
            ? new GpPractice(id, organization.Name ?? code, code)
            : null;

    /// <summary>Patient.generalPractitioner: the Organization, with its ODS code so the reference still means something outside OpenWard.</summary>
    public ResourceReference Reference() => new($"Organization/{Id}", Name) { Identifier = new Identifier(OdsSystem, OdsCode) };

    [GeneratedRegex("^[A-Z][0-9]{5}$")]
    private static partial Regex PracticeCode();
}

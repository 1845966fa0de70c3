using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// A patient's next of kin or emergency contact as a form takes one (registration, changing the
/// contacts): name, who they are to the patient, whether next of kin, and a phone number, all given
/// or none; written as a Patient.contact conformant to UK Core Patient.
/// </summary>
public static class PatientContacts
{
    /// <summary>
    /// What the contact is to the patient's care, HL7 v2-0131 (in UK Core PersonRelationshipType,
    /// profiles/ukcore-r4-2.0.0/valuesets): next of kin, or an emergency contact only.
    /// </summary>
    public static readonly IReadOnlyList<(string Code, string Label)> Roles = [("N", "Next of kin"), ("C", "Emergency contact only")];

    public const string RoleSystem = "http://terminology.hl7.org/CodeSystem/v2-0131";

    /// <summary>
    /// Who the contact is, from UK Core PersonRelationshipType (profiles/ukcore-r4-2.0.0/valuesets):
    /// v3-RoleCode personal relationships and UK Core's carer, with their displays there.
    /// </summary>
    public static readonly IReadOnlyList<(string System, string Code, string Display, string Label)> Relationships =
    [
        (RoleCodeSystem, "SPS", "spouse", "Husband, wife or civil partner"),
        (RoleCodeSystem, "DOMPART", "domestic partner", "Partner"),
        (RoleCodeSystem, "PRN", "parent", "Parent"),
        (RoleCodeSystem, "CHILD", "child", "Son or daughter"),
        (RoleCodeSystem, "SIB", "sibling", "Brother or sister"),
        (RoleCodeSystem, "FRND", "unrelated friend", "Friend"),
        ("https://fhir.hl7.org.uk/CodeSystem/UKCore-AdditionalPersonRelationshipRole", "Carer", "Carer of patient", "Carer"),
    ];

    public const int MaximumNameLength = 100;

    private const string RoleCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

    /// <summary>Whether any of the contact's fields was filled in (then all must be).</summary>
    public static bool IsGiven(string? name, string? relationship, string? role, string? phone) =>
        new[] { name, relationship, role, phone }.Any(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>Adds a message for each field missing or wrong, under the field names ContactName, ContactRelationship, ContactRole and ContactPhone.</summary>
    public static void Validate(string? name, string? relationship, string? role, string? phone, List<(string Field, string Message)> errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(("ContactName", "Enter the contact's name, or leave all the contact's details empty"));
        }
        else if (name.Length > MaximumNameLength)
        {
            errors.Add(("ContactName", $"This must be {MaximumNameLength} characters or fewer"));
        }

        if (!Relationships.Any(r => r.Code == relationship))
        {
            errors.Add(("ContactRelationship", "Select who the contact is to the patient"));
        }

        if (!Roles.Any(r => r.Code == role))
        {
            errors.Add(("ContactRole", "Select whether the contact is the patient's next of kin"));
        }

        var digits = new string((phone ?? "").Where(char.IsAsciiDigit).ToArray());
        if (string.IsNullOrWhiteSpace(phone))
        {
            errors.Add(("ContactPhone", "Enter the contact's phone number"));
        }
        else if (phone.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '+' or '(' or ')' or '-')) || digits.Length is < 10 or > 13)
        {
            errors.Add(("ContactPhone", "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"));
        }
    }

    /// <summary>The Patient.contact for a valid contact.</summary>
    public static Patient.ContactComponent Component(string name, string relationship, string role, string phone)
    {
        var kind = Roles.First(r => r.Code == role);
        var who = Relationships.First(r => r.Code == relationship);
        return new Patient.ContactComponent
        {
            Relationship =
            [
                new CodeableConcept(RoleSystem, kind.Code, kind.Code == "N" ? "Next-of-Kin" : "Emergency Contact"),
                new CodeableConcept(who.System, who.Code, who.Display),
            ],
            Name = new HumanName { Text = name.Trim() },
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, phone.Trim())],
        };
    }
}

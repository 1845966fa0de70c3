using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenWard.Web.Ui;

/// <summary>
/// How patient details are written on every page, following the NHS common user interface (CUI)
/// conventions for patient identification: FAMILY name in capitals then given names and title,
/// NHS number in 3-3-4 groups, dates as 27-Mar-1957, and "Not known" rather than a blank.
/// </summary>
public static class PatientDisplay
{
    public const string NotKnown = "Not known";

    /// <summary>
    /// The trust's local patient identifier (hospital number, MRN) system. Illustrative: each trust
    /// has its own; this is the one the demo data uses.
    /// </summary>
    public const string HospitalNumberSystem = OpenWard.Clinical.Registration.HospitalNumbers.System;

    /// <summary>"SMITH, Ann Marie (Mrs)".</summary>
    public static string Name(Patient patient) => Name(patient.Name);

    public static string Name(IEnumerable<HumanName> names)
    {
        var list = names.ToList();
        var name = list.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? list.FirstOrDefault();
        if (name is null || (string.IsNullOrWhiteSpace(name.Family) && !name.Given.Any()))
        {
            return name?.Text ?? "Name not known";
        }

        var family = string.IsNullOrWhiteSpace(name.Family) ? "" : name.Family.ToUpper(CultureInfo.GetCultureInfo("en-GB"));
        var given = string.Join(' ', name.Given);
        var title = name.Prefix.Any() ? $" ({string.Join(' ', name.Prefix)})" : "";
        return family.Length > 0 && given.Length > 0 ? $"{family}, {given}{title}" : $"{family}{given}{title}";
    }

    /// <summary>A member of staff's name as said on a ward: "Dr Sam Patel".</summary>
    public static string StaffName(Practitioner practitioner)
    {
        var name = practitioner.Name.FirstOrDefault();
        return name is null ? NotKnown : string.Join(' ', name.Prefix.Concat(name.Given).Append(name.Family).Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    /// <summary>"943 476 5919", or "Not known" when the patient has no valid NHS number.</summary>
    public static string NhsNumber(Patient patient) =>
        patient.Identifier.FirstOrDefault(i => i.System == OpenWard.Fhir.NhsNumber.IdentifierSystem && OpenWard.Fhir.NhsNumber.IsValid(i.Value))?.Value is { } value
            ? OpenWard.Fhir.NhsNumber.Format(value)
            : NotKnown;

    public static string HospitalNumber(Patient patient) =>
        patient.Identifier.FirstOrDefault(i => i.System == HospitalNumberSystem && !string.IsNullOrWhiteSpace(i.Value))?.Value ?? NotKnown;

    public static DateOnly? BirthDate(Patient patient) =>
        DateOnly.TryParseExact(patient.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born) ? born : null;

    /// <summary>"27-Mar-1957", the CUI date format (month as three letters, so never ambiguous).</summary>
    // Invariant month names: en-GB writes "Sept", the NHS CUI date format wants three letters ("24-Sep-2020").
    public static string Date(DateOnly date) => date.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture);

    public static string Born(Patient patient) => BirthDate(patient) is { } born ? Date(born) : patient.BirthDate ?? NotKnown;

    /// <summary>
    /// Age in the CUI style, coarser as people get older: days under 4 weeks ("12d"), weeks under a
    /// year ("20w"), months under 2 years ("18m"), then years ("67y"). A simplification of the NHS CUI
    /// age display guidance (which also splits hours and weeks-and-days); "Not known" without a date.
    /// </summary>
    public static string Age(Patient patient, DateOnly today)
    {
        if (BirthDate(patient) is not { } born || born > today)
        {
            return NotKnown;
        }

        var days = today.DayNumber - born.DayNumber;
        if (days < 28)
        {
            return $"{days}d";
        }

        var years = today.Year - born.Year - (today < born.AddYears(today.Year - born.Year) ? 1 : 0);
        if (years < 1)
        {
            return $"{days / 7}w";
        }

        if (years < 2)
        {
            var months = ((today.Year - born.Year) * 12) + today.Month - born.Month - (today.Day < born.Day ? 1 : 0);
            return $"{months}m";
        }

        return $"{years}y";
    }

    public static string Sex(Patient patient) => patient.Gender switch
    {
        AdministrativeGender.Male => "Male",
        AdministrativeGender.Female => "Female",
        AdministrativeGender.Other => "Other",
        _ => NotKnown,
    };

    public static string Postcode(Patient patient)
    {
        var address = patient.Address.FirstOrDefault(a => a.Use == Address.AddressUse.Home && a.Period?.End is null)
            ?? patient.Address.FirstOrDefault();
        return string.IsNullOrWhiteSpace(address?.PostalCode) ? NotKnown : address.PostalCode;
    }

    /// <summary>The GP practice as the reference names it (its display, else its ODS code), when the Organization itself was not read.</summary>
    public static string GpPractice(Patient patient) =>
        patient.GeneralPractitioner.FirstOrDefault() is { } gp ? gp.Display ?? gp.Identifier?.Value ?? NotKnown : NotKnown;

    /// <summary>Each contact as "Jane Jackson (Next of kin, spouse), 07777 123123"; empty when none is recorded.</summary>
    public static IReadOnlyList<string> Contacts(Patient patient) =>
    [
        .. patient.Contact.Select(contact =>
        {
            var name = contact.Name is { } n ? n.Text ?? Name([n]) : contact.Organization?.Display ?? NotKnown;
            var roles = contact.Relationship.Select(r => r.Coding.FirstOrDefault() is { Code: "N", System: PatientContacts.RoleSystem } ? "Next of kin" : Text(r));
            var phone = contact.Telecom.FirstOrDefault(t => t.System == ContactPoint.ContactPointSystem.Phone)?.Value;
            return $"{name} ({string.Join(", ", roles.DefaultIfEmpty("Contact"))}){(phone is null ? "" : $", {phone}")}";
        }),
    ];

    /// <summary>Text of a code: its text, else the first coding's display, else "Not known".</summary>
    public static string Text(CodeableConcept? concept) =>
        concept?.Text ?? concept?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c.Display))?.Display ?? NotKnown;
}

using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace OpenWard.Web.Ui;

/// <summary>
/// The "Register a patient" form: what a receptionist types, checked with messages they understand
/// (missing fields, dates that do not exist or cannot be a birth date, an NHS number whose check digit
/// is wrong), and the UK Core Patient it becomes. Pure: the caller gives today's date and the
/// hospital number to assign.
/// </summary>
public sealed partial class RegistrationForm
{
    public const string UkCoreProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";

    /// <summary>UK Core's extension for why a Patient has no NHS number (profiles/ukcore-r4-2.0.0, Extension-UKCore-NHSNumberUnavailableReason, on Patient).</summary>
    public const string NhsNumberUnavailableReasonExtension = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberUnavailableReason";

    public const string NhsNumberUnavailableReasonSystem = "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberUnavailableReason";

    /// <summary>The reasons, as CodeSystem-UKCore-NHSNumberUnavailableReason (profiles/ukcore-r4-2.0.0/codesystems) defines them.</summary>
    public static readonly IReadOnlyList<(string Code, string Display)> NhsNumberUnavailableReasons =
        [("nhs-number-not-known", "NHS number not known"), ("overseas-patient", "Overseas patient"), ("devolved-nation", "Devolved nation")];

    /// <summary>Administrative gender (FHIR R4 required binding), labelled as the NHS asks.</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> Sexes =
        [("female", "Female"), ("male", "Male"), ("other", "Other"), ("unknown", "Not known")];

    /// <summary>Nobody registered is older than this: an earlier year is a typing slip.</summary>
    public const int OldestAge = 130;

    public const int MaximumTextLength = 100;

    public string? Title { get; set; }

    public string? Given { get; set; }

    public string? Family { get; set; }

    public string? BirthDay { get; set; }

    public string? BirthMonth { get; set; }

    public string? BirthYear { get; set; }

    public string? Sex { get; set; }

    public string? NhsNumber { get; set; }

    /// <summary>A code of <see cref="NhsNumberUnavailableReasons"/>, required when no NHS number is given.</summary>
    public string? NhsNumberUnavailableReason { get; set; }

    public string? AddressLine { get; set; }

    public string? Town { get; set; }

    public string? Postcode { get; set; }

    /// <summary>The Organization id of the patient's GP practice, one of the <see cref="GpPractice"/>s listed; empty when not known.</summary>
    public string? GpPracticeId { get; set; }

    /// <summary>The contact's name as the patient gives it (optional, with the fields after it).</summary>
    public string? ContactName { get; set; }

    /// <summary>A code of <see cref="PatientContacts.Relationships"/>.</summary>
    public string? ContactRelationship { get; set; }

    /// <summary>A code of <see cref="PatientContacts.Roles"/>.</summary>
    public string? ContactRole { get; set; }

    public string? ContactPhone { get; set; }

    private bool HasContact => PatientContacts.IsGiven(ContactName, ContactRelationship, ContactRole, ContactPhone);

    /// <summary>The NHS number's ten digits, when one was typed (spaces and hyphens allowed).</summary>
    public string? NhsNumberDigits =>
        string.IsNullOrWhiteSpace(NhsNumber) ? null : NhsNumber.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    /// <summary>The date of birth, when the three boxes make a real date.</summary>
    public DateOnly? BirthDate =>
        int.TryParse(BirthDay, Digits, CultureInfo.InvariantCulture, out var d)
        && int.TryParse(BirthMonth, Digits, CultureInfo.InvariantCulture, out var m)
        && int.TryParse(BirthYear, Digits, CultureInfo.InvariantCulture, out var y)
        && y is >= 1 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m)
            ? new DateOnly(y, m, d)
            : null;

    // Digits only, with spaces around them forgiven (people type " 7").
    private const NumberStyles Digits = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;

    /// <summary>The errors, field by field, in the order of the fields on the page.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate(DateOnly today, IReadOnlyList<GpPractice>? practices = null)
    {
        var errors = new List<(string, string)>();
        Text(errors, nameof(Given), Given, "Enter the patient's given name");
        Text(errors, nameof(Family), Family, "Enter the patient's family name");
        BirthDateErrors(errors, today);
        if (!Sexes.Any(s => s.Code == Sex))
        {
            errors.Add((nameof(Sex), "Select the patient's sex"));
        }

        if (NhsNumberDigits is { } digits)
        {
            if (digits.Length != 10 || !digits.All(char.IsAsciiDigit))
            {
                errors.Add((nameof(NhsNumber), "Enter an NHS number of 10 digits, for example 943 476 5919"));
            }
            else if (!OpenWard.Fhir.NhsNumber.IsValid(digits))
            {
                errors.Add((nameof(NhsNumber), $"{OpenWard.Fhir.NhsNumber.Format(digits)} is not a valid NHS number: its last digit (the check digit) does not match the others. Check the number"));
            }
        }
        else if (!NhsNumberUnavailableReasons.Any(r => r.Code == NhsNumberUnavailableReason))
        {
            errors.Add((nameof(NhsNumberUnavailableReason), "Enter the NHS number, or select why it is not known"));
        }

        Text(errors, nameof(AddressLine), AddressLine, "Enter the first line of the address");
        Text(errors, nameof(Town), Town, "Enter the town or city");
        if (string.IsNullOrWhiteSpace(Postcode))
        {
            errors.Add((nameof(Postcode), "Enter the postcode"));
        }
        else if (!PostcodeShape().IsMatch(DuplicateCheck.NormalisePostcode(Postcode)))
        {
            errors.Add((nameof(Postcode), "Enter a real postcode, for example LS1 4AP"));
        }

        if (!string.IsNullOrEmpty(GpPracticeId) && practices?.Any(p => p.Id == GpPracticeId) != true)
        {
            errors.Add((nameof(GpPracticeId), "Select the patient's GP practice from the list, or Not known"));
        }

        if (HasContact)
        {
            PatientContacts.Validate(ContactName, ContactRelationship, ContactRole, ContactPhone, errors);
        }

        if (Title?.Length > MaximumTextLength)
        {
            errors.Add((nameof(Title), $"Title must be {MaximumTextLength} characters or fewer"));
        }

        return errors;
    }

    /// <summary>What the duplicate check compares; only for a form without errors.</summary>
    public DuplicateCheck.Details ToDuplicateDetails() =>
        new(Given!.Trim(), Family!.Trim(), BirthDate!.Value, Postcode!, NhsNumberDigits);

    /// <summary>The Patient (claiming UK Core Patient) for a valid form, with the hospital number OpenWard assigned.</summary>
    public Patient ToResource(string hospitalNumber, GpPractice? practice = null)
    {
        var name = new HumanName { Use = HumanName.NameUse.Official, Family = Family!.Trim(), Given = [.. Given!.Split(' ', StringSplitOptions.RemoveEmptyEntries)] };
        if (!string.IsNullOrWhiteSpace(Title))
        {
            name.Prefix = [Title.Trim()];
        }

        var patient = new Patient
        {
            Meta = new Meta { Profile = [UkCoreProfile] },
            Active = true,
            Name = [name],
            Gender = EnumUtility.ParseLiteral<AdministrativeGender>(Sex!)!.Value,
            BirthDate = BirthDate!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Address =
            [
                new Address
                {
                    Use = Address.AddressUse.Home,
                    Line = [AddressLine!.Trim()],
                    City = Town!.Trim(),
                    PostalCode = FormatPostcode(Postcode!),
                },
            ],
        };
        if (NhsNumberDigits is { } nhs)
        {
            patient.Identifier.Add(new Identifier(OpenWard.Fhir.NhsNumber.IdentifierSystem, nhs));
        }
        else
        {
            var reason = NhsNumberUnavailableReasons.First(r => r.Code == NhsNumberUnavailableReason);
            patient.Extension.Add(new Extension(NhsNumberUnavailableReasonExtension, new CodeableConcept(NhsNumberUnavailableReasonSystem, reason.Code, reason.Display)));
        }

        patient.Identifier.Add(new Identifier(PatientDisplay.HospitalNumberSystem, hospitalNumber) { Use = Identifier.IdentifierUse.Usual });
        if (practice is not null)
        {
            patient.GeneralPractitioner.Add(practice.Reference());
        }

        if (HasContact)
        {
            patient.Contact.Add(PatientContacts.Component(ContactName!, ContactRelationship!, ContactRole!, ContactPhone!));
        }

        return patient;
    }

    /// <summary>"ls14ap" as written: "LS1 4AP" (the inward code is always the last three characters).</summary>
    public static string FormatPostcode(string postcode)
    {
        var compact = DuplicateCheck.NormalisePostcode(postcode);
        return compact.Length > 3 ? $"{compact[..^3]} {compact[^3..]}" : compact;
    }

    private void BirthDateErrors(List<(string, string)> errors, DateOnly today)
    {
        const string field = nameof(BirthDay);
        if (string.IsNullOrWhiteSpace(BirthDay) && string.IsNullOrWhiteSpace(BirthMonth) && string.IsNullOrWhiteSpace(BirthYear))
        {
            errors.Add((field, "Enter the patient's date of birth"));
        }
        else if (string.IsNullOrWhiteSpace(BirthDay) || string.IsNullOrWhiteSpace(BirthMonth) || string.IsNullOrWhiteSpace(BirthYear))
        {
            errors.Add((field, "Date of birth must include a day, month and year"));
        }
        else if (BirthYear.Trim().Length != 4)
        {
            errors.Add((field, "Year must include 4 numbers"));
        }
        else if (BirthDate is not { } born)
        {
            errors.Add((field, "Date of birth must be a real date, for example 27 3 1957"));
        }
        else if (born > today)
        {
            errors.Add((field, "Date of birth must be today or in the past"));
        }
        else if (born < today.AddYears(-OldestAge))
        {
            errors.Add((field, $"Date of birth must be after {PatientDisplay.Date(today.AddYears(-OldestAge))}: check the year"));
        }
    }

    private static void Text(List<(string, string)> errors, string field, string? value, string missing)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add((field, missing));
        }
        else if (value.Length > MaximumTextLength)
        {
            errors.Add((field, $"This must be {MaximumTextLength} characters or fewer"));
        }
    }

    // UK postcode shape without the space: outward code (area letters, district), inward code (digit, two letters).
    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")]
    private static partial Regex PostcodeShape();
}

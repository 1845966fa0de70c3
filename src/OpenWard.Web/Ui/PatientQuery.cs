using System.Globalization;
using OpenWard.Fhir;

namespace OpenWard.Web.Ui;

/// <summary>
/// What a member of staff typed in "Find a patient", understood as one of: an NHS number (ten
/// digits, spaces or hyphens allowed), a hospital number (H and seven digits, as the demo data
/// assigns them), a date of birth (dd/mm/yyyy or yyyy-mm-dd), or one or more name words; or a plain
/// explanation of why it is none of them. Pure: no clock, no I/O.
/// </summary>
public abstract record PatientQuery
{
    /// <summary>Longest query accepted: longer text is not a name anyone types.</summary>
    public const int MaximumLength = 100;

    /// <summary>At most this many name words are searched (each one narrows the search).</summary>
    public const int MaximumNameWords = 4;

    private PatientQuery()
    {
    }

    /// <summary>Nothing was typed.</summary>
    public sealed record Empty : PatientQuery;

    /// <summary>A valid NHS number, as its ten digits.</summary>
    public sealed record ByNhsNumber(string Digits) : PatientQuery;

    /// <summary>A hospital number (the local identifier, <see cref="PatientDisplay.HospitalNumberSystem"/>), upper case.</summary>
    public sealed record ByHospitalNumber(string Value) : PatientQuery;

    public sealed record ByBirthDate(DateOnly Date) : PatientQuery;

    /// <summary>Name words, each matched as the start of any part of the patient's name.</summary>
    public sealed record ByName(IReadOnlyList<string> Words) : PatientQuery
    {
        public bool Equals(ByName? other) => other is not null && Words.SequenceEqual(other.Words);

        public override int GetHashCode() => Words.Count;
    }

    /// <summary>Not something we can search for; <paramref name="Message"/> says why, in plain words.</summary>
    public sealed record Invalid(string Message) : PatientQuery;

    public static PatientQuery Parse(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return new Empty();
        }

        if (trimmed.Length > MaximumLength)
        {
            return new Invalid($"Search for at most {MaximumLength} characters");
        }

        // A date first: "1957-03-27" would otherwise read as eight digits of an NHS number.
        if (TryParseDate(trimmed, out var date))
        {
            return new ByBirthDate(date);
        }

        // Before the digits: "H0000012" holds digits but is neither a date nor an NHS number.
        if (IsHospitalNumber(trimmed))
        {
            return new ByHospitalNumber(trimmed.ToUpperInvariant());
        }

        var digits = trimmed.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            if (digits.Length != 10)
            {
                return new Invalid($"An NHS number has 10 digits; you entered {digits.Length}");
            }

            return NhsNumber.IsValid(digits)
                ? new ByNhsNumber(digits)
                : new Invalid($"{NhsNumber.Format(digits)} is not a valid NHS number: its last digit (the check digit) does not match the others. Check the number and try again");
        }

        if (trimmed.Any(char.IsAsciiDigit))
        {
            return NotADate(trimmed);
        }

        var words = trimmed.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (!words.All(w => w.Any(char.IsLetter)))
        {
            return new Invalid("Enter a name, an NHS number or a date of birth");
        }

        return new ByName([.. words.Take(MaximumNameWords)]);
    }

    /// <summary>The FHIR search parameters of Patient that find this query (empty when it is not a search).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToSearchParameters() => this switch
    {
        ByNhsNumber n => [new("identifier", $"{NhsNumber.IdentifierSystem}|{n.Digits}")],
        ByHospitalNumber h => [new("identifier", $"{PatientDisplay.HospitalNumberSystem}|{h.Value}")],
        ByBirthDate d => [new("birthdate", d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))],
        // Repeated parameters must all match (FHIR search, AND): "john smi" finds John Smith, not every John.
        ByName n => [.. n.Words.Select(w => new KeyValuePair<string, string>("name", w))],
        _ => [],
    };

    /// <summary>
    /// The hospital number's shape: "H" then seven digits, as the demo data assigns them
    /// (OpenWard.DemoData PatientRecordGenerator). A lower-case "h" is accepted, as people type it.
    /// </summary>
    public static bool IsHospitalNumber(string text) =>
        text.Length == 8 && (text[0] is 'H' or 'h') && text.Skip(1).All(char.IsAsciiDigit);

    private static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, ["d/M/yyyy", "yyyy-M-d", "d.M.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static Invalid NotADate(string text)
    {
        var looksLikeDate = text.Count(c => c is '/' or '-' or '.') == 2 && text.All(c => char.IsAsciiDigit(c) || c is '/' or '-' or '.');
        return new Invalid(looksLikeDate
            ? $"{text} is not a real date. Enter a date of birth as day/month/year, for example 27/03/1957"
            : "Enter a name, an NHS number or a date of birth (for example 27/03/1957)");
    }
}

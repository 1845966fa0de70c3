using System.Diagnostics.CodeAnalysis;

namespace OpenWard.Fhir;

/// <summary>
/// The NHS number: ten digits, the last a Modulus 11 check digit over the first nine.
/// </summary>
/// <remarks>
/// Rule from the NHS Data Model and Dictionary,
/// https://www.datadictionary.nhs.uk/attributes/nhs_number.html : multiply each of the first nine
/// digits by a weight from 10 down to 2, add the products, take the remainder on division by 11 and
/// subtract it from 11. A result of 11 gives check digit 0; a result of 10 means the nine digits can
/// never form a valid NHS number.
/// </remarks>
public static class NhsNumber
{
    /// <summary>The identifier system for NHS numbers in FHIR (UK Core).</summary>
    public const string IdentifierSystem = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>
    /// True when <paramref name="value"/> is exactly ten ASCII digits whose last digit is the Modulus 11
    /// check digit of the first nine. Spaces are not accepted: FHIR identifiers carry the bare digits,
    /// and the 3-3-4 spacing is for display only (<see cref="Format"/>).
    /// </summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != 10 || !AllDigits(value))
        {
            return false;
        }

        var check = CheckDigit(value.AsSpan(0, 9));
        return check != 10 && check == value[9] - '0';
    }

    /// <summary>The display form, three, three and four digits separated by spaces ("943 476 5919").</summary>
    public static string Format(string tenDigits)
    {
        ArgumentNullException.ThrowIfNull(tenDigits);
        if (tenDigits.Length != 10 || !AllDigits(tenDigits))
        {
            throw new ArgumentException("An NHS number has exactly ten digits.", nameof(tenDigits));
        }

        return string.Create(12, tenDigits, static (span, digits) =>
        {
            digits.AsSpan(0, 3).CopyTo(span);
            span[3] = ' ';
            digits.AsSpan(3, 3).CopyTo(span[4..]);
            span[7] = ' ';
            digits.AsSpan(6, 4).CopyTo(span[8..]);
        });
    }

    /// <summary>
    /// Appends the Modulus 11 check digit to nine digits. Throws <see cref="ArgumentException"/> when the
    /// nine digits give a check value of 10, because no NHS number begins with them.
    /// </summary>
    public static string WithCheckDigit(string nineDigits)
    {
        ArgumentNullException.ThrowIfNull(nineDigits);
        if (nineDigits.Length != 9 || !AllDigits(nineDigits))
        {
            throw new ArgumentException("Expected exactly nine digits.", nameof(nineDigits));
        }

        var check = CheckDigit(nineDigits);
        if (check == 10)
        {
            throw new ArgumentException($"{nineDigits} gives Modulus 11 check value 10, so it cannot start an NHS number.", nameof(nineDigits));
        }

        return Append(nineDigits, check);
    }

    /// <summary>
    /// Appends the Modulus 11 check digit to nine digits, or returns false when the nine digits give a
    /// check value of 10 (for callers that walk through candidate numbers, such as synthetic data).
    /// </summary>
    public static bool TryWithCheckDigit(string nineDigits, [NotNullWhen(true)] out string? nhsNumber)
    {
        ArgumentNullException.ThrowIfNull(nineDigits);
        if (nineDigits.Length != 9 || !AllDigits(nineDigits))
        {
            throw new ArgumentException("Expected exactly nine digits.", nameof(nineDigits));
        }

        var check = CheckDigit(nineDigits);
        nhsNumber = check == 10 ? null : Append(nineDigits, check);
        return nhsNumber is not null;
    }

    /// <summary>The check value 0-10 of nine digits (10 meaning "no valid check digit").</summary>
    internal static int CheckDigit(ReadOnlySpan<char> nineDigits)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (nineDigits[i] - '0') * (10 - i);
        }

        var check = 11 - (sum % 11);
        return check == 11 ? 0 : check;
    }

    private static string Append(string nineDigits, int check) =>
        string.Create(10, (nineDigits, check), static (span, state) =>
        {
            state.nineDigits.AsSpan().CopyTo(span);
            span[9] = (char)('0' + state.check);
        });

    private static bool AllDigits(string value)
    {
        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}

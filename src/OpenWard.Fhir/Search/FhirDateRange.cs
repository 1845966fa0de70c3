using System.Diagnostics.CodeAnalysis;

namespace OpenWard.Fhir.Search;

/// <summary>
/// A FHIR date, dateTime or instant as the closed range of instants it covers at its precision
/// (https://hl7.org/fhir/R4/search.html#date): "2024" covers 2024-01-01T00:00:00Z up to
/// 2024-12-31T23:59:59.9999999Z, "2024-03-05T10:15:30.1Z" covers one tenth of a second. Index entries
/// and query values both use it, so they always agree.
/// </summary>
/// <remarks>
/// A value without a time zone (a date, or a dateTime written without one) is taken as UTC: FHIR
/// leaves the zone of such values unknown, and the server has no better guess than one fixed zone.
/// Ranges are returned in UTC (offset zero) and clamped to <see cref="DateTimeOffset.MinValue"/> and
/// <see cref="DateTimeOffset.MaxValue"/>.
/// </remarks>
public static class FhirDateRange
{
    private const int TicksDigits = 7; // one tick is 10^-7 s

    // Ticks in one unit of the last digit, by the number of fraction digits written (0 to 7).
    private static readonly long[] TicksPerFractionDigits = [TimeSpan.TicksPerSecond, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    /// <summary>The range <paramref name="value"/> covers: <c>yyyy</c>, <c>yyyy-mm</c>, <c>yyyy-mm-dd</c> or <c>yyyy-mm-ddThh:mm[:ss[.f...]][Z|(+|-)hh:mm]</c>.</summary>
    /// <exception cref="FormatException">The value is none of those forms, or not a real date.</exception>
    public static (DateTimeOffset Low, DateTimeOffset High) Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParse(value, out var range)
            ? range
            : throw new FormatException($"'{value}' is not a FHIR date, dateTime or instant (yyyy, yyyy-mm, yyyy-mm-dd or yyyy-mm-ddThh:mm:ss[.fff][Z|+hh:mm]).");
    }

    /// <summary>Like <see cref="TryParse(string?, out ValueTuple{DateTimeOffset, DateTimeOffset})"/>, with the ends apart.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out DateTimeOffset low, out DateTimeOffset high)
    {
        var parsed = TryParse(value, out (DateTimeOffset Low, DateTimeOffset High) range);
        (low, high) = range;
        return parsed;
    }

    /// <summary>Like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? value, out (DateTimeOffset Low, DateTimeOffset High) range)
    {
        range = default;
        if (value is null)
        {
            return false;
        }

        var text = value.AsSpan();
        var position = 0;
        if (!TryReadDigits(text, ref position, 4, out var year) || year < 1)
        {
            return false;
        }

        int month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        var offset = TimeSpan.Zero;
        var spanTicks = (DateTime.IsLeapYear(year) ? 366 : 365) * TimeSpan.TicksPerDay;

        if (position < text.Length)
        {
            if (!TryExpect(text, ref position, '-') || !TryReadDigits(text, ref position, 2, out month) || month is < 1 or > 12)
            {
                return false;
            }

            spanTicks = DateTime.DaysInMonth(year, month) * TimeSpan.TicksPerDay;
        }

        if (position < text.Length)
        {
            if (!TryExpect(text, ref position, '-') || !TryReadDigits(text, ref position, 2, out day) || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            spanTicks = TimeSpan.TicksPerDay;
        }

        if (position < text.Length)
        {
            if (!TryExpect(text, ref position, 'T')
                || !TryReadDigits(text, ref position, 2, out hour) || hour > 23
                || !TryExpect(text, ref position, ':')
                || !TryReadDigits(text, ref position, 2, out minute) || minute > 59)
            {
                return false;
            }

            spanTicks = TimeSpan.TicksPerMinute;
            if (position < text.Length && text[position] == ':')
            {
                position++;
                if (!TryReadDigits(text, ref position, 2, out second) || second > 60)
                {
                    return false;
                }

                // FHIR's regex allows a leap second (:60); .NET has none, so it counts as the minute's last second.
                second = Math.Min(second, 59);
                spanTicks = TimeSpan.TicksPerSecond;
                if (position < text.Length && text[position] == '.')
                {
                    position++;
                    var digits = 0;
                    while (position < text.Length && char.IsAsciiDigit(text[position]))
                    {
                        if (digits < TicksDigits)
                        {
                            fractionTicks = (fractionTicks * 10) + (text[position] - '0');
                        }

                        digits++;
                        position++;
                    }

                    if (digits == 0)
                    {
                        return false;
                    }

                    var kept = Math.Min(digits, TicksDigits);
                    fractionTicks *= TicksPerFractionDigits[kept];
                    spanTicks = TicksPerFractionDigits[kept];
                }
            }

            if (position < text.Length && !TryReadZone(text, ref position, out offset))
            {
                return false;
            }
        }

        if (position != text.Length)
        {
            return false;
        }

        var start = new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks;
        var low = start - offset.Ticks;
        var high = start + spanTicks - 1 - offset.Ticks;
        range = (AsUtc(low), AsUtc(high));
        return true;
    }

    private static DateTimeOffset AsUtc(long ticks) =>
        new(Math.Clamp(ticks, DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks), TimeSpan.Zero);

    private static bool TryReadZone(ReadOnlySpan<char> text, ref int position, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (text[position] == 'Z')
        {
            position++;
            return true;
        }

        if (text[position] is not ('+' or '-'))
        {
            return false;
        }

        var sign = text[position] == '-' ? -1 : 1;
        position++;
        if (!TryReadDigits(text, ref position, 2, out var hours) || hours > 14
            || !TryExpect(text, ref position, ':')
            || !TryReadDigits(text, ref position, 2, out var minutes) || minutes > 59)
        {
            return false;
        }

        offset = sign * new TimeSpan(hours, minutes, 0);
        return true;
    }

    private static bool TryExpect(ReadOnlySpan<char> text, ref int position, char expected)
    {
        if (position >= text.Length || text[position] != expected)
        {
            return false;
        }

        position++;
        return true;
    }

    private static bool TryReadDigits(ReadOnlySpan<char> text, ref int position, int count, out int number)
    {
        number = 0;
        if (position + count > text.Length)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var c = text[position + i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        position += count;
        return true;
    }
}

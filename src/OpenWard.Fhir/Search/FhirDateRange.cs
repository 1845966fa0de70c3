using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenWard.Fhir.Search;

/// <summary>
/// A FHIR date, dateTime or instant as the closed range of instants it covers at the precision it is
/// written (https://hl7.org/fhir/R4/search.html#date): <c>2024</c> is the whole year 2024,
/// <c>2024-03-01T10:15</c> the whole minute. Shared by search values and date index entries so that
/// both sides compare the same way.
/// </summary>
public static partial class FhirDateRange
{
    private const int TickDigits = 7; // DateTime ticks are 100 ns: seven decimal places of a second

    /// <summary>
    /// Reads <paramref name="value"/> (<c>YYYY</c>, <c>YYYY-MM</c>, <c>YYYY-MM-DD</c>, or a date and
    /// time <c>YYYY-MM-DDThh:mm[:ss[.fff...]][Z|(+|-)hh:mm]</c>) into its first and last instant, in UTC.
    /// A value without a time zone is taken as UTC.
    /// </summary>
    /// <returns>False when the value is not a valid date at any precision.</returns>
    public static bool TryParse(string value, out DateTimeOffset low, out DateTimeOffset high)
    {
        low = default;
        high = default;
        var match = Pattern().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var year = Number(match, "year", 0);
        var month = Number(match, "month", 1);
        var day = Number(match, "day", 1);
        var hour = Number(match, "hour", 0);
        var minute = Number(match, "minute", 0);
        var second = Number(match, "second", 0);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        if (!TryReadOffset(match.Groups["zone"], out var offset))
        {
            return false;
        }

        var fraction = match.Groups["fraction"];
        var fractionDigits = Math.Min(fraction.Length, TickDigits);
        var fractionTicks = fraction.Success
            ? long.Parse(fraction.Value[..fractionDigits], CultureInfo.InvariantCulture) * PowerOfTen(TickDigits - fractionDigits)
            : 0;
        var start = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var last = LastInstant(start, match, fractionDigits);

        try
        {
            low = new DateTimeOffset(start, offset).ToUniversalTime();
            high = new DateTimeOffset(last, offset).ToUniversalTime();
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // a time zone pushed the value outside the years 1 to 9999
        }

        return true;
    }

    private static DateTime LastInstant(DateTime start, Match match, int fractionDigits)
    {
        try
        {
            DateTime next;
            if (match.Groups["fraction"].Success)
            {
                next = start.AddTicks(PowerOfTen(TickDigits - fractionDigits));
            }
            else if (match.Groups["second"].Success)
            {
                next = start.AddSeconds(1);
            }
            else if (match.Groups["minute"].Success)
            {
                next = start.AddMinutes(1);
            }
            else if (match.Groups["day"].Success)
            {
                next = start.AddDays(1);
            }
            else if (match.Groups["month"].Success)
            {
                next = start.AddMonths(1);
            }
            else
            {
                next = start.AddYears(1);
            }

            return next.AddTicks(-1);
        }
        catch (ArgumentOutOfRangeException)
        {
            return DateTime.MaxValue; // the period runs to the end of the year 9999
        }
    }

    private static bool TryReadOffset(Group zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (!zone.Success || zone.Value == "Z")
        {
            return true;
        }

        var hours = int.Parse(zone.Value.AsSpan(1, 2), CultureInfo.InvariantCulture);
        var minutes = int.Parse(zone.Value.AsSpan(4, 2), CultureInfo.InvariantCulture);
        if (minutes > 59 || hours > 14 || (hours == 14 && minutes > 0))
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (zone.Value[0] == '-')
        {
            offset = offset.Negate();
        }

        return true;
    }

    private static int Number(Match match, string group, int absent) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : absent;

    private static long PowerOfTen(int exponent)
    {
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    [GeneratedRegex(
        @"^(?<year>[0-9]{4})(-(?<month>[0-9]{2})(-(?<day>[0-9]{2})(T(?<hour>[0-9]{2}):(?<minute>[0-9]{2})(:(?<second>[0-9]{2})(\.(?<fraction>[0-9]+))?)?(?<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?\z",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();
}

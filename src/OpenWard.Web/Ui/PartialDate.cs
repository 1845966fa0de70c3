using System.Globalization;

namespace OpenWard.Web.Ui;

/// <summary>
/// A date that may be known only to the year or the month ("2019", "March 2019"), as clinicians know
/// when a problem started, typed into a date input and kept as a FHIR partial date ("2019",
/// "2019-03", "2019-03-14", which dateTime allows). A day without its month, or a month without its
/// year, is refused rather than guessed.
/// </summary>
public sealed record PartialDate(int Year, int? Month, int? Day)
{
    /// <summary>The date as FHIR writes it, at the precision given.</summary>
    public string Fhir => Day is { } d ? $"{Year:D4}-{Month:D2}-{d:D2}" : Month is { } m ? $"{Year:D4}-{m:D2}" : $"{Year:D4}";

    /// <summary>
    /// The date typed, or the error to show for it; (null, null) when nothing was typed.
    /// <paramref name="what"/> names it in the messages ("The date it started").
    /// </summary>
    public static (PartialDate? Date, string? Error) Read(string? day, string? month, string? year, DateOnly today, string what)
    {
        var (hasDay, hasMonth, hasYear) = (!string.IsNullOrWhiteSpace(day), !string.IsNullOrWhiteSpace(month), !string.IsNullOrWhiteSpace(year));
        if (!hasDay && !hasMonth && !hasYear)
        {
            return (null, null);
        }

        if (!hasYear || (hasDay && !hasMonth))
        {
            return (null, $"{what} must include a year, and a month if it has a day");
        }

        if (year!.Trim().Length != 4 || !Number(year, out var y) || y < 1)
        {
            return (null, "Year must include 4 numbers");
        }

        int? m = null;
        int? d = null;
        if (hasMonth)
        {
            if (!Number(month, out var monthNumber) || monthNumber is < 1 or > 12)
            {
                return (null, $"{what} must be a real date, for example 3 2019 or 14 3 2019");
            }

            m = monthNumber;
        }

        if (hasDay)
        {
            if (!Number(day, out var dayNumber) || dayNumber < 1 || dayNumber > DateTime.DaysInMonth(y, m!.Value))
            {
                return (null, $"{what} must be a real date, for example 3 2019 or 14 3 2019");
            }

            d = dayNumber;
        }

        // The earliest day the date can mean must not be after today.
        if (new DateOnly(y, m ?? 1, d ?? 1) > today)
        {
            return (null, $"{what} must be today or in the past");
        }

        return (new PartialDate(y, m, d), null);
    }

    private static bool Number(string? text, out int value) =>
        int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
}

/// <summary>Day, month and year as typed into a date input, bound as one form property ("Input.Onset.Day").</summary>
public sealed class DateBoxes
{
    public string? Day { get; set; }

    public string? Month { get; set; }

    public string? Year { get; set; }

    /// <summary>A stored FHIR date or dateTime back as boxes; empty boxes for anything else.</summary>
    public static DateBoxes From(string? fhir)
    {
        var parts = (fhir ?? "").Split('T')[0].Split('-');
        return parts switch
        {
            [{ Length: 4 } year] => new() { Year = year },
            [var year, var month] => new() { Year = year, Month = month.TrimStart('0') },
            [var year, var month, var day] => new() { Year = year, Month = month.TrimStart('0'), Day = day.TrimStart('0') },
            _ => new(),
        };
    }

    public (PartialDate? Date, string? Error) Read(DateOnly today, string what) => PartialDate.Read(Day, Month, Year, today, what);

    /// <summary>The date input showing these boxes, posted as <paramref name="name"/>.Day and so on.</summary>
    public DateInputField Field(string name, string legend, string? hint) => new($"{name}.", legend, hint, Day, Month, Year);
}

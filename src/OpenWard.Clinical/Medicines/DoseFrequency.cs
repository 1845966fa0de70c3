namespace OpenWard.Clinical.Medicines;

/// <summary>
/// How often doses are given, kept exact as a number of doses over a number of hours: every 8 hours
/// is 1 over 8, three times a day 3 over 24, once a week 1 over 168. Per day and per week follow from
/// it, multiplying before dividing so that decimal arithmetic stays exact where it can (a third of a
/// day is not a finite decimal); a weekly regimen keeps its weekly count and has a daily equivalent.
/// </summary>
public sealed record DoseFrequency(decimal Doses, decimal PeriodHours)
{
    private const decimal HoursPerDay = 24m;
    private const decimal HoursPerWeek = 168m;

    public decimal PerDay => Doses * HoursPerDay / PeriodHours;

    public decimal PerWeek => Doses * HoursPerWeek / PeriodHours;

    /// <summary>True for regimens repeating over a week or longer (methotrexate once a week), where a per-day figure is only an equivalent.</summary>
    public bool IsWeeklyOrLonger => PeriodHours >= HoursPerWeek;

    /// <summary>The amount given in 24 hours when each dose is <paramref name="amountPerDose"/>.</summary>
    public decimal Per24Hours(decimal amountPerDose) => amountPerDose * Doses * HoursPerDay / PeriodHours;
}

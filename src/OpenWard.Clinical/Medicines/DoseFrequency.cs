namespace OpenWard.Clinical.Medicines;

/// <summary>
/// How often doses are given, kept exact as a number of doses over a number of days: three times a
/// day is 3 over 1, once a week 1 over 7. Per day and per week follow from it, so a weekly regimen
/// keeps its weekly count and still has a daily equivalent.
/// </summary>
public sealed record DoseFrequency(decimal Doses, decimal PeriodDays)
{
    public decimal PerDay => Doses / PeriodDays;

    public decimal PerWeek => Doses * 7m / PeriodDays;

    /// <summary>True for regimens repeating over a week or longer (methotrexate once a week), where a per-day figure is only an equivalent.</summary>
    public bool IsWeeklyOrLonger => PeriodDays >= 7m;
}

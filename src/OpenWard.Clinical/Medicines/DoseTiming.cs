using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// Reads how often a dose is given from R4 Timing.repeat (https://hl7.org/fhir/R4/datatypes.html#Timing):
/// frequency per period in hours, days or weeks; or a count of timeOfDay and of when events that
/// name one time each; optionally only on some days of the week (dayOfWeek). "Up to" values are read at their
/// most (frequencyMax, and period rather than periodMax), because limits are checked against the most
/// that may be given. Anything else is reported, not guessed.
/// </summary>
public static class DoseTiming
{
    // EventTiming codes that each name one moment in a day. C, AC and PC ("at, before, after meals")
    // do not say how many meals, so they cannot be counted.
    private static readonly HashSet<string> SingleMomentEvents = new(StringComparer.Ordinal)
    {
        "MORN", "MORN.early", "MORN.late", "NOON", "AFT", "AFT.early", "AFT.late", "EVE", "EVE.early", "EVE.late",
        "NIGHT", "PHS", "HS", "WAKE", "CM", "CD", "CV", "ACM", "ACD", "ACV", "PCM", "PCD", "PCV",
    };

    // The R4 TimingAbbreviation codes (http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation, as
    // https://hl7.org/fhir/R4/valueset-timing-abbreviation.html lists them) that say how often: doses per hours.
    private static readonly Dictionary<string, DoseFrequency> Abbreviations = new(StringComparer.Ordinal)
    {
        ["QD"] = new(1, 24),
        ["AM"] = new(1, 24),
        ["PM"] = new(1, 24),
        ["BED"] = new(1, 24),
        ["BID"] = new(2, 24),
        ["TID"] = new(3, 24),
        ["QID"] = new(4, 24),
        ["QOD"] = new(1, 48),
        ["Q1H"] = new(1, 1),
        ["Q2H"] = new(1, 2),
        ["Q3H"] = new(1, 3),
        ["Q4H"] = new(1, 4),
        ["Q6H"] = new(1, 6),
        ["Q8H"] = new(1, 8),
        ["WK"] = new(1, 168),
    };

    public static Calculation<DoseFrequency> Frequency(Timing? timing)
    {
        var repeat = timing?.Repeat;
        if (repeat is null || (repeat.Frequency is null && repeat.Period is null && !repeat.TimeOfDay.Any() && !repeat.When.Any()))
        {
            // No repeat, or one that says nothing of frequency: a coded abbreviation (BID, TID...) may.
            var abbreviation = timing?.Code?.Coding.Select(c => c.Code).OfType<string>().Append(timing.Code.Text).FirstOrDefault(code => code is not null && Abbreviations.ContainsKey(code.Trim().ToUpperInvariant()));
            if (abbreviation is not null)
                return Calculation.Of(Abbreviations[abbreviation.Trim().ToUpperInvariant()]);
        }

        if (repeat is null)
            return Calculation.Fails<DoseFrequency>(CannotCalculateReason.NoTiming, "no timing.repeat: how often the dose is given is not said");

        var moments = repeat.TimeOfDay.Count();
        var events = repeat.When.Select(w => w is { } e ? e.GetLiteral() : null).ToList();
        var uncountable = events.FirstOrDefault(e => e is null || !SingleMomentEvents.Contains(e));
        if (events.Count > 0 && uncountable is not null)
            return Fails($"timing.repeat.when '{uncountable}' does not say how many times a day");
        moments += events.Count;

        Calculation<DoseFrequency> daily;
        if (repeat.Period is null)
        {
            if (repeat.Frequency is not null)
                return Fails("timing.repeat has a frequency but no period");
            if (moments == 0)
                return Calculation.Fails<DoseFrequency>(CannotCalculateReason.NoFrequency, "no frequency: timing.repeat gives no frequency, timeOfDay or when");
            daily = Calculation.Of<DoseFrequency>(new DoseFrequency(moments, 24m));
        }
        else
        {
            daily = FromPeriod(repeat);
            if (!daily.IsCalculated)
                return daily;
            // Named times with a frequency agree only when they are the day's doses: "twice a day at 08:00 and 20:00".
            if (moments > 0 && (daily.Value!.PeriodHours != 24m || daily.Value.Doses != moments))
                return Fails($"timing.repeat gives {moments} times of day but a frequency of {DoseFormat.Number(daily.Value.Doses)} per {DoseFormat.Number(daily.Value.PeriodHours)} hours");
        }

        var days = repeat.DayOfWeek.Count();
        if (days == 0)
            return daily;
        if (daily.Value!.PeriodHours != 24m)
            return Fails("timing.repeat gives days of the week with a period other than a day");
        return Calculation.Of<DoseFrequency>(new DoseFrequency(daily.Value.Doses * days, 168m));
    }

    private static Calculation<DoseFrequency> FromPeriod(Timing.RepeatComponent repeat)
    {
        var period = repeat.Period!.Value;
        if (period <= 0)
            return Fails("timing.repeat.period is not positive");
        decimal? hours = repeat.PeriodUnit switch
        {
            Timing.UnitsOfTime.H => period,
            Timing.UnitsOfTime.D => period * 24m,
            Timing.UnitsOfTime.Wk => period * 168m,
            _ => null,
        };
        if (hours is null)
            return Fails($"timing.repeat.periodUnit '{repeat.PeriodUnit?.GetLiteral() ?? "missing"}' is not h, d or wk");
        var doses = repeat.FrequencyMax ?? repeat.Frequency ?? 1;
        if (doses <= 0)
            return Fails("timing.repeat.frequency is not positive");
        return Calculation.Of<DoseFrequency>(new DoseFrequency(doses, hours.Value));
    }

    private static Calculation<DoseFrequency> Fails(string explanation) =>
        Calculation.Fails<DoseFrequency>(CannotCalculateReason.TimingNotUnderstood, explanation);
}

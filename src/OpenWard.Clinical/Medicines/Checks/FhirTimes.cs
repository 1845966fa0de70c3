using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>FHIR dateTimes as moments: a date alone (2026-12-07) is that day's start or end in UTC, as the caller needs; a year or month alone is no moment.</summary>
internal static class FhirTimes
{
    public static DateTimeOffset? Moment(FhirDateTime? value, bool endOfDay = false) =>
        value is null ? null
        : value.TryToDateTimeOffset(out var moment) ? moment
        : DateOnly.TryParseExact(value.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? new DateTimeOffset(day.ToDateTime(endOfDay ? TimeOnly.MaxValue : TimeOnly.MinValue), TimeSpan.Zero)
            : null;
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Observations;

/// <summary>
/// A NEWS2 input whose value no living patient could have (a pulse of 700, an SpO2 of 140%, a
/// negative rate) is refused on every path: it is a typing or device error, and scored it would
/// hide the real state of the patient behind a false alarm or a false reassurance. The limits are
/// ILLUSTRATIVE, set wide so that no real extreme is refused (accidental hypothermia has been
/// survived below 14 °C; a neonate's respiration rate can exceed 60): a trust may narrow them.
/// The observations page also asks to confirm values that are possible but unusual (an SpO2 of 78).
/// </summary>
public sealed class VitalSignsPlausible : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "VITAL_SIGN_IMPLAUSIBLE",
        "An impossible vital sign (a pulse of 700) is stored and scored, raising a false alarm or hiding the real one.",
        "Issue #19 (plausibility); limits illustrative, wider than any recorded survivable extreme",
        422);

    /// <summary>The closed range of values accepted per parameter, in NEWS2's units.</summary>
    public static readonly IReadOnlyDictionary<News2Parameter, (decimal Low, decimal High, string Unit)> Limits = new Dictionary<News2Parameter, (decimal, decimal, string)>
    {
        [News2Parameter.RespirationRate] = (0, 120, "/min"),
        [News2Parameter.OxygenSaturation] = (0, 100, "%"),
        [News2Parameter.SystolicBloodPressure] = (0, 300, "mmHg"),
        [News2Parameter.Pulse] = (0, 300, "/min"),
        [News2Parameter.Temperature] = (10, 46, "°C"),
    };

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string> { "Observation" };

    public ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not Observation observation || observation.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
            return ValueTask.CompletedTask;

        foreach (var reading in VitalSigns.Read(observation, out _))
        {
            if (reading.Number is { } value && Limits.TryGetValue(reading.Parameter, out var limit) && (value < limit.Low || value > limit.High))
            {
                throw new WriteRuleViolation(
                    Rule,
                    $"A {VitalSigns.Name(reading.Parameter)} of {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} {limit.Unit} is not possible (accepted: {limit.Low.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {limit.High.ToString(System.Globalization.CultureInfo.InvariantCulture)} {limit.Unit}). Check the value and the unit, then record it again; nothing was saved.",
                    "Observation.value");
            }
        }

        return ValueTask.CompletedTask;
    }
}

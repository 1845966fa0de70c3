using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using OpenWard.Web.CdsHooks;

namespace OpenWard.Web.Pages.Patients.Medicines;

/// <summary>
/// The prescribing form: medicine, dose in a fixed unit, route, how often, as needed with a maximum
/// in 24 hours, and the indication, turned into a FHIR R4 MedicationRequest; and, when the checks
/// warned, the prescriber's coded reason to continue, kept as a contained DetectedIssue per warned
/// category (the write path's documented override, docs/implementation/medication-checks.md).
/// </summary>
public sealed class PrescriptionForm
{
    /// <summary>Dose units offered, as UCUM codes with how they are written (units and micrograms in full).</summary>
    public static readonly IReadOnlyList<(string Code, string Display)> Units =
    [
        ("mg", "mg"), ("ug", "micrograms"), ("g", "g"), ("[iU]", "units"), ("mmol", "mmol"), ("mL", "mL"),
        ("mg/kg", "mg per kg"), ("ug/kg", "micrograms per kg"), ("[iU]/kg", "units per kg"),
    ];

    /// <summary>How often, as frequency per period (FHIR timing.repeat).</summary>
    public static readonly IReadOnlyList<(string Code, string Display, int Frequency, Timing.UnitsOfTime Period)> Frequencies =
    [
        ("1d", "Once a day", 1, Timing.UnitsOfTime.D), ("2d", "Twice a day", 2, Timing.UnitsOfTime.D), ("3d", "Three times a day", 3, Timing.UnitsOfTime.D),
        ("4d", "Four times a day", 4, Timing.UnitsOfTime.D), ("6d", "Every 4 hours (6 a day)", 6, Timing.UnitsOfTime.D), ("1wk", "Once a week", 1, Timing.UnitsOfTime.Wk),
    ];

    public string? PatientId { get; set; }

    public string? Medicine { get; set; }

    public string? Dose { get; set; }

    public string? Unit { get; set; } = "mg";

    public string? Route { get; set; } = "oral";

    public string? Frequency { get; set; } = "1d";

    public bool AsNeeded { get; set; }

    public string? MaxPerDay { get; set; }

    public string? Indication { get; set; }

    public string? OverrideReason { get; set; }

    public decimal? DoseValue => decimal.TryParse(Dose, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    public decimal? MaxValue => decimal.TryParse(MaxPerDay, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;

    public IEnumerable<(string Field, string Message)> Validate()
    {
        if (string.IsNullOrWhiteSpace(Medicine))
            yield return (nameof(Medicine), "Enter the medicine");
        else if (Medicine.Length > 200)
            yield return (nameof(Medicine), "The medicine must be 200 characters or fewer");
        if (DoseValue is not > 0)
            yield return (nameof(Dose), "Enter the dose as a number above zero, like 500 or 0.5");
        if (Units.All(u => u.Code != Unit))
            yield return (nameof(Unit), "Choose the dose unit");
        if (MedicineRoutes.Find(Route) is null)
            yield return (nameof(Route), "Choose the route");
        if (Frequencies.All(f => f.Code != Frequency))
            yield return (nameof(Frequency), "Choose how often");
        if (AsNeeded && MaxValue is not > 0)
            yield return (nameof(MaxPerDay), "Enter the most that may be given in 24 hours, as a number above zero");
        if (Indication?.Length > 200)
            yield return (nameof(Indication), "The indication must be 200 characters or fewer");
    }

    /// <summary>The order as a MedicationRequest (draft while checking, active when signed).</summary>
    public MedicationRequest ToOrder(string patientId, string? practitionerId, MedicationRequest.MedicationrequestStatus status, DateTimeOffset now)
    {
        var often = Frequencies.Single(f => f.Code == Frequency);
        var unit = Units.Single(u => u.Code == Unit);
        var dosage = new Dosage
        {
            Text = $"{DoseFormat.Number(DoseValue!.Value)} {unit.Display} {often.Display.ToLowerInvariant()}{(AsNeeded ? " when needed" : "")}",
            Route = new CodeableConcept { Text = MedicineRoutes.Find(Route) },
            Timing = new Timing { Repeat = new Timing.RepeatComponent { Frequency = often.Frequency, Period = 1, PeriodUnit = often.Period } },
            DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = DoseValue, System = DoseUnits.UcumSystem, Code = unit.Code, Unit = unit.Display } }],
        };
        if (AsNeeded)
        {
            dosage.AsNeeded = new FhirBoolean(true);
            var baseUnit = unit.Code.Replace("/kg", "", StringComparison.Ordinal);
            dosage.MaxDosePerPeriod = new Ratio(
                new Quantity { Value = MaxValue, System = DoseUnits.UcumSystem, Code = baseUnit, Unit = baseUnit },
                new Quantity { Value = 1, System = DoseUnits.UcumSystem, Code = "d", Unit = "day" });
        }

        var order = new MedicationRequest
        {
            Status = status,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = Medicine!.Trim() },
            Subject = new ResourceReference($"Patient/{patientId}"),
            AuthoredOn = now.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            DosageInstruction = [dosage],
        };
        if (practitionerId is not null)
            order.Requester = new ResourceReference($"Practitioner/{practitionerId}");
        if (!string.IsNullOrWhiteSpace(Indication))
            order.ReasonCode = [new CodeableConcept { Text = Indication.Trim() }];
        return order;
    }

    /// <summary>Adds the prescriber's documented override of the warned categories (one contained DetectedIssue each, coded so it covers nothing else).</summary>
    public void DocumentOverride(MedicationRequest order, IEnumerable<string> warnedCategories, string patientId, ResourceReference prescriber, DateTimeOffset now)
    {
        var reason = CdsCards.OverrideReasons.Single(r => r.Code == OverrideReason);
        foreach (var (category, n) in warnedCategories.Distinct().Select((c, i) => (c, i)))
        {
            order.Contained.Add(new DetectedIssue
            {
                Id = $"override-{n}",
                Status = ObservationStatus.Final,
                Code = new CodeableConcept(AlertLedger.CategorySystem, category),
                Patient = new ResourceReference($"Patient/{patientId}"),
                Mitigation =
                [
                    new DetectedIssue.MitigationComponent
                    {
                        Action = new CodeableConcept(CdsCards.OverrideReasonSystem, reason.Code, reason.Display),
                        Date = now.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
                        Author = prescriber,
                    },
                ],
            });
            order.DetectedIssue.Add(new ResourceReference($"#override-{n}"));
        }
    }
}

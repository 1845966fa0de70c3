using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>The kinds of record the checks read; each may be missing, with a reason.</summary>
public enum PatientData
{
    Demographics,
    Allergies,
    Conditions,
    Observations,
    Medications,
}

/// <summary>
/// What the checks read about the patient, from the record or a CDS Hooks prefetch: the Patient
/// (age), allergies, conditions, observations (weight, height, laboratory results) and other current
/// medication orders. What could not be read is in <see cref="NotRead"/>, so every check that needs
/// it says it did not run rather than pass.
/// </summary>
public sealed record PatientContext
{
    /// <summary>When the checks run: ages and the age of results are taken on this day.</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    public Patient? Patient { get; init; }

    public IReadOnlyList<AllergyIntolerance> Allergies { get; init; } = [];

    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    public IReadOnlyList<Observation> Observations { get; init; } = [];

    /// <summary>The patient's other medication orders (any status: the checks keep the current ones).</summary>
    public IReadOnlyList<MedicationRequest> Orders { get; init; } = [];

    /// <summary>Why a kind of record could not be read; absent when it was.</summary>
    public IReadOnlyDictionary<PatientData, string> NotRead { get; init; } = new Dictionary<PatientData, string>();

    public string? WhyNotRead(PatientData data) => NotRead.GetValueOrDefault(data);

    /// <summary>The patient's age today, or null without a full date of birth.</summary>
    public PatientAge? Age =>
        Patient?.BirthDateElement?.ToSystemDate() is { } birth && birth.Years is { } y && birth.Months is { } m && birth.Days is { } d
            ? PatientAge.On(new DateOnly(y, m, d), DateOnly.FromDateTime(Now.UtcDateTime))
            : null;
}

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// A computed value, or the plain reason it could not be computed. Missing or confusing data is a
/// value, never an exception, so a later safety check can report it as "not checked" instead of
/// skipping silently.
/// </summary>
public sealed record Calculation<T>
{
    internal Calculation(T? value, CannotCalculateReason? reason, string? explanation)
    {
        Value = value;
        Reason = reason;
        Explanation = explanation;
    }

    /// <summary>The value, when <see cref="IsCalculated"/>.</summary>
    public T? Value { get; }

    /// <summary>Why no value, as a stable code.</summary>
    public CannotCalculateReason? Reason { get; }

    /// <summary>Why no value, in words a prescriber understands.</summary>
    public string? Explanation { get; }

    public bool IsCalculated => Reason is null;

    /// <summary>The same failure carried to a calculation of another type.</summary>
    public Calculation<TOther> FailureAs<TOther>() =>
        IsCalculated ? throw new InvalidOperationException("The calculation succeeded.") : Calculation.Fails<TOther>(Reason!.Value, Explanation!);

    public override string ToString() => IsCalculated ? $"{Value}" : $"cannot calculate: {Explanation}";
}

/// <summary>Makes <see cref="Calculation{T}"/> values.</summary>
public static class Calculation
{
    public static Calculation<T> Of<T>(T value) => new(value, null, null);

    public static Calculation<T> Fails<T>(CannotCalculateReason reason, string explanation) => new(default, reason, explanation);
}

/// <summary>Why a dose calculation has no value.</summary>
public enum CannotCalculateReason
{
    NoDoseQuantity,
    DoseIsARange,
    UnitNotUcum,
    UnknownUnit,
    UnitsNotComparable,
    NoTiming,
    NoFrequency,
    TimingNotUnderstood,
    NotAsNeeded,
    NoMaximumDose,
    NoWeight,
}

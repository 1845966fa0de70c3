namespace OpenWard.Clinical.Medicines;

/// <summary>An amount of a medicine in a UCUM unit (for example 500 "mg" or 10 "[iU]"). Decimal, never double, so 0.1 mg stays 0.1 mg.</summary>
public readonly record struct DoseAmount(decimal Value, string Unit)
{
    public override string ToString() => DoseFormat.Amount(this);
}

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// What <see cref="MedicineRecognition"/> found: the formulary medicine and all its ingredients, or
/// no medicine and the reason. Never a guess: ambiguous or contradictory names are not recognised.
/// </summary>
public sealed record Recognition
{
    private Recognition(FormularyMedicine? medicine, RecognisedBy? by, string? matchedText, string? notRecognisedReason)
    {
        Medicine = medicine;
        By = by;
        MatchedText = matchedText;
        NotRecognisedReason = notRecognisedReason;
    }

    public FormularyMedicine? Medicine { get; }

    /// <summary>All the medicine's ingredients (two or more for a combination product); empty when not recognised.</summary>
    public IReadOnlyList<Ingredient> Ingredients => Medicine?.Ingredients ?? [];

    public RecognisedBy? By { get; }

    /// <summary>The dm+d code, or the name or synonym, that was matched.</summary>
    public string? MatchedText { get; }

    /// <summary>Why no medicine was recognised, in words a prescriber or pharmacist understands.</summary>
    public string? NotRecognisedReason { get; }

    public bool IsRecognised => Medicine is not null;

    internal static Recognition Found(FormularyMedicine medicine, RecognisedBy by, string matched) => new(medicine, by, matched, null);

    internal static Recognition NotRecognised(string reason) => new(null, null, null, reason);

    public override string ToString() => IsRecognised ? $"{Medicine!.Id} by {By} '{MatchedText}'" : $"not recognised: {NotRecognisedReason}";
}

/// <summary>How a medicine was recognised.</summary>
public enum RecognisedBy
{
    DmdCode,
    Name,
}

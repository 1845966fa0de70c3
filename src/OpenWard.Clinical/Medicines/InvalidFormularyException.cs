namespace OpenWard.Clinical.Medicines;

/// <summary>
/// The formulary file cannot be used. Thrown at start-up, never while prescribing: it lists every
/// problem found, each naming the medicine and field, so a trust's engineer can fix the file in one go.
/// </summary>
public sealed class InvalidFormularyException : Exception
{
    public InvalidFormularyException(string source, IReadOnlyList<string> problems)
        : base($"The formulary {source} cannot be used:{Environment.NewLine}- {string.Join(Environment.NewLine + "- ", problems)}")
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}

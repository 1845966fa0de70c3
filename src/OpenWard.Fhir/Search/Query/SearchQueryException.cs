namespace OpenWard.Fhir.Search.Query;

/// <summary>
/// A search the client wrote wrongly or that this server does not support: the HTTP layer answers
/// 400 with an OperationOutcome carrying <see cref="Code"/> and the message.
/// </summary>
public sealed class SearchQueryException : Exception
{
    public SearchQueryException(string code, string parameter, string message)
        : base(message)
    {
        Code = code;
        Parameter = parameter;
    }

    /// <summary>A stable code from <see cref="SearchErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The query parameter at fault, as written (empty when the fault is the resource type).</summary>
    public string Parameter { get; }
}

using OpenWard.Security;

namespace OpenWard.Fhir.Rest;

/// <summary>
/// Who is asking. Every interaction calls <see cref="Demand"/> for each resource type it touches
/// before it touches it; a refusal throws a 403 <see cref="FhirException"/>.
/// </summary>
public interface IFhirAccess
{
    void Demand(string resourceType, FhirAction action);
}

/// <summary>Full access: for the command line and in-process tools run by the machine's operator.</summary>
public sealed class OperatorAccess : IFhirAccess
{
    public static OperatorAccess Instance { get; } = new();

    public void Demand(string resourceType, FhirAction action)
    {
    }
}

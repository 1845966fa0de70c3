using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Search.Indexing;

/// <summary>
/// The search index entries of an AuditEvent, read straight from its known structure instead of
/// evaluating FHIRPath: the audit trail projects thousands of events a second, and
/// <see cref="SearchIndexer"/> costs 80-150 µs an event where this costs a few. Covers every
/// parameter <see cref="SearchParameterRegistry"/> indexes for AuditEvent (the R4 list,
/// https://hl7.org/fhir/R4/auditevent.html#search, and the resource-level ones); each selector
/// follows the parameter's R4 expression, and the values go through the same
/// <see cref="IndexCollector"/>, so the entries are the same as <see cref="SearchIndexer"/>'s (a test
/// compares them on every kind of event the trail writes).
/// </summary>
public static class AuditEventIndexer
{
    /// <summary>The parameters covered, in the order their entries are added (a test checks them against the registry).</summary>
    public static IReadOnlyList<string> Parameters { get; } = Selectors().Select(s => s.Code).ToArray();

    private static readonly (string Code, SearchParamType Type, Func<AuditEvent, IEnumerable<Base?>> Select)[] All = Selectors();

    /// <summary>The index entries and Patient compartment of <paramref name="auditEvent"/>.</summary>
    public static ResourceIndexes Extract(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var indexes = new ResourceIndexes();
        var collector = new IndexCollector(indexes);
        foreach (var (code, type, select) in All)
        {
            collector.BeginParameter(code, type);
            foreach (var value in select(auditEvent))
            {
                if (value is not null)
                {
                    collector.Add(type, value);
                }
            }
        }

        indexes.PatientCompartment = PatientCompartment.Find(auditEvent, indexes.References);
        return indexes;
    }

    // Each selector is the R4 expression of its parameter (pruned to AuditEvent, as the registry keeps it).
    private static (string Code, SearchParamType Type, Func<AuditEvent, IEnumerable<Base?>> Select)[] Selectors() =>
    [
        ("_id", SearchParamType.Token, e => [e.IdElement]), // Resource.id
        ("_lastUpdated", SearchParamType.Date, e => [e.Meta?.LastUpdatedElement]), // Resource.meta.lastUpdated
        ("_tag", SearchParamType.Token, e => e.Meta?.Tag ?? []), // Resource.meta.tag
        ("_profile", SearchParamType.Uri, e => e.Meta?.ProfileElement ?? []), // Resource.meta.profile
        ("_security", SearchParamType.Token, e => e.Meta?.Security ?? []), // Resource.meta.security
        ("_source", SearchParamType.Uri, e => [e.Meta?.SourceElement]), // Resource.meta.source
        ("action", SearchParamType.Token, e => [e.ActionElement]), // AuditEvent.action
        ("address", SearchParamType.String, e => e.Agent.Select(a => a.Network?.AddressElement)), // AuditEvent.agent.network.address
        ("agent", SearchParamType.Reference, e => e.Agent.Select(a => a.Who)), // AuditEvent.agent.who
        ("agent-name", SearchParamType.String, e => e.Agent.Select(a => a.NameElement)), // AuditEvent.agent.name
        ("agent-role", SearchParamType.Token, e => e.Agent.SelectMany(a => a.Role)), // AuditEvent.agent.role
        ("altid", SearchParamType.Token, e => e.Agent.Select(a => a.AltIdElement)), // AuditEvent.agent.altId
        ("date", SearchParamType.Date, e => [e.RecordedElement]), // AuditEvent.recorded
        ("entity", SearchParamType.Reference, e => e.Entity.Select(x => x.What)), // AuditEvent.entity.what
        ("entity-name", SearchParamType.String, e => e.Entity.Select(x => x.NameElement)), // AuditEvent.entity.name
        ("entity-role", SearchParamType.Token, e => e.Entity.Select(x => x.Role)), // AuditEvent.entity.role
        ("entity-type", SearchParamType.Token, e => e.Entity.Select(x => x.Type)), // AuditEvent.entity.type
        ("outcome", SearchParamType.Token, e => [e.OutcomeElement]), // AuditEvent.outcome
        ("patient", SearchParamType.Reference, e => e.Agent.Select(a => a.Who).Concat(e.Entity.Select(x => x.What)).Where(IsPatient)), // AuditEvent.agent.who.where(resolve() is Patient) | AuditEvent.entity.what.where(resolve() is Patient)
        ("policy", SearchParamType.Uri, e => e.Agent.SelectMany(a => a.PolicyElement)), // AuditEvent.agent.policy
        ("site", SearchParamType.Token, e => [e.Source?.SiteElement]), // AuditEvent.source.site
        ("source", SearchParamType.Reference, e => [e.Source?.Observer]), // AuditEvent.source.observer
        ("subtype", SearchParamType.Token, e => e.Subtype), // AuditEvent.subtype
        ("type", SearchParamType.Token, e => [e.Type]), // AuditEvent.type
    ];

    // resolve() is Patient: the reference names a Patient (SearchIndexer resolves by the reference's type the same way).
    private static bool IsPatient(ResourceReference? reference) =>
        reference?.Reference is { } text && ReferenceText.TryGetTypeAndId(text, out var type, out _) && type == "Patient";
}

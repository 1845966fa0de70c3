namespace OpenWard.Fhir.Rest.Rules;

/// <summary>
/// The rules the write path runs (the host registers OpenWard.Clinical's), indexed by the resource
/// type they check. Bulk loading of historical data may relax named rules, and says so in its audit.
/// </summary>
public sealed class WriteRules
{
    /// <summary>No rules: for tests of the store itself, which are about storage, not clinical practice.</summary>
    public static readonly WriteRules None = new([]);

    /// <summary>The tag system of a rule that import did not run on a resource (code: the rule's id).</summary>
    public const string NotRunTagSystem = "https://fhir.openward.example/CodeSystem/write-rule-not-run";

    private readonly Dictionary<string, IWriteRule[]> _byType;
    private readonly IWriteRule[] _everyPatientType;

    public WriteRules(IEnumerable<IWriteRule> rules)
    {
        All = [.. rules];
        var duplicate = All.GroupBy(r => r.Info.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two write rules have the id {duplicate.Key}: an id names one rule.", nameof(rules));
        }

        _everyPatientType = [.. All.Where(r => r.ResourceTypes is null)];
        _byType = All.Where(r => r.ResourceTypes is not null)
            .SelectMany(r => r.ResourceTypes!.Select(type => (type, rule: r)))
            .GroupBy(p => p.type, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.rule).ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<IWriteRule> All { get; }

    /// <summary>The rules a write of <paramref name="resourceType"/> into a patient's compartment (or none) must keep, minus <paramref name="relaxed"/>.</summary>
    public IReadOnlyList<IWriteRule> For(string resourceType, bool inPatientCompartment, IReadOnlySet<string>? relaxed)
    {
        var typed = _byType.GetValueOrDefault(resourceType) ?? [];
        IEnumerable<IWriteRule> rules = inPatientCompartment ? [.. typed, .. _everyPatientType] : typed;
        return relaxed is { Count: > 0 } ? [.. rules.Where(r => !relaxed.Contains(r.Info.Id))] : rules as IReadOnlyList<IWriteRule> ?? [.. rules];
    }

    /// <summary>The rules of <paramref name="resourceType"/> that bulk import does not run: those that say so, and <paramref name="relaxed"/>.</summary>
    public IEnumerable<IWriteRule> NotRunOnImport(string resourceType, IReadOnlySet<string>? relaxed) =>
        (_byType.GetValueOrDefault(resourceType) ?? []).Concat(_everyPatientType).Where(r => !r.RunsOnImport || relaxed?.Contains(r.Info.Id) == true);

    /// <summary>Throws <see cref="ArgumentException"/> naming any id that is no rule (a typo in an import option must not relax nothing silently).</summary>
    public void RequireKnown(IEnumerable<string> ids)
    {
        var unknown = ids.Where(id => All.All(r => r.Info.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"No write rule has the id {string.Join(", ", unknown)}; the rules are {string.Join(", ", All.Select(r => r.Info.Id))}.");
        }
    }
}

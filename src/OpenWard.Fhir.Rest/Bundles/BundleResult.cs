using Hl7.Fhir.Model;
using OpenWard.Fhir.Search;
using OpenWard.Storage;

namespace OpenWard.Fhir.Rest.Bundles;

/// <summary>
/// A Bundle to be written by the edge: entries keep stored JSON as stored, so a JSON search result
/// is written without parsing a single resource.
/// </summary>
public sealed class BundleResult
{
    public required Bundle.BundleType Type { get; init; }
    public int? Total { get; init; }
    public List<(string Relation, string Url)> Links { get; } = [];
    public List<BundleEntryResult> Entries { get; } = [];

    /// <summary>How resources are cut down when written (<c>_summary</c>, <c>_elements</c>).</summary>
    public SummaryMode Summary { get; init; } = SummaryMode.None;

    public IReadOnlyList<string>? Elements { get; init; }
}

/// <summary>One entry: a stored resource, a resource POCO or a nested Bundle (or none, for a response-only entry).</summary>
public sealed class BundleEntryResult
{
    public StoredResource? Stored { get; init; }
    public Resource? Resource { get; init; }

    /// <summary>For a search entry of a batch: its searchset, written as the entry's resource.</summary>
    public BundleResult? Bundle { get; init; }
    public Bundle.SearchEntryMode? SearchMode { get; init; }

    /// <summary>For history: the request that made this version.</summary>
    public string? RequestMethod { get; init; }

    public string? RequestUrl { get; init; }

    /// <summary>For batch/transaction responses.</summary>
    public string? ResponseStatus { get; init; }

    public string? ResponseLocation { get; init; }
    public string? ResponseEtag { get; init; }
    public DateTimeOffset? ResponseLastModified { get; init; }
    public OperationOutcome? ResponseOutcome { get; init; }
}

namespace OpenWard.Storage;

/// <summary>
/// One version of a resource as stored: its identity, version, time and the JSON text of the
/// resource exactly as it will be served (meta.versionId and meta.lastUpdated already set).
/// </summary>
/// <param name="Json">The resource's JSON; null for a deletion (a tombstone version).</param>
/// <param name="Method">How this version came to be: <c>POST</c>, <c>PUT</c> or <c>DELETE</c> (for history's request.method).</param>
public sealed record StoredResource(
    string ResourceType,
    string Id,
    int VersionId,
    DateTimeOffset LastUpdated,
    bool IsDeleted,
    string? Json,
    string Method)
{
    public string Reference => $"{ResourceType}/{Id}";

    /// <summary>The Patient whose compartment this version belongs to (the Patient's own id for a Patient), or null.</summary>
    public string? PatientId { get; init; }

    /// <summary>
    /// For a version about to be written: every Patient it points to (<see cref="PatientId"/> first),
    /// each of which the writer must be allowed to write for. Empty for versions read from the store.
    /// </summary>
    public IReadOnlyList<string> NamedPatients { get; init; } = [];
}

using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;
using OpenWard.Storage;

namespace OpenWard.Web.Medicines;

/// <summary>
/// Parsed FHIR resources by type, id and version, for the medication checks (CDS Hooks and the prescribing page), which read the same
/// patient's record on every order signed: a stored version never changes, so its parse can be
/// kept. The checks only read what they are given. Bounded: past <see cref="Capacity"/> entries it
/// starts again empty.
/// </summary>
public sealed class ParsedResources
{
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<(string Type, string Id, long Version), Resource> _parsed = new();

    public Resource Get(StoredResource stored)
    {
        var key = (stored.ResourceType, stored.Id, stored.VersionId);
        if (_parsed.TryGetValue(key, out var resource))
            return resource;
        if (_parsed.Count >= Capacity)
            _parsed.Clear();
        return _parsed.GetOrAdd(key, _ => FhirSerialization.ParseJson(stored.Json!));
    }
}

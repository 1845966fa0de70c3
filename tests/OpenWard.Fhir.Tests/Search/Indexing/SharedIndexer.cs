using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;

namespace OpenWard.Fhir.Tests.Search.Indexing;

/// <summary>One indexer for all tests, as in the server: compiling every expression takes a while.</summary>
internal static class SharedIndexer
{
    public static SearchIndexer Instance { get; } = new(SearchParameterRegistry.Default);
}

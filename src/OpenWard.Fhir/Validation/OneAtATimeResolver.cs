using System.Diagnostics.CodeAnalysis;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace OpenWard.Fhir.Validation;

/// <summary>
/// Lets one caller at a time through to a resolver that is not thread-safe: Firely's snapshot
/// generator keeps per-run state and writes snapshots into shared StructureDefinition instances.
/// It sits behind a cache, so only cache misses (the first use of each definition) wait here.
/// </summary>
[SuppressMessage(
    "Reliability",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "Only WaitAsync is used, so the semaphore never allocates a wait handle; it lives as long as the process.")]
internal sealed class OneAtATimeResolver(IAsyncResourceResolver inner) : IAsyncResourceResolver
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<Resource?> ResolveByUriAsync(string uri) => (await TryResolveByUriAsync(uri).ConfigureAwait(false)).Value;

    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) => (await TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false)).Value;

    public Task<ResolverResult> TryResolveByUriAsync(string uri) => OneAtATimeAsync(() => inner.TryResolveByUriAsync(uri));

    public Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) => OneAtATimeAsync(() => inner.TryResolveByCanonicalUriAsync(uri));

    private async Task<ResolverResult> OneAtATimeAsync(Func<Task<ResolverResult>> resolve)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            return await resolve().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }
}

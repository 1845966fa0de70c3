using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Storage;
using OpenWard.Web.Security;

namespace OpenWard.Web.Hosting;

/// <summary>The CapabilityStatement is the same for every request to the same base URL: build it once.</summary>
public sealed class CapabilityStatementCache(IResourceStore store)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CapabilityStatement> _byBase = new(StringComparer.Ordinal);

    public CapabilityStatement Get(HttpContext context)
    {
        var origin = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        return _byBase.GetOrAdd(origin, o => Capabilities.Build(o + "/fhir", o + AuthEndpoints.TokenPath, store.Engine, typeof(CapabilityStatementCache).Assembly.GetName().Version?.ToString() ?? "0"));
    }
}

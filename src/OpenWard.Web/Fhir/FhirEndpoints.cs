using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Patch;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Serialization;
using OpenWard.Web.Security;

namespace OpenWard.Web.Fhir;

/// <summary>
/// The FHIR R4 RESTful API at <c>/fhir</c> (https://hl7.org/fhir/R4/http.html): routes, body
/// reading and access, each handing over to <see cref="FhirRestService"/>.
/// </summary>
public static class FhirEndpoints
{
    /// <summary>Largest request body accepted (a transaction Bundle of a few thousand resources).</summary>
    public const long MaxBodyBytes = 64 * 1024 * 1024;

    public static void Map(WebApplication app)
    {
        var fhir = app.MapGroup("/fhir");

        fhir.MapGet("/metadata", (HttpContext c, Hosting.CapabilityStatementCache capabilities) =>
            Respond(c, _ => System.Threading.Tasks.Task.FromResult(new FhirResponse(200) { Resource = capabilities.Get(c) }), authenticate: false));

        fhir.MapPost("/", (HttpContext c, FhirRestService s) =>
            Respond(c, async access => await s.ProcessBundleAsync(access, await ReadBodyAsync(c), c.RequestAborted)));
        fhir.MapGet("/_history", (HttpContext c, FhirRestService s) =>
            Respond(c, access => s.HistoryAsync(access, null, null, Query(c), c.RequestAborted)));

        fhir.MapGet("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, access => s.SearchAsync(access, type, Query(c), Lenient(c), null, c.RequestAborted)));
        fhir.MapPost("/{type}/_search", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, async access => await s.SearchAsync(access, type, await FormAndQueryAsync(c), Lenient(c), null, c.RequestAborted)));
        fhir.MapPost("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, async access => await s.CreateAsync(access, type, await ReadBodyAsync(c), c.Request.Headers["If-None-Exist"].ToString(), c.RequestAborted)));
        fhir.MapPut("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, async access => await s.ConditionalUpdateAsync(access, type, RequireCondition(c), await ReadBodyAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapPatch("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, async access => await s.ConditionalPatchAsync(access, type, RequireCondition(c), await ReadPatchAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapDelete("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, access => s.ConditionalDeleteAsync(access, type, RequireCondition(c), c.RequestAborted)));
        fhir.MapGet("/{type}/_history", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, access => s.HistoryAsync(access, type, null, Query(c), c.RequestAborted)));
        fhir.MapPost("/{type}/$validate", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, async _ => s.Validate(type, await ReadBodyAsync(c), c.Request.Query["profile"].FirstOrDefault())));

        fhir.MapGet("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, access => s.ReadAsync(access, type, id, c.RequestAborted)));
        fhir.MapPut("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, async access => await s.UpdateAsync(access, type, id, await ReadBodyAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapPatch("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, async access => await s.PatchAsync(access, type, id, await ReadPatchAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapDelete("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, access => s.DeleteAsync(access, type, id, c.RequestAborted)));
        fhir.MapGet("/{type}/{id}/_history", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, access => s.HistoryAsync(access, type, id, Query(c), c.RequestAborted)));
        fhir.MapGet("/{type}/{id}/_history/{version}", (HttpContext c, FhirRestService s, string type, string id, string version) =>
            Respond(c, access => s.VReadAsync(access, type, id, version, c.RequestAborted)));
        fhir.MapGet("/Patient/{id}/$everything", (HttpContext c, FhirRestService s, string id) =>
            Respond(c, access => s.PatientEverythingAsync(access, id, Query(c), c.RequestAborted)));
        // Patient/{id}/{type} is compartment search; its literal "Patient" outranks {type}/{id}/_history, so history is routed here too.
        fhir.MapGet("/Patient/{id}/{type}", (HttpContext c, FhirRestService s, string id, string type) =>
            Respond(c, access => type == "_history"
                ? s.HistoryAsync(access, "Patient", id, Query(c), c.RequestAborted)
                : s.SearchAsync(access, type, Query(c), Lenient(c), id, c.RequestAborted)));
    }

    /// <summary>
    /// Runs one interaction: authenticates (every route but metadata), negotiates the format first
    /// (so a 406 comes before any work), then writes the response. Errors are written by
    /// <see cref="FhirErrorMiddleware"/>.
    /// </summary>
    private static async System.Threading.Tasks.Task Respond(HttpContext context, Func<IFhirAccess, Task<FhirResponse>> interaction, bool authenticate = true)
    {
        var format = FhirFormat.Negotiate(context.Request);
        var access = authenticate ? Access(context) : OperatorAccess.Instance;
        var response = await interaction(access);
        await FhirResponseWriter.WriteAsync(context, response, format);
    }

    private static IFhirAccess Access(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true)
        {
            throw FhirException.Create(401, OperationOutcome.IssueType.Login, "AUTH_REQUIRED",
                "This request needs a bearer token: get one from the token endpoint (see /fhir/.well-known/smart-configuration).");
        }

        return new SmartScopes(context.User.FindFirst("scope")?.Value);
    }

    private static List<KeyValuePair<string, string>> Query(HttpContext context) =>
        OpenWard.Fhir.Rest.QueryString.Parse(context.Request.QueryString.Value ?? "");

    private static bool Lenient(HttpContext context) =>
        context.Request.Headers["Prefer"].ToString().Contains("handling=lenient", StringComparison.OrdinalIgnoreCase);

    private static string? IfMatch(HttpContext context) =>
        context.Request.Headers.IfMatch.FirstOrDefault();

    private static string RequireCondition(HttpContext context)
    {
        var query = (context.Request.QueryString.Value ?? "").TrimStart('?');
        return query.Length > 0
            ? query
            : throw FhirException.Create(405, OperationOutcome.IssueType.NotSupported, "METHOD_NOT_ALLOWED", $"{context.Request.Method} on a type needs search criteria (a conditional interaction).");
    }

    private static async Task<List<KeyValuePair<string, string>>> FormAndQueryAsync(HttpContext context)
    {
        var pairs = Query(context);
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            foreach (var (key, values) in form)
            {
                pairs.AddRange(values.Select(v => new KeyValuePair<string, string>(key, v ?? "")));
            }
        }

        return pairs;
    }

    private static async Task<Resource> ReadBodyAsync(HttpContext context)
    {
        var xml = FhirFormat.BodyIsXml(context.Request);
        using var buffer = await ReadBytesAsync(context, "a FHIR resource");
        return xml ? FhirSerialization.ParseXml(buffer) : FhirSerialization.ParseJson(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>
    /// A PATCH body (https://hl7.org/fhir/R4/http.html#patch): a JSON Patch document sent as
    /// application/json-patch+json, or a FHIRPath Patch Parameters resource in FHIR JSON or XML.
    /// </summary>
    private static async Task<ResourcePatch> ReadPatchAsync(HttpContext context)
    {
        if (ResourcePatch.IsJsonPatchMediaType(context.Request.ContentType))
        {
            using var patch = await ReadBytesAsync(context, "a JSON Patch document");
            return JsonPatch.Parse(patch.GetBuffer().AsSpan(0, (int)patch.Length));
        }

        var xml = FhirFormat.BodyIsXml(context.Request);
        using var buffer = await ReadBytesAsync(context, "a JSON Patch document or a FHIRPath Patch Parameters resource");
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (!xml && body.TrimStart(" \t\r\n"u8).StartsWith("["u8))
        {
            throw FhirException.Create(415, OperationOutcome.IssueType.NotSupported, "CONTENT_TYPE_UNSUPPORTED",
                $"This body looks like a JSON Patch document: send it with Content-Type {ResourcePatch.JsonPatchMediaType}.");
        }

        return ResourcePatch.FromResource(xml ? FhirSerialization.ParseXml(buffer) : FhirSerialization.ParseJson(body));
    }

    private static async Task<MemoryStream> ReadBytesAsync(HttpContext context, string expected)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            throw FhirException.Create(413, OperationOutcome.IssueType.TooCostly, "BODY_TOO_LARGE", $"The body is larger than {MaxBodyBytes / (1024 * 1024)} MB.");
        }

        var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0)
        {
            await buffer.DisposeAsync();
            throw FhirException.BadRequest("BODY_EMPTY", $"This interaction needs {expected} in the body.");
        }

        buffer.Position = 0;
        return buffer;
    }
}

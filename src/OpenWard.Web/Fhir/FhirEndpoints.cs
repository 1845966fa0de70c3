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
            RespondAnonymously(c, () => new FhirResponse(200) { Resource = capabilities.Get(c) }));

        fhir.MapPost("/", (HttpContext c, FhirRestService s) =>
            Respond(c, Describe(c, "batch", 'E'), async access => await s.ProcessBundleAsync(access, await ReadBodyAsync(c), c.RequestAborted)));
        fhir.MapGet("/_history", (HttpContext c, FhirRestService s) =>
            Respond(c, Describe(c, "history-system", 'R'), access => s.HistoryAsync(access, null, null, Query(c), c.RequestAborted)));

        fhir.MapGet("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "search-type", 'E'), access => s.SearchAsync(access, type, Query(c), Lenient(c), null, c.RequestAborted)));
        fhir.MapPost("/{type}/_search", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "search-type", 'E'), async access => await s.SearchAsync(access, type, await FormAndQueryAsync(c), Lenient(c), null, c.RequestAborted)));
        fhir.MapPost("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "create", 'C'), async access => await s.CreateAsync(access, type, await ReadBodyAsync(c), c.Request.Headers["If-None-Exist"].ToString(), c.RequestAborted)));
        fhir.MapPut("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "update", 'U'), async access => await s.ConditionalUpdateAsync(access, type, RequireCondition(c), await ReadBodyAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapPatch("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "patch", 'U'), async access => await s.ConditionalPatchAsync(access, type, RequireCondition(c), await ReadPatchAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapDelete("/{type}", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "delete", 'D'), access => s.ConditionalDeleteAsync(access, type, RequireCondition(c), c.RequestAborted)));
        fhir.MapGet("/{type}/_history", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "history-type", 'R'), access => s.HistoryAsync(access, type, null, Query(c), c.RequestAborted)));
        fhir.MapPost("/{type}/$validate", (HttpContext c, FhirRestService s, string type) =>
            Respond(c, Describe(c, "operation", 'E', "validate"), async _ => s.Validate(type, await ReadBodyAsync(c), c.Request.Query["profile"].FirstOrDefault())));

        fhir.MapGet("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, Describe(c, "read", 'R'), access => s.ReadAsync(access, type, id, c.RequestAborted)));
        fhir.MapPut("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, Describe(c, "update", 'U'), async access => await s.UpdateAsync(access, type, id, await ReadBodyAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapPatch("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, Describe(c, "patch", 'U'), async access => await s.PatchAsync(access, type, id, await ReadPatchAsync(c), IfMatch(c), c.RequestAborted)));
        fhir.MapDelete("/{type}/{id}", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, Describe(c, "delete", 'D'), access => s.DeleteAsync(access, type, id, c.RequestAborted)));
        fhir.MapGet("/{type}/{id}/_history", (HttpContext c, FhirRestService s, string type, string id) =>
            Respond(c, Describe(c, "history-instance", 'R'), access => s.HistoryAsync(access, type, id, Query(c), c.RequestAborted)));
        fhir.MapGet("/{type}/{id}/_history/{version}", (HttpContext c, FhirRestService s, string type, string id, string version) =>
            Respond(c, Describe(c, "vread", 'R'), access => s.VReadAsync(access, type, id, version, c.RequestAborted)));
        fhir.MapGet("/Patient/{id}/$everything", (HttpContext c, FhirRestService s, string id) =>
            Respond(c, Describe(c, "operation", 'E', "everything"), access => s.PatientEverythingAsync(access, id, Query(c), c.RequestAborted)));
        // Patient/{id}/{type} is compartment search; its literal "Patient" outranks {type}/{id}/_history, so history is routed here too.
        fhir.MapGet("/Patient/{id}/{type}", (HttpContext c, FhirRestService s, string id, string type) =>
            Respond(c, Describe(c, type == "_history" ? "history-instance" : "search-type", type == "_history" ? 'R' : 'E'), access => type == "_history"
                ? s.HistoryAsync(access, "Patient", id, Query(c), c.RequestAborted)
                : s.SearchAsync(access, type, Query(c), Lenient(c), id, c.RequestAborted)));
    }

    /// <summary>
    /// Runs one interaction: negotiates the format first (so a 406 comes before any work),
    /// authenticates, runs it through the caller's <see cref="RequestAccess"/>, records its audit
    /// event (durably, before answering), then writes the response. Refusals and failures are
    /// audited too; the error itself is written by <see cref="FhirErrorMiddleware"/>.
    /// </summary>
    private static async System.Threading.Tasks.Task Respond(HttpContext context, RequestDescription description, Func<IFhirAccess, Task<FhirResponse>> interaction)
    {
        var format = FhirFormat.Negotiate(context.Request);
        var access = await context.RequestServices.GetRequiredService<AccessFactory>().ForApiAsync(context, description);
        FhirResponse response;
        try
        {
            response = await interaction(access);
            await access.RecordSuccessAsync(context.RequestAborted);
        }
        catch (FhirException e)
        {
            await access.RecordFailureAsync(e.Status, e.Message, CancellationToken.None);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await access.RecordFailureAsync(500, "The server failed while handling this request.", CancellationToken.None);
            throw;
        }

        await FhirResponseWriter.WriteAsync(context, response, format);
    }

    /// <summary>The CapabilityStatement: public, about the server, not about anyone's data.</summary>
    private static async System.Threading.Tasks.Task RespondAnonymously(HttpContext context, Func<FhirResponse> interaction)
    {
        var format = FhirFormat.Negotiate(context.Request);
        await FhirResponseWriter.WriteAsync(context, interaction(), format);
    }

    private static RequestDescription Describe(HttpContext context, string interaction, char action, string? operation = null) =>
        new(interaction, action, AccessFactory.Address(context), context.Request.QueryString.HasValue ? context.Request.QueryString.Value!.TrimStart('?') : null, operation);

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

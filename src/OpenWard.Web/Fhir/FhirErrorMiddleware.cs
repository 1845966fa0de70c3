using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http.Features;
using OpenWard.Fhir;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Web.Fhir;

/// <summary>
/// The one place where errors become HTTP: a <see cref="FhirException"/> becomes its
/// OperationOutcome and status; anything else a 500 OperationOutcome with no internals (the
/// details go to the log). Empty 404/405 answers under /fhir also get an OperationOutcome.
/// </summary>
public sealed partial class FhirErrorMiddleware(RequestDelegate next, ILogger<FhirErrorMiddleware> logger)
{
    public async System.Threading.Tasks.Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Request.Path.StartsWithSegments("/fhir") && context.Response.StatusCode is 404 or 405 && context.Response.ContentLength is null)
            {
                var status = context.Response.StatusCode;
                await WriteOutcomeAsync(context, status, FhirException.SingleIssue(
                    OperationOutcome.IssueSeverity.Error,
                    OperationOutcome.IssueType.NotSupported,
                    status == 404 ? "ROUTE_UNKNOWN" : "METHOD_NOT_ALLOWED",
                    status == 404 ? $"{context.Request.Path} is not a FHIR endpoint of this server (see /fhir/metadata)." : $"{context.Request.Method} is not supported on {context.Request.Path}."));
            }
        }
        catch (FhirException e) when (!context.Response.HasStarted)
        {
            await WriteOutcomeAsync(context, e.Status, e.Outcome);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            await WriteOutcomeAsync(context, e.StatusCode, FhirException.SingleIssue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Invalid, "HTTP_BAD_REQUEST", e.Message));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
            await WriteOutcomeAsync(context, 500, FhirException.SingleIssue(OperationOutcome.IssueSeverity.Fatal, OperationOutcome.IssueType.Exception, "INTERNAL_ERROR",
                $"The server could not complete the request; nothing was changed. Quote this reference to support: {context.TraceIdentifier}."));
        }
    }

    private static async System.Threading.Tasks.Task WriteOutcomeAsync(HttpContext context, int status, OperationOutcome outcome)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == 401)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        bool xml;
        bool pretty;
        try
        {
            var format = FhirFormat.Negotiate(context.Request);
            (xml, pretty) = (format.Xml, format.Pretty);
        }
        catch (FhirException)
        {
            (xml, pretty) = (false, false);
        }

        context.Response.ContentType = (xml ? FhirFormat.XmlMediaType : FhirFormat.JsonMediaType) + "; charset=utf-8";
        var body = xml ? FhirSerialization.ToXmlBytes(outcome, pretty: pretty) : FhirSerialization.ToJsonBytes(outcome, pretty);
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure on {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}

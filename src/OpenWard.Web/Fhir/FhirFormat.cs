using Microsoft.Extensions.Primitives;
using OpenWard.Fhir;

namespace OpenWard.Web.Fhir;

/// <summary>
/// Content negotiation (https://hl7.org/fhir/R4/http.html#mime-type): <c>_format</c> wins over
/// <c>Accept</c>; JSON is the default; <c>_pretty=true</c> indents.
/// </summary>
public sealed record FhirFormat(bool Xml, bool Pretty)
{
    public const string JsonMediaType = "application/fhir+json";
    public const string XmlMediaType = "application/fhir+xml";

    public string ContentType => (Xml ? XmlMediaType : JsonMediaType) + "; charset=utf-8";

    public static FhirFormat Negotiate(HttpRequest request)
    {
        var pretty = request.Query.TryGetValue("_pretty", out var p) && p == "true";
        if (request.Query.TryGetValue("_format", out var format) && !StringValues.IsNullOrEmpty(format))
        {
            return IsXml(format.ToString()) ? new(true, pretty)
                : IsJson(format.ToString()) ? new(false, pretty)
                : throw FhirException.Create(406, Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, "FORMAT_UNSUPPORTED", $"_format '{format}' is not supported: use json or xml.");
        }

        var accept = request.Headers.Accept.ToString();
        if (accept.Length == 0 || accept.Contains("json", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal))
        {
            return new(false, pretty);
        }

        if (accept.Contains("xml", StringComparison.OrdinalIgnoreCase))
        {
            return new(true, pretty);
        }

        // A browser asking for text/html gets JSON, which it can show.
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase)
            ? new(false, true)
            : throw FhirException.Create(406, Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, "FORMAT_UNSUPPORTED", $"Accept '{accept}' names no format this server writes: use application/fhir+json or application/fhir+xml.");
    }

    /// <summary>
    /// Whether a request body that holds a FHIR resource is XML (true), JSON (false), or refused
    /// with 415. JSON Patch is read only by PATCH, before this is asked; XML Patch not at all.
    /// </summary>
    public static bool BodyIsXml(HttpRequest request)
    {
        var type = request.ContentType ?? "";
        if (OpenWard.Fhir.Patch.ResourcePatch.IsJsonPatchMediaType(type))
        {
            throw FhirException.Create(415, Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, "CONTENT_TYPE_UNSUPPORTED",
                $"Content-Type '{type}' is accepted only by PATCH; {request.Method} takes application/fhir+json or application/fhir+xml.");
        }

        if (type.Contains("xml-patch", StringComparison.OrdinalIgnoreCase))
        {
            throw FhirException.Create(415, Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, "CONTENT_TYPE_UNSUPPORTED",
                $"XML Patch ('{type}') is not supported: send JSON Patch (application/json-patch+json) or a FHIRPath Patch Parameters resource.");
        }

        if (type.Length == 0 || IsJson(type))
        {
            return false;
        }

        return IsXml(type)
            ? true
            : throw FhirException.Create(415, Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, "CONTENT_TYPE_UNSUPPORTED", $"Content-Type '{type}' is not supported: send application/fhir+json or application/fhir+xml.");
    }

    private static bool IsJson(string value) =>
        value.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static bool IsXml(string value) =>
        value.Contains("xml", StringComparison.OrdinalIgnoreCase);
}

using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Bundles;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Web.Fhir;

/// <summary>
/// Writes a <see cref="FhirResponse"/> as HTTP: status, ETag, Last-Modified, Location, and the body
/// in the negotiated format. Stored JSON is written as stored, without parsing, whenever the
/// client asked for JSON with no <c>_summary</c>/<c>_elements</c>.
/// </summary>
public static class FhirResponseWriter
{
    public static async System.Threading.Tasks.Task WriteAsync(HttpContext context, FhirResponse response, FhirFormat format)
    {
        var http = context.Response;
        var baseUrl = BaseUrl(context.Request);
        http.StatusCode = response.Status;
        if (response.Stored is { } stored)
        {
            http.Headers.ETag = $"W/\"{stored.VersionId}\"";
            http.Headers.LastModified = stored.LastUpdated.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (response.Location is { } location)
        {
            http.Headers.Location = $"{baseUrl}/{location}";
        }

        if (response.Status == 204 || context.Request.Method == HttpMethods.Head)
        {
            return;
        }

        var prefer = context.Request.Headers["Prefer"].ToString();
        if (prefer.Contains("return=minimal", StringComparison.OrdinalIgnoreCase) && response.Stored is not null && response.Status is 200 or 201)
        {
            return;
        }

        var (summary, elements) = ReadShaping(context.Request);
        http.ContentType = format.ContentType;
        byte[] body;
        if (response.Bundle is { } bundle)
        {
            if (bundle.Summary != SummaryMode.None)
            {
                summary = ToSummaryType(bundle.Summary);
            }

            elements = bundle.Elements?.ToArray() ?? elements;
            body = format.Xml
                ? FhirSerialization.ToXmlBytes(ToPoco(bundle, baseUrl, summary, elements), SummaryType.False, null, format.Pretty)
                : WriteJsonBundle(bundle, baseUrl, summary, elements, format.Pretty);
        }
        else if (response.Stored is { Json: { } json } && !format.Xml && !format.Pretty && summary == SummaryType.False && elements is null)
        {
            body = System.Text.Encoding.UTF8.GetBytes(json);
        }
        else
        {
            var resource = response.Resource ?? FhirSerialization.ParseJson(response.Stored!.Json!);
            body = format.Xml
                ? FhirSerialization.ToXmlBytes(resource, summary, elements, format.Pretty)
                : FhirSerialization.ToJsonBytes(resource, summary, elements, format.Pretty);
        }

        await http.Body.WriteAsync(body, context.RequestAborted);
    }

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";

    private static (SummaryType Summary, string[]? Elements) ReadShaping(HttpRequest request)
    {
        var summary = request.Query["_summary"].ToString() switch
        {
            "true" => SummaryType.True,
            "text" => SummaryType.Text,
            "data" => SummaryType.Data,
            "count" => SummaryType.Count,
            _ => SummaryType.False,
        };
        var elements = request.Query["_elements"].ToString();
        return (summary, elements.Length == 0 ? null : elements.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static SummaryType ToSummaryType(SummaryMode mode) => mode switch
    {
        SummaryMode.True => SummaryType.True,
        SummaryMode.Text => SummaryType.Text,
        SummaryMode.Data => SummaryType.Data,
        SummaryMode.Count => SummaryType.Count,
        _ => SummaryType.False,
    };

    private static byte[] WriteJsonBundle(BundleResult bundle, string baseUrl, SummaryType summary, string[]? elements, bool pretty)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = pretty, SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("resourceType", "Bundle");
            json.WriteString("id", Guid.NewGuid().ToString());
            json.WriteStartObject("meta");
            json.WriteString("lastUpdated", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffK", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteString("type", Hl7.Fhir.Utility.EnumUtility.GetLiteral(bundle.Type));
            if (bundle.Total is { } total && bundle.Type is Bundle.BundleType.Searchset or Bundle.BundleType.History)
            {
                json.WriteNumber("total", total);
            }

            if (bundle.Links.Count > 0)
            {
                json.WriteStartArray("link");
                foreach (var (relation, url) in bundle.Links)
                {
                    json.WriteStartObject();
                    json.WriteString("relation", relation);
                    json.WriteString("url", $"{baseUrl}/{url}");
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (bundle.Entries.Count > 0 && summary != SummaryType.Count)
            {
                json.WriteStartArray("entry");
                foreach (var entry in bundle.Entries)
                {
                    WriteEntry(json, entry, baseUrl, summary, elements);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteEntry(Utf8JsonWriter json, BundleEntryResult entry, string baseUrl, SummaryType summary, string[]? elements)
    {
        json.WriteStartObject();
        if (entry.Stored is { } stored)
        {
            json.WriteString("fullUrl", $"{baseUrl}/{stored.Reference}");
            if (stored.Json is { } raw)
            {
                json.WritePropertyName("resource");
                if (summary == SummaryType.False && elements is null)
                {
                    json.WriteRawValue(raw, skipInputValidation: true);
                }
                else
                {
                    json.WriteRawValue(FhirSerialization.ToJsonBytes(FhirSerialization.ParseJson(raw), summary, elements, false), skipInputValidation: true);
                }
            }
        }
        else if (entry.Resource is { } resource)
        {
            json.WritePropertyName("resource");
            json.WriteRawValue(FhirSerialization.ToJsonBytes(resource), skipInputValidation: true);
        }
        else if (entry.Bundle is { } nested)
        {
            json.WritePropertyName("resource");
            json.WriteRawValue(WriteJsonBundle(nested, baseUrl, ToSummaryType(nested.Summary), nested.Elements?.ToArray(), false), skipInputValidation: true);
        }

        if (entry.SearchMode is { } mode)
        {
            json.WriteStartObject("search");
            json.WriteString("mode", Hl7.Fhir.Utility.EnumUtility.GetLiteral(mode));
            json.WriteEndObject();
        }

        if (entry.RequestMethod is { } method)
        {
            json.WriteStartObject("request");
            json.WriteString("method", method);
            json.WriteString("url", entry.RequestUrl);
            json.WriteEndObject();
        }

        if (entry.ResponseStatus is { } status)
        {
            json.WriteStartObject("response");
            json.WriteString("status", status);
            if (entry.ResponseLocation is { } location)
            {
                json.WriteString("location", location);
            }

            if (entry.ResponseEtag is { } etag)
            {
                json.WriteString("etag", etag);
            }

            if (entry.ResponseLastModified is { } modified)
            {
                json.WriteString("lastModified", modified.ToString("yyyy-MM-ddTHH:mm:ss.fffK", System.Globalization.CultureInfo.InvariantCulture));
            }

            if (entry.ResponseOutcome is { } outcome)
            {
                json.WritePropertyName("outcome");
                json.WriteRawValue(FhirSerialization.ToJsonBytes(outcome), skipInputValidation: true);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static Bundle ToPoco(BundleResult result, string baseUrl, SummaryType summary, string[]? elements)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString(),
            Meta = new Meta { LastUpdated = DateTimeOffset.UtcNow },
            Type = result.Type,
            Total = result.Type is Bundle.BundleType.Searchset or Bundle.BundleType.History ? result.Total : null,
            Link = result.Links.Select(l => new Bundle.LinkComponent { Relation = l.Relation, Url = $"{baseUrl}/{l.Url}" }).ToList(),
        };
        if (summary == SummaryType.Count)
        {
            return bundle;
        }

        foreach (var entry in result.Entries)
        {
            var component = new Bundle.EntryComponent();
            if (entry.Stored is { Json: { } raw } stored)
            {
                component.FullUrl = $"{baseUrl}/{stored.Reference}";
                var resource = FhirSerialization.ParseJson(raw);
                component.Resource = summary == SummaryType.False && elements is null
                    ? resource
                    : FhirSerialization.ParseJson(FhirSerialization.ToJsonBytes(resource, summary, elements, false));
            }
            else
            {
                component.Resource = entry.Bundle is { } nested ? ToPoco(nested, baseUrl, ToSummaryType(nested.Summary), nested.Elements?.ToArray()) : entry.Resource;
            }

            if (entry.SearchMode is { } mode)
            {
                component.Search = new Bundle.SearchComponent { Mode = mode };
            }

            if (entry.RequestMethod is { } method)
            {
                component.Request = new Bundle.RequestComponent { Method = Enum.Parse<Bundle.HTTPVerb>(method), Url = entry.RequestUrl };
            }

            if (entry.ResponseStatus is { } status)
            {
                component.Response = new Bundle.ResponseComponent
                {
                    Status = status,
                    Location = entry.ResponseLocation,
                    Etag = entry.ResponseEtag,
                    LastModified = entry.ResponseLastModified,
                    Outcome = entry.ResponseOutcome,
                };
            }

            bundle.Entry.Add(component);
        }

        return bundle;
    }
}

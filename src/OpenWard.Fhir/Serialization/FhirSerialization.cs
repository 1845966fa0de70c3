using System.Text;
using System.Text.Json;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Hl7.Fhir.Validation;

namespace OpenWard.Fhir.Serialization;

/// <summary>
/// Reads and writes FHIR R4 JSON and XML with the Firely SDK. Parse failures become a 400
/// OperationOutcome that lists each problem with Firely's own stable code (e.g. <c>JSON101</c>).
/// </summary>
public static class FhirSerialization
{
    // The default deserializer validates primitives, codes and cardinality while parsing; that is
    // the first line of defence against bad input, worth its cost (TOOLCHAIN.md: 27-69 µs).
    private static readonly FhirJsonDeserializer JsonParser = new(new DeserializerSettings());
    private static readonly FhirXmlDeserializer XmlParser = new(new DeserializerSettings());
    private static readonly FhirJsonSerializer JsonWriter = new();
    private static readonly FhirXmlSerializer XmlWriter = new();

    public static Resource ParseJson(ReadOnlySpan<byte> utf8)
    {
        Resource? resource;
        IEnumerable<CodedException>? issues;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!JsonParser.TryDeserializeResource(ref reader, out resource, out issues))
            {
                throw ParseFailed(issues);
            }
        }
        catch (JsonException e)
        {
            throw FhirException.BadRequest("PARSE_JSON", $"The body is not valid JSON: {e.Message}");
        }
        catch (DeserializationFailedException e)
        {
            throw ParseFailed(e.Exceptions);
        }
        catch (CodedValidationException e)
        {
            // Thrown outright, not collected, for some shapes (an object where "contained" is a list).
            throw ParseFailed([e]);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw Unreadable(e);
        }

        return resource ?? throw FhirException.BadRequest("PARSE_EMPTY", "The body holds no FHIR resource.");
    }

    public static Resource ParseJson(string json) => ParseJson(Encoding.UTF8.GetBytes(json));

    public static Resource ParseXml(Stream stream)
    {
        try
        {
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            if (!XmlParser.TryDeserializeResource(reader, out var resource, out var issues))
            {
                throw ParseFailed(issues);
            }

            return resource ?? throw FhirException.BadRequest("PARSE_EMPTY", "The body holds no FHIR resource.");
        }
        catch (XmlException e)
        {
            throw FhirException.BadRequest("PARSE_XML", $"The body is not valid XML: {e.Message}");
        }
        catch (DeserializationFailedException e)
        {
            throw ParseFailed(e.Exceptions);
        }
        catch (CodedValidationException e)
        {
            // Thrown outright, not collected, for some shapes (an object where "contained" is a list).
            throw ParseFailed([e]);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw Unreadable(e);
        }
    }

    // Some malformed input (an extension with two value[x], for one) makes the parser throw a plain
    // exception instead of reporting an issue; it is still the client's input, so 400, not 500.
    private static FhirException Unreadable(Exception e) =>
        FhirException.BadRequest("PARSE_INVALID", $"The body could not be read as a FHIR R4 resource: {e.Message}");

    public static Resource ParseXml(string xml) => ParseXml(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    public static byte[] ToJsonBytes(Resource resource, bool pretty = false) =>
        JsonWriter.SerializeToBytes(resource, pretty);

    public static string ToJson(Resource resource, bool pretty = false) =>
        JsonWriter.SerializeToString(resource, pretty);

    /// <summary>JSON with <c>_summary</c> / <c>_elements</c> applied (https://hl7.org/fhir/R4/search.html#summary).</summary>
    public static byte[] ToJsonBytes(Resource resource, SummaryType summary, string[]? elements, bool pretty) =>
        JsonWriter.SerializeToBytes(resource, summary, elements, pretty);

    public static byte[] ToXmlBytes(Resource resource, SummaryType summary = SummaryType.False, string[]? elements = null, bool pretty = false) =>
        XmlWriter.SerializeToBytes(resource, summary, elements, pretty);

    private static FhirException ParseFailed(IEnumerable<CodedException>? issues)
    {
        var outcome = new OperationOutcome();
        foreach (var issue in issues ?? [])
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = OperationOutcome.IssueType.Structure,
                Details = new CodeableConcept(FhirException.IssueCodeSystem, issue.ErrorCode, issue.Message),
                Diagnostics = issue.Message,
            });
        }

        if (outcome.Issue.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = OperationOutcome.IssueType.Structure,
                Diagnostics = "The body could not be read as a FHIR R4 resource.",
            });
        }

        return new FhirException(400, outcome);
    }
}

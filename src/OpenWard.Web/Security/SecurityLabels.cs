using System.Text;
using System.Text.Json;

namespace OpenWard.Web.Security;

/// <summary>
/// Reads <c>meta.security</c> (https://hl7.org/fhir/R4/security-labels.html) straight from a
/// stored resource's JSON, without building the resource: the policy asks for it on every
/// resource it returns.
/// </summary>
public static class SecurityLabels
{
    public static IReadOnlyList<(string? System, string? Code)> Read(string? json)
    {
        if (json is null || !json.Contains("\"security\"", StringComparison.Ordinal))
        {
            return [];
        }

        var labels = new List<(string?, string?)>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        // Depth 1: the resource's own properties; only its "meta" (not a contained resource's) counts.
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("meta"))
            {
                reader.Read();
                ReadMeta(ref reader, labels);
                break;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
            {
                reader.Skip();
            }
        }

        return labels;
    }

    private static void ReadMeta(ref Utf8JsonReader reader, List<(string?, string?)> labels)
    {
        var metaDepth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == metaDepth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != metaDepth + 1)
            {
                continue;
            }

            if (!reader.ValueTextEquals("security"))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                string? system = null, code = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (name == "system" && reader.TokenType == JsonTokenType.String)
                    {
                        system = reader.GetString();
                    }
                    else if (name == "code" && reader.TokenType == JsonTokenType.String)
                    {
                        code = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                labels.Add((system, code));
            }
        }
    }
}

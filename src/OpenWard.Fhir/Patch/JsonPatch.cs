using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Patch;

/// <summary>
/// A JSON Patch document (RFC 6902, https://www.rfc-editor.org/rfc/rfc6902), applied to the JSON
/// of the current version: <c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c> and
/// <c>test</c>, with RFC 6901 pointers.
/// </summary>
/// <remarks>
/// Written here rather than taken from Microsoft.AspNetCore.JsonPatch.SystemTextJson 10.0.15: that
/// package can patch a <see cref="JsonNode"/>, but it skips an unknown <c>op</c> silently (a
/// misspelt patch would answer 200 and change nothing), accepts array indexes with leading zeros,
/// and throws ArgumentNullException on the root pointer. RFC 6902 section 5: on any error the
/// whole document fails and nothing is applied; the caller works on its own copy.
/// </remarks>
public sealed class JsonPatch : ResourcePatch
{
    private readonly IReadOnlyList<Operation> _operations;

    private JsonPatch(IReadOnlyList<Operation> operations)
    {
        _operations = operations;
    }

    /// <summary>How many operations the document holds.</summary>
    public int Count => _operations.Count;

    /// <summary>Reads a JSON Patch document; a malformed one is a 400 <see cref="FhirException"/> naming the operation at fault.</summary>
    public static JsonPatch Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw Invalid($"The JSON Patch document is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("A JSON Patch document is a JSON array of operations (RFC 6902 section 3).");
            }

            var operations = new List<Operation>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                operations.Add(ReadOperation(operations.Count, element));
            }

            return new JsonPatch(operations);
        }
    }

    /// <summary>Applies the operations in order to any JSON value (RFC 6902 itself, with no FHIR rules); returns the new root.</summary>
    internal JsonNode? ApplyTo(JsonNode? root)
    {
        var document = new Document(root);
        foreach (var operation in _operations)
        {
            operation.ApplyTo(document);
        }

        return document.Root;
    }

    protected override byte[] ApplyCore(string currentJson, Resource current)
    {
        var patched = ApplyTo(JsonNode.Parse(currentJson));

        // RFC 6902 allows replacing the whole document; a resource must keep its type and id.
        var root = patched as JsonObject;
        var resourceType = root?["resourceType"] is JsonValue type && type.TryGetValue(out string? t) ? t : null;
        var id = root?["id"] is JsonValue idValue && idValue.TryGetValue(out string? i) ? i : null;
        RequireSameIdentity(current, resourceType, id);
        return JsonSerializer.SerializeToUtf8Bytes(patched);
    }

    private static Operation ReadOperation(int number, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid($"Operation {number} is not a JSON object.");
        }

        string? op = null;
        string? path = null;
        string? from = null;
        var hasValue = false;
        JsonNode? value = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            // RFC 6902 section 4: members an operation does not define are ignored; ours must appear once.
            if (member.Name is "op" or "path" or "from" or "value" && !seen.Add(member.Name))
            {
                throw Invalid($"Operation {number} has more than one '{member.Name}'.");
            }

            switch (member.Name)
            {
                case "op":
                    op = RequireString(number, member);
                    break;
                case "path":
                    path = RequireString(number, member);
                    break;
                case "from":
                    from = RequireString(number, member);
                    break;
                case "value":
                    hasValue = true;
                    value = JsonNode.Parse(member.Value.GetRawText());
                    break;
            }
        }

        if (op is null)
        {
            throw Invalid($"Operation {number} has no 'op'.");
        }

        if (op is not ("add" or "remove" or "replace" or "move" or "copy" or "test"))
        {
            throw Invalid($"Operation {number}: '{op}' is not a JSON Patch operation (add, remove, replace, move, copy, test).");
        }

        var target = ParsePointer(number, op, "path", path ?? throw Invalid($"Operation {number} ({op}) has no 'path'."));
        JsonPointer? source = null;
        if (op is "move" or "copy")
        {
            source = ParsePointer(number, op, "from", from ?? throw Invalid($"Operation {number} ({op}) has no 'from'."));
        }

        if (op is "add" or "replace" or "test" && !hasValue)
        {
            throw Invalid($"Operation {number} ({op} {target}) has no 'value'.");
        }

        return new Operation(number, op, target, source, value);
    }

    private static string RequireString(int number, JsonProperty member) =>
        member.Value.ValueKind == JsonValueKind.String
            ? member.Value.GetString()!
            : throw Invalid($"Operation {number}: '{member.Name}' must be a string.");

    private static JsonPointer ParsePointer(int number, string op, string member, string text) =>
        JsonPointer.TryParse(text) ?? throw Invalid(
            $"Operation {number} ({op}): '{member}' is not a JSON Pointer: '{text}' must be empty or start with '/', and '~' must be followed by 0 or 1 (RFC 6901).");

    private static FhirException Invalid(string message) =>
        FhirException.BadRequest(InvalidCode, message);

    private sealed record Operation(int Number, string Op, JsonPointer Path, JsonPointer? From, JsonNode? Value)
    {
        public void ApplyTo(Document document)
        {
            switch (Op)
            {
                case "add":
                    document.Add(this, Path, Value?.DeepClone());
                    break;
                case "remove":
                    document.Remove(this, Path);
                    break;
                case "replace":
                    document.Replace(this, Path, Value?.DeepClone());
                    break;
                case "move":
                    if (Path.IsProperDescendantOf(From!))
                    {
                        throw Failed($"'from' {From} contains 'path' {Path}: a value cannot be moved into one of its own children (RFC 6902 section 4.4).");
                    }

                    var moved = document.Get(this, From!)?.DeepClone();
                    document.Remove(this, From!);
                    document.Add(this, Path, moved);
                    break;
                case "copy":
                    document.Add(this, Path, document.Get(this, From!)?.DeepClone());
                    break;
                case "test":
                    if (!document.TryGet(Path, out var actual))
                    {
                        throw TestFailed($"Operation {Number} (test {Path}) failed: there is nothing at that path.");
                    }

                    // RFC 6902 section 4.6: equal by JSON value (numbers by value, objects regardless of member order).
                    if (!JsonNode.DeepEquals(actual, Value))
                    {
                        throw TestFailed($"Operation {Number} (test {Path}) failed: the value there is {Describe(actual)}, not {Describe(Value)}.");
                    }

                    break;
            }
        }

        public FhirException Failed(string reason) =>
            FhirException.Unprocessable(FailedCode, $"Operation {Number} ({Op} {Path}) cannot be applied: {reason}");

        private static string Describe(JsonNode? node)
        {
            var text = node?.ToJsonString() ?? "null";
            return text.Length <= 200 ? text : text[..200] + "…";
        }
    }

    /// <summary>The document being patched; the root itself can be replaced.</summary>
    private sealed class Document(JsonNode? root)
    {
        public JsonNode? Root { get; private set; } = root;

        public bool TryGet(JsonPointer pointer, out JsonNode? value)
        {
            value = Root;
            foreach (var token in pointer.Tokens)
            {
                switch (value)
                {
                    case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                        value = child;
                        break;
                    case JsonArray array when JsonPointer.TryParseIndex(token, out var index) && index < array.Count:
                        value = array[index];
                        break;
                    default:
                        value = null;
                        return false;
                }
            }

            return true;
        }

        public JsonNode? Get(Operation operation, JsonPointer pointer) =>
            TryGet(pointer, out var value) ? value : throw operation.Failed($"there is nothing at {pointer}.");

        public void Add(Operation operation, JsonPointer path, JsonNode? value)
        {
            if (path.IsRoot)
            {
                Root = value;
                return;
            }

            switch (Parent(operation, path))
            {
                case JsonObject obj:
                    obj[path.Last] = value;
                    break;
                case JsonArray array when path.Last == "-":
                    array.Add(value);
                    break;
                case JsonArray array:
                    // RFC 6902 section 4.1: the index may be the array's length (append), not beyond.
                    if (!JsonPointer.TryParseIndex(path.Last, out var index) || index > array.Count)
                    {
                        throw operation.Failed($"'{path.Last}' is not an index from 0 to {array.Count} (or '-') in an array of {array.Count}.");
                    }

                    array.Insert(index, value);
                    break;
            }
        }

        public void Remove(Operation operation, JsonPointer path)
        {
            if (path.IsRoot)
            {
                throw operation.Failed("the whole resource cannot be removed.");
            }

            switch (Parent(operation, path))
            {
                case JsonObject obj:
                    if (!obj.Remove(path.Last))
                    {
                        throw operation.Failed($"there is nothing at {path}.");
                    }

                    break;
                case JsonArray array:
                    array.RemoveAt(ExistingIndex(operation, path, array));
                    break;
            }
        }

        public void Replace(Operation operation, JsonPointer path, JsonNode? value)
        {
            if (path.IsRoot)
            {
                Root = value;
                return;
            }

            switch (Parent(operation, path))
            {
                case JsonObject obj:
                    if (!obj.ContainsKey(path.Last))
                    {
                        throw operation.Failed($"there is nothing at {path}.");
                    }

                    obj[path.Last] = value;
                    break;
                case JsonArray array:
                    array[ExistingIndex(operation, path, array)] = value;
                    break;
            }
        }

        private JsonNode Parent(Operation operation, JsonPointer path)
        {
            var parentPointer = JsonPointer.TryParse(path.Text[..path.Text.LastIndexOf('/')])!;
            return TryGet(parentPointer, out var parent) && parent is JsonObject or JsonArray
                ? parent!
                : throw operation.Failed($"there is no object or array at {(parentPointer.IsRoot ? "the root" : parentPointer.Text)} to hold '{path.Last}'.");
        }

        private static int ExistingIndex(Operation operation, JsonPointer path, JsonArray array) =>
            JsonPointer.TryParseIndex(path.Last, out var index) && index < array.Count
                ? index
                : throw operation.Failed($"'{path.Last}' is not the index of an element in an array of {array.Count}.");
    }
}

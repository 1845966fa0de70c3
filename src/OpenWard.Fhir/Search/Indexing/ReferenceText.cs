using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Search.Indexing;

/// <summary>
/// Reads <c>Reference.reference</c> strings (https://hl7.org/fhir/R4/references.html#literal): a
/// relative <c>Type/id</c>, an absolute URL (which may end in <c>Type/id</c>), either optionally
/// followed by <c>/_history/version</c>; <c>#id</c> points inside the resource itself.
/// </summary>
internal static class ReferenceText
{
    private const string HistorySegment = "/_history/";

    /// <summary>The index entry for <paramref name="reference"/>, or null for a contained (<c>#id</c>) or unreadable reference.</summary>
    public static ReferenceIndex? ToIndex(string param, string reference)
    {
        if (reference.Length == 0 || reference[0] == '#')
        {
            return null;
        }

        var hasTarget = TryGetTypeAndId(reference, out var type, out var id);
        if (IsAbsolute(reference))
        {
            return hasTarget ? new ReferenceIndex(param, type, id, reference) : new ReferenceIndex(param, null, null, reference);
        }

        // A relative reference must be exactly Type/id (a conditional "Patient?identifier=..." is resolved before storing).
        return hasTarget && IsExactlyTypeAndId(reference) ? new ReferenceIndex(param, type, id, null) : null;
    }

    /// <summary>The resource type named by the reference's last <c>Type/id</c> (ignoring <c>/_history/v</c>), if any.</summary>
    public static bool TryGetTypeAndId(string reference, out string type, out string id)
    {
        type = id = string.Empty;
        var path = reference.AsSpan();
        var history = path.LastIndexOf(HistorySegment, StringComparison.Ordinal);
        if (history >= 0)
        {
            path = path[..history];
        }

        var idStart = path.LastIndexOf('/') + 1;
        if (idStart <= 1 || !IsFhirId(path[idStart..]))
        {
            return false;
        }

        var typeStart = path[..(idStart - 1)].LastIndexOf('/') + 1;
        var typeName = path[typeStart..(idStart - 1)].ToString();
        if (!ModelInfo.IsKnownResource(typeName))
        {
            return false;
        }

        type = typeName;
        id = path[idStart..].ToString();
        return true;
    }

    private static bool IsAbsolute(string reference) =>
        reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith("urn:", StringComparison.OrdinalIgnoreCase);

    private static bool IsExactlyTypeAndId(string reference)
    {
        var path = reference.AsSpan();
        var history = path.LastIndexOf(HistorySegment, StringComparison.Ordinal);
        if (history >= 0)
        {
            path = path[..history];
        }

        return path.Count('/') == 1;
    }

    // https://hl7.org/fhir/R4/datatypes.html#id: [A-Za-z0-9\-\.]{1,64}
    private static bool IsFhirId(ReadOnlySpan<char> candidate)
    {
        if (candidate.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}

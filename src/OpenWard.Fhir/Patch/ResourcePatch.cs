using Hl7.Fhir.Model;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Fhir.Patch;

/// <summary>
/// The body of a FHIR patch interaction (https://hl7.org/fhir/R4/http.html#patch): a JSON Patch
/// document (<see cref="JsonPatch"/>) or a FHIRPath Patch Parameters resource
/// (<see cref="FhirPathPatch"/>). <see cref="Apply"/> patches the server's own copy of the current
/// version and returns the resource to store as an update.
/// </summary>
/// <remarks>
/// Statuses: a malformed patch document is 400 (<see cref="InvalidCode"/>); a patch that changes
/// the resource's type or id is 400 (<see cref="IdentityCode"/>); an operation that cannot be
/// applied to this resource is 422 (<see cref="FailedCode"/>), and so is a failed JSON Patch
/// <c>test</c> (<see cref="TestFailedCode"/>: R4 is silent, R5 says "In the case of a failing JSON
/// Patch test interaction, the server returns a 422 Unprocessable Entity",
/// https://hl7.org/fhir/R5/http.html#patch); a result that is not a valid FHIR resource is 422
/// (<see cref="ResultInvalidCode"/>) with the parser's issues ("Servers SHALL return an error if
/// the outcome of the patch operation is a not a valid resource", https://hl7.org/fhir/R4/fhirpatch.html).
/// </remarks>
public abstract class ResourcePatch
{
    public const string JsonPatchMediaType = "application/json-patch+json";

    public const string InvalidCode = "PATCH_INVALID";
    public const string FailedCode = "PATCH_FAILED";
    public const string TestFailedCode = "PATCH_TEST_FAILED";
    public const string ResultInvalidCode = "PATCH_RESULT_INVALID";
    public const string IdentityCode = "PATCH_CHANGES_IDENTITY";

    /// <summary>
    /// The patch carried by a resource: a FHIRPath Patch <see cref="Parameters"/>, or a
    /// <see cref="Binary"/> holding a JSON Patch document (how a batch or transaction entry carries
    /// one, https://hl7.org/fhir/R5/http.html#patch). Anything else is a 400.
    /// </summary>
    public static ResourcePatch FromResource(Resource body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body switch
        {
            Parameters parameters => FhirPathPatch.Parse(parameters),
            Binary binary when IsJsonPatchMediaType(binary.ContentType) => JsonPatch.Parse(binary.Data ?? []),
            Binary binary => throw FhirException.BadRequest(InvalidCode, $"A Binary patch must have contentType {JsonPatchMediaType}, not '{binary.ContentType}'."),
            _ => throw FhirException.BadRequest(InvalidCode,
                $"A patch is a JSON Patch document ({JsonPatchMediaType}) or a FHIRPath Patch Parameters resource, not a {body.TypeName}; to replace the whole resource use PUT."),
        };
    }

    /// <summary>Whether a Content-Type names JSON Patch (parameters such as charset are ignored).</summary>
    public static bool IsJsonPatchMediaType(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return string.Equals(mediaType, JsonPatchMediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Applies the patch to <paramref name="currentJson"/> (the stored JSON of the current version)
    /// and returns the patched resource, parsed and checked, ready to be written as an update.
    /// </summary>
    public Resource Apply(string currentJson)
    {
        ArgumentNullException.ThrowIfNull(currentJson);
        var current = FhirSerialization.ParseJson(currentJson);
        var patchedJson = ApplyCore(currentJson, current);
        Resource patched;
        try
        {
            patched = FhirSerialization.ParseJson(patchedJson);
        }
        catch (FhirException e) when (e.Status == 400)
        {
            var outcome = FhirException.SingleIssue(OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueType.Processing, ResultInvalidCode,
                $"The patched {current.TypeName} would not be a valid FHIR R4 resource; nothing was changed. The parser's issues follow.");
            outcome.Issue.AddRange(e.Outcome.Issue);
            throw new FhirException(422, outcome);
        }

        RequireSameIdentity(current, patched.TypeName, patched.Id);
        ClearUnsafeNarrative(current, patched);
        return patched;
    }

    /// <summary>Applies the operations in order and returns the resulting JSON; throws on the first that fails.</summary>
    protected abstract byte[] ApplyCore(string currentJson, Resource current);

    protected static void RequireSameIdentity(Resource current, string? resourceType, string? id)
    {
        if (resourceType != current.TypeName)
        {
            throw FhirException.BadRequest(IdentityCode, $"A patch may not change resourceType: this is a {current.TypeName}.");
        }

        if (id != current.Id)
        {
            throw FhirException.BadRequest(IdentityCode, $"A patch may not change or remove the id '{current.Id}'.");
        }
    }

    protected static FhirException TestFailed(string message) =>
        FhirException.Unprocessable(TestFailedCode, message);

    /// <summary>
    /// "The server SHALL ensure that the narrative in a resource is not clinically unsafe after the
    /// PATCH operation is performed" (https://hl7.org/fhir/R4/http.html#patch). This server cannot
    /// regenerate narrative, so a narrative that the patch left as it was, while changing the data
    /// it describes, is removed: one of the spec's listed options.
    /// </summary>
    private static void ClearUnsafeNarrative(Resource current, Resource patched)
    {
        if (patched is DomainResource { Text: { } text } domain && current is DomainResource { Text: { } before }
            && text.IsExactly(before) && !WithoutVersion(patched).IsExactly(WithoutVersion(current)))
        {
            domain.Text = null;
        }
    }

    private static Resource WithoutVersion(Resource resource)
    {
        var copy = (Resource)resource.DeepCopy();
        if (copy.Meta is { } meta)
        {
            meta.VersionId = null;
            meta.LastUpdated = null;
        }

        return copy;
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Records;

/// <summary>
/// An AllergyIntolerance, Condition or DocumentReference marked entered in error stays so: it is
/// neither made current again nor deleted, so the record of the error (who found it, why) stays
/// and nobody acts on an entry that was found to be wrong.
/// </summary>
public sealed class EnteredInErrorIsFinal : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "ENTERED_IN_ERROR_IS_FINAL",
        "An entry marked entered in error is never made current again or removed: nobody acts on it, and the record of the mistake stays.",
        "R4 AllergyIntolerance.verificationStatus, Condition.verificationStatus and DocumentReference.status 'entered-in-error' (https://hl7.org/fhir/R4/valueset-allergyintolerance-verification.html, https://hl7.org/fhir/R4/valueset-condition-ver-status.html, https://hl7.org/fhir/R4/valueset-document-reference-status.html)",
        422);

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "AllergyIntolerance", "Condition", "DocumentReference" };

    public ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.Before is { } before && IsEnteredInError(before) && (write.After is null || !IsEnteredInError(write.After)))
        {
            throw new WriteRuleViolation(
                Rule,
                write.IsDelete
                    ? $"{write.Reference} is marked entered in error and cannot be deleted: the record of the error stays."
                    : $"{write.Reference} is marked entered in error and cannot be made current again: record it again as a new entry if it is true after all.",
                $"{write.ResourceType}.{StatusElement(write.ResourceType)}");
        }

        return ValueTask.CompletedTask;
    }

    public static bool IsEnteredInError(Resource resource) => resource switch
    {
        AllergyIntolerance allergy => HasCode(allergy.VerificationStatus, "entered-in-error"),
        Condition condition => HasCode(condition.VerificationStatus, "entered-in-error"),
        DocumentReference document => document.Status == DocumentReferenceStatus.EnteredInError,
        _ => false,
    };

    private static string StatusElement(string resourceType) => resourceType == "DocumentReference" ? "status" : "verificationStatus";

    private static bool HasCode(CodeableConcept? concept, string code) => concept?.Coding.Any(c => c.Code == code) == true;
}

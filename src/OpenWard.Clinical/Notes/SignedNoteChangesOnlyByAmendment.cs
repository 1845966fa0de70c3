using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Notes;

/// <summary>
/// A signed note (DocumentReference <c>docStatus</c> final or amended) changes only as an
/// amendment (<c>docStatus</c> amended; the signed version stays in history) or by being marked
/// entered in error, and is never deleted: what a clinician signed and others read stays readable.
/// A write that changes nothing but its metadata (labels, tags) is not a change to the note.
/// </summary>
public sealed class SignedNoteChangesOnlyByAmendment : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "SIGNED_NOTE_AMEND_ONLY",
        "What a clinician signed is never overwritten in place: a change is an amendment, and the signed text stays in history.",
        "R4 DocumentReference.docStatus (https://hl7.org/fhir/R4/valueset-composition-status.html: 'amended'); RCP/PRSB record-keeping standards; the clinician's note pages",
        422);

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "DocumentReference" };

    public ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.Before is not DocumentReference before || !IsSigned(before) || before.Status == DocumentReferenceStatus.EnteredInError)
        {
            return ValueTask.CompletedTask;
        }

        if (write.After is not DocumentReference after)
        {
            throw new WriteRuleViolation(Rule, $"{write.Reference} is a signed note and cannot be deleted: mark it entered in error, or amend it.", "DocumentReference");
        }

        if (after.Status == DocumentReferenceStatus.EnteredInError || after.DocStatus == CompositionStatus.Amended || SameApartFromMeta(before, after))
        {
            return ValueTask.CompletedTask;
        }

        throw new WriteRuleViolation(
            Rule,
            $"{write.Reference} is a signed note: change it only as an amendment (docStatus 'amended'; the signed version stays in history), or mark it entered in error.",
            "DocumentReference.docStatus");
    }

    public static bool IsSigned(DocumentReference note) => note.DocStatus is CompositionStatus.Final or CompositionStatus.Amended;

    private static bool SameApartFromMeta(DocumentReference before, DocumentReference after)
    {
        var a = (DocumentReference)before.DeepCopy();
        var b = (DocumentReference)after.DeepCopy();
        a.Meta = null;
        b.Meta = null;
        return a.IsExactly(b);
    }
}

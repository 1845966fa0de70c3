using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Registration;

/// <summary>
/// A Patient marked merged (link <c>replaced-by</c>) points at one other Patient that exists and is
/// itself live: readers follow the link to find the person's record, so a link to nowhere, to the
/// record itself or along a chain of merges would leave them at a dead end. The merge page checks
/// the same before it writes (<see cref="RecordMerge.ValidateSurviving"/>).
/// </summary>
public sealed class MergeIntoALiveRecord : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "MERGE_INTO_LIVE_RECORD",
        "A merged record points at one live record, so whoever opens it is sent to the person's record and not to a dead end.",
        "R4 Patient.link 'replaced-by' (https://hl7.org/fhir/R4/valueset-link-type.html): 'the link refers to the patient resource that should be used'; the record merge page",
        409);

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "Patient" };

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not Patient after)
        {
            return;
        }

        var targets = after.Link.Where(l => l.Type == Patient.LinkType.ReplacedBy).Select(l => l.Other?.Reference).ToList();
        if (targets.Count == 0 || (write.Before is Patient before && RecordMerge.ReplacedBy(before) == targets[0] && targets.Count == 1))
        {
            return; // not merged, or merged as before
        }

        if (targets.Count > 1)
        {
            throw new WriteRuleViolation(Rule, $"{write.Reference} is marked replaced by {targets.Count} records: a merged record is replaced by one.", "Patient.link");
        }

        var target = targets[0];
        if (target is null || !target.StartsWith("Patient/", StringComparison.Ordinal) || target == write.Reference)
        {
            throw new WriteRuleViolation(Rule, $"{write.Reference} must be replaced by another Patient (Patient/id), not by '{target}'.", "Patient.link.other");
        }

        if (await context.ReadAsync("Patient", target["Patient/".Length..], cancellationToken) is not Patient kept)
        {
            throw new WriteRuleViolation(Rule, $"{write.Reference} is marked replaced by {target}, which does not exist.", "Patient.link.other");
        }

        if (RecordMerge.ReplacedBy(kept) is { } further)
        {
            throw new WriteRuleViolation(Rule, $"{target} has itself been merged into {further}: merge {write.Reference} into {further} instead.", "Patient.link.other");
        }
    }
}

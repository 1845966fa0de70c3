using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// Every draft or active MedicationRequest written, by any path (a page, the FHIR API, PATCH, a Bundle
/// entry), is checked by <see cref="MedicationChecks"/> inside the write. A hard stop refuses the
/// write (422, every alert in the OperationOutcome) unless the order references a documented
/// override: a DetectedIssue (contained or stored) with a mitigation that gives the reason (action)
/// and who authorised it (author), for the hard stop's category or, with no category, for all. Every
/// alert and the list of what was not checked is stored as a DetectedIssue linked to the order
/// (<see cref="AlertLedger"/>), and the order lists them in <c>detectedIssue</c>. A write that
/// changes neither medicine, dose nor status is not checked again. Bulk import does not run it and
/// tags what it loads.
/// </summary>
public sealed class MedicationOrderChecked(MedicationChecks checks, TimeProvider time) : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "MEDICATION_HARD_STOP",
        "A dangerous medication order (a ten-fold dose, a never-event route, daily methotrexate) is stored as if it had been checked and passed.",
        "Issue #18; the formulary's rules, each with its cited source (docs/implementation/formulary.md)",
        422);

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string> { "MedicationRequest" };

    public bool RunsOnImport => false;

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not MedicationRequest order
            || order.Status is not (MedicationRequest.MedicationrequestStatus.Draft or MedicationRequest.MedicationrequestStatus.Active)
            || (write.Before is MedicationRequest before && SameOrder(before, order)))
        {
            return;
        }

        // An order that names no patient is still checked (the absolute limits, routes, units), with
        // everything about the patient reported as not read: there is no path around the checks.
        var now = time.GetUtcNow();
        var patientId = write.PatientId;
        var patient = patientId is not null
            ? await PatientRecordQueries.ReadAsync(context, patientId, checks.Formulary, now, writing: null, cancellationToken)
            : PatientRecordQueries.Context(null, [], Enum.GetValues<PatientData>().ToDictionary(d => d, _ => "the order names no patient (MedicationRequest.subject)"), now);
        var result = checks.Run(order, patient);
        var overrides = await OverridesAsync(order, context, cancellationToken);
        var refused = result.Alerts.Where(a => a.Severity == AlertSeverity.HardStop && !overrides.ContainsKey(a.Category)).ToList();
        if (refused.Count > 0)
        {
            throw new WriteRuleViolation(
                Rule,
                [.. result.Alerts.Select(a => (a.Severity == AlertSeverity.HardStop && refused.Contains(a), $"{a.Summary}. {a.Detail}", CheckCodes.Of(a.Category)))],
                $"Nothing was saved: {refused.Count} hard stop{(refused.Count == 1 ? "" : "s")} on this order ({string.Join("; ", refused.Select(a => a.Summary))}). Change the order, or record a documented override (a DetectedIssue with the reason and who authorised it, referenced from MedicationRequest.detectedIssue).");
        }

        foreach (var issue in AlertLedger.For(write.Reference, patientId, result, now, overrides))
        {
            context.WriteAlongside(issue);
            order.DetectedIssue.Add(new ResourceReference($"DetectedIssue/{issue.Id}"));
        }
    }

    /// <summary>The documented overrides the order references, by the category each covers (every category when it names none).</summary>
    private static async Task<Dictionary<CheckCategory, DetectedIssue.MitigationComponent>> OverridesAsync(MedicationRequest order, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        var found = new Dictionary<CheckCategory, DetectedIssue.MitigationComponent>();
        foreach (var reference in order.DetectedIssue.Select(r => r.Reference).OfType<string>())
        {
            var issue = reference.StartsWith('#')
                ? order.Contained.OfType<DetectedIssue>().FirstOrDefault(d => d.Id == reference[1..])
                : reference.StartsWith("DetectedIssue/", StringComparison.Ordinal) ? await context.ReadAsync("DetectedIssue", reference["DetectedIssue/".Length..], cancellationToken) as DetectedIssue : null;
            if (issue is null || issue.Status is ObservationStatus.EnteredInError or ObservationStatus.Cancelled)
                continue;
            var mitigation = issue.Mitigation.FirstOrDefault(m => HasReason(m.Action) && (Names(m.Author) || Names(issue.Author)));
            if (mitigation is null)
                continue;
            var documented = (DetectedIssue.MitigationComponent)mitigation.DeepCopy();
            documented.Author ??= issue.Author;
            foreach (var category in AlertLedger.CategoryOf(issue) is { } one ? [one] : Enum.GetValues<CheckCategory>())
                found.TryAdd(category, documented);
        }

        return found;
    }

    /// <summary>Who authorised it: a reference, or at least a name.</summary>
    private static bool Names(ResourceReference? who) => !string.IsNullOrWhiteSpace(who?.Reference) || !string.IsNullOrWhiteSpace(who?.Display);

    private static bool HasReason(CodeableConcept? action) =>
        action is not null && (!string.IsNullOrWhiteSpace(action.Text) || action.Coding.Any(c => !string.IsNullOrWhiteSpace(c.Code)));

    private static bool SameOrder(MedicationRequest before, MedicationRequest after) =>
        before.Status == after.Status
        && (before.Medication?.IsExactly(after.Medication) ?? after.Medication is null)
        && before.DosageInstruction.Count == after.DosageInstruction.Count
        && before.DosageInstruction.Zip(after.DosageInstruction).All(p => p.First.IsExactly(p.Second));
}

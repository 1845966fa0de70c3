using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// Checks run both ways (issue #18): recording an allergy, a condition, a weight or a laboratory
/// result the formulary's rules read re-checks the patient's active orders, and every alert the new
/// record raises against one (an allergy to an active amoxicillin order, a low eGFR under active
/// metformin) is stored as a DetectedIssue implicating the order and the new record. It never
/// refuses: a true allergy must be recordable whatever is prescribed. Bulk import does not run it,
/// and tags the records it would have run for.
/// </summary>
public sealed class ActiveOrdersRechecked(MedicationChecks checks, TimeProvider time) : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "ACTIVE_ORDERS_RECHECKED",
        "An allergy, condition, weight or result recorded while a conflicting medicine is active, and nobody told.",
        "Issue #18 (checks run both ways); the formulary's rules",
        422);

    private readonly HashSet<string> _observationCodes =
    [
        .. PatientRecordQueries.WeightCodes,
        .. checks.Formulary.Knowledge.LabTests.Values.SelectMany(t => t.Loinc ?? []).Select(code => $"http://loinc.org|{code}"),
    ];

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string> { "AllergyIntolerance", "Condition", "Observation" };

    public bool RunsOnImport => false;

    public bool Concerns(Resource resource) => resource switch
    {
        Observation observation => observation.Code?.Coding.Any(c => _observationCodes.Contains($"{c.System}|{c.Code}")) == true,
        _ => true,
    };

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not { } written || write.PatientId is not { } patientId || !Concerns(written))
            return;
        var orders = await context.FindAsync("MedicationRequest", [new("patient", patientId), new("status", "active")], PatientRecordQueries.Limit, cancellationToken);
        if (orders.Count == 0)
            return;

        var now = time.GetUtcNow();
        var patient = await PatientRecordQueries.ReadAsync(context, patientId, checks.Formulary, now, written, cancellationToken);
        foreach (var order in orders.OfType<MedicationRequest>())
        {
            var result = checks.Run(order, patient);
            var raised = result.Alerts.Where(a => a.Conflicting.Contains(write.Reference)).ToList();
            if (raised.Count == 0)
                continue;
            foreach (var issue in AlertLedger.For($"MedicationRequest/{order.Id}", patientId, result with { Alerts = raised, NotChecked = [] }, now, new Dictionary<CheckCategory, DetectedIssue.MitigationComponent>()))
            {
                context.WriteAlongside(issue);
            }
        }
    }
}

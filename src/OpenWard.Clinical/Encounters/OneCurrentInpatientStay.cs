using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Encounters;

/// <summary>
/// A patient has at most one current inpatient Encounter (<see cref="EncounterStates"/>): a second
/// stay would split the record of one admission in two, and put the patient in two beds.
/// </summary>
public sealed class OneCurrentInpatientStay : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "ONE_CURRENT_INPATIENT_STAY",
        "A patient in hospital has one current inpatient stay, so every ward, bed and clinician of that stay is found in one place.",
        "NHS Data Model and Dictionary, Hospital Provider Spell (one spell from admission to discharge); the clinician's admission page",
        409);

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "Encounter" };

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not Encounter after || !EncounterStates.IsCurrent(after) || !EncounterStates.IsInpatient(after) || write.PatientId is not { } patientId)
        {
            return;
        }

        if (write.Before is Encounter before && EncounterStates.IsCurrent(before) && EncounterStates.IsInpatient(before) && write.BeforePatientId == patientId)
        {
            return; // already this patient's current stay: this write changes it, it does not start another
        }

        await context.LockAsync($"inpatient-stay|Patient/{patientId}", cancellationToken);
        var stays = await context.FindAsync(
            "Encounter",
            [new("patient", patientId), new("status", EncounterStates.CurrentSearchValue), new("class", EncounterStates.InpatientClassSearchValue)],
            limit: 2,
            cancellationToken);
        if (stays.FirstOrDefault(s => s.Id != write.Id) is { } other)
        {
            throw new WriteRuleViolation(
                Rule,
                $"Patient/{patientId} is already in hospital: Encounter/{other.Id} is their current inpatient stay. Transfer or discharge within that stay instead of starting another.",
                "Encounter.status");
        }
    }
}

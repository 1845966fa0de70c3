using OpenWard.Clinical.Allergies;
using OpenWard.Clinical.Encounters;
using OpenWard.Clinical.Medicines;
using OpenWard.Clinical.Medicines.Checks;
using OpenWard.Clinical.Notes;
using OpenWard.Clinical.Observations;
using OpenWard.Clinical.Records;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical;

/// <summary>
/// Every write rule OpenWard keeps, for the host to hand to the write path. docs/architecture.md
/// lists them with what each protects, its source and the test that proves it.
/// </summary>
public static class ClinicalWriteRules
{
    /// <param name="checks">The medication checks every draft or active MedicationRequest written must pass.</param>
    /// <param name="escalation">Who responds to a raised NEWS2 score, and within how long.</param>
    public static WriteRules Create(MedicationChecks checks, TimeProvider time, EscalationPolicy? escalation = null) => new(
    [
        new EnteredInErrorIsFinal(),
        new SignedNoteChangesOnlyByAmendment(),
        new OneCurrentInpatientStay(),
        new OnePatientPerBed(),
        IdentifierOnOneLiveRecord.NhsNumber,
        IdentifierOnOneLiveRecord.HospitalNumber,
        new MergedRecordTakesNoNewData(),
        new MergeIntoALiveRecord(),
        new NoKnownAllergiesNotContradicted(),
        new MedicationOrderChecked(checks, time),
        new ActiveOrdersRechecked(checks, time),
        new VitalSignsPlausible(),
        new News2Scored(time, escalation ?? EscalationPolicy.Default),
        new SepsisScreenTracked(),
    ]);
}

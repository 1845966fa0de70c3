using OpenWard.Clinical.Allergies;
using OpenWard.Clinical.Encounters;
using OpenWard.Clinical.Notes;
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
    public static WriteRules Create() => new(
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
    ]);
}

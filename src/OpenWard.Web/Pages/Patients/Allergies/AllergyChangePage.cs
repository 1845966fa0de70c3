using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Allergies;

/// <summary>What changing an allergy and marking it entered in error share (<see cref="RecordChangePage{TResource, TForm}"/>), for an AllergyIntolerance.</summary>
public abstract class AllergyChangePage(FhirRestService fhir, AccessGate gate, TimeProvider time) : RecordChangePage<AllergyIntolerance, AllergyChangeForm>(fhir, gate, time)
{
    public override string Noun => "allergy";

    protected override string ListPath => "allergies";

    protected override string? PatientOf(AllergyIntolerance record) => record.Patient?.Reference;

    protected override bool IsEnteredInError(AllergyIntolerance record) => AllergyChangeForm.IsEnteredInError(record);

    protected override string WhatOf(AllergyIntolerance record) => PatientDisplay.Text(record.Code);

    protected override RecordVersion Describe(AllergyIntolerance record) => AllergyDescription.Version(record);

    protected override AllergyChangeForm FormFrom(AllergyIntolerance record, string patientId) => AllergyChangeForm.From(record, patientId);
}

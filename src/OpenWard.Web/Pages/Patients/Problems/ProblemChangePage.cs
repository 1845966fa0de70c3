using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients.Problems;

/// <summary>What changing a problem and marking it entered in error share (<see cref="RecordChangePage{TResource, TForm}"/>), for a Condition.</summary>
public abstract class ProblemChangePage(FhirRestService fhir, AccessGate gate, TimeProvider time) : RecordChangePage<Condition, ProblemChangeForm>(fhir, gate, time)
{
    public override string Noun => "problem";

    protected override string ListPath => "problems";

    protected override string? PatientOf(Condition record) => record.Subject?.Reference;

    protected override bool IsEnteredInError(Condition record) => ProblemChangeForm.IsEnteredInError(record);

    protected override string WhatOf(Condition record) => PatientDisplay.Text(record.Code);

    protected override RecordVersion Describe(Condition record) => ProblemChangeForm.Describe(record, Zone);

    protected override ProblemChangeForm FormFrom(Condition record, string patientId) => ProblemChangeForm.From(record, patientId);
}

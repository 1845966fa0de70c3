using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>Discharge: the encounter finished with period.end, locations completed, UK Core discharge method and destination.</summary>
public sealed class DischargeModel(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time)
    : EncounterChangePage(fhir, gate, relationships, time)
{
    [BindProperty] public string? Method { get; set; }
    [BindProperty] public string? Destination { get; set; }

    protected override string What => "discharge";

    protected override void Validate(List<(string Field, string Message)> errors)
    {
        if (Admissions.DischargeMethods.All(m => m.Code != Method))
        {
            errors.Add((nameof(Method), "Select how the patient was discharged"));
        }

        if (Admissions.DischargeDestinations.All(d => d.Code != Destination))
        {
            errors.Add((nameof(Destination), "Select where the patient is going"));
        }
    }

    protected override (Encounter Changed, string Notice) Change(Encounter current, DateTimeOffset when) =>
        (Admissions.Discharge(current, Method, Destination, when), "Discharged.");
}

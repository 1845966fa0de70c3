using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using OpenWard.Clinical.Encounters;
using OpenWard.Fhir.Rest;
using OpenWard.Web.Security;

namespace OpenWard.Web.Pages.Patients.Encounters;

/// <summary>Transfer to another ward and bed (or ward, no bed yet): the old locations completed, the new ones active (If-Match on the opened version).</summary>
public sealed class TransferModel(FhirRestService fhir, AccessGate gate, CareRelationships relationships, TimeProvider time)
    : EncounterChangePage(fhir, gate, relationships, time)
{
    [BindProperty] public string? Bed { get; set; }

    protected override string What => "transfer";

    protected override void Validate(List<(string Field, string Message)> errors)
    {
        if (string.IsNullOrEmpty(Bed))
        {
            errors.Add((nameof(Bed), "Select the ward and bed the patient is moving to"));
        }
        else if (BedBoard.Choose(Board, Bed) is null)
        {
            errors.Add((nameof(Bed), "This bed has just been taken or is not a bed: select another free bed"));
        }
    }

    protected override (Encounter Changed, string Notice) Change(Encounter current, DateTimeOffset when)
    {
        var place = BedBoard.Choose(Board, Bed)!;
        return (Admissions.Transfer(current, place.Ward.Id!, place.Bed?.Id, when), $"Transferred to {place.Ward.Name}, {place.Name}.");
    }
}

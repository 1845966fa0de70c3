using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;

namespace OpenWard.Clinical.Encounters;

/// <summary>What an admission needs: who, where, under whom, how and when; and the expected admission it fulfils, if any.</summary>
/// <param name="Expected">The patient's expected admission (a planned encounter), admitted into rather than left behind.</param>
/// <param name="ExpectedVersion">The version of <paramref name="Expected"/> the user saw: a plan changed since is not admitted into.</param>
public sealed record AdmissionRequest(
    string PatientId,
    string WardId,
    string? BedId,
    string ConsultantId,
    string? AdmissionMethod,
    string? AdmissionSource,
    DateTimeOffset When,
    Encounter? Expected = null,
    string? ExpectedVersion = null);

public enum AdmissionOutcome
{
    Admitted,

    /// <summary>The expected admission was changed, admitted or cancelled after the user saw it: nothing was written.</summary>
    ExpectedChangedMeanwhile,
}

/// <summary>
/// Admits a patient: a UK Core inpatient Encounter, in progress at the ward and bed, written with the
/// caller's access through the write path, where the write rules hold (one current stay, one
/// patient per bed; <see cref="OneCurrentInpatientStay"/>, <see cref="OnePatientPerBed"/>). The page, the
/// command line and a feed admit through this one use case.
/// </summary>
public static class AdmitPatient
{
    public static async Task<AdmissionOutcome> RunAsync(FhirRestService fhir, IFhirAccess access, AdmissionRequest request, CancellationToken cancellationToken)
    {
        var encounter = Admissions.Admit(request.PatientId, request.WardId, request.BedId, request.ConsultantId, request.AdmissionMethod, request.AdmissionSource, request.When, request.Expected);
        if (request.Expected is null)
        {
            await fhir.CreateAsync(access, "Encounter", encounter, null, cancellationToken);
            return AdmissionOutcome.Admitted;
        }

        try
        {
            await fhir.UpdateAsync(access, "Encounter", request.Expected.Id!, encounter, $"W/\"{request.ExpectedVersion}\"", cancellationToken);
            return AdmissionOutcome.Admitted;
        }
        catch (FhirException e) when (e.Status == 412)
        {
            return AdmissionOutcome.ExpectedChangedMeanwhile;
        }
    }
}

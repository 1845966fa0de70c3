using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Serialization;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Storage;

namespace OpenWard.Web.Security.Smart;

/// <summary>A patient chosen for a standalone launch, as the consent page shows them.</summary>
public sealed record LaunchPatient(string Id, string Name, string? NhsNumber);

/// <summary>
/// The patient picker of a standalone launch (SMART <c>launch/patient</c>): finds the patient by
/// Patient id or NHS number and lets the user choose only a patient whose clinical record they may
/// read now under the access policy: finding someone in the patient index is not enough. Every
/// lookup is audited like any other read.
/// </summary>
public sealed partial class LaunchPatients(IResourceStore store, SearchQueryParser parser, AccessFactory access, CareRelationships relationships)
{
    /// <summary>The patient, or a message for the user saying why they cannot choose them.</summary>
    public async Task<(LaunchPatient? Patient, string? Problem)> ChooseAsync(HttpContext context, string? idOrNhsNumber)
    {
        var text = (idOrNhsNumber ?? "").Trim();
        if (text.Length == 0)
        {
            return (null, "Enter a patient's NHS number or record id.");
        }

        var gate = await access.ForPageAsync(context, new RequestDescription("read", 'R', AccessFactory.Address(context)));
        if (gate is null)
        {
            return (null, "You are no longer signed in.");
        }

        var patient = await FindAsync(text, context.RequestAborted);
        if (patient is null)
        {
            await gate.RecordFailureAsync(404, "No patient with that NHS number or id.", context.RequestAborted);
            return (null, "No patient has that NHS number or record id.");
        }

        try
        {
            await gate.DemandAsync(FhirAction.Read, patient, context.RequestAborted);
        }
        catch (FhirException refused)
        {
            var reason = refused.Outcome.Issue.FirstOrDefault()?.Diagnostics ?? "Not allowed.";
            await gate.RecordFailureAsync(refused.Status, reason, context.RequestAborted);
            return (null, $"You may not open this patient's record in an app: {reason}");
        }

        // The app is launched to open the record, so the test is the clinical record's, not the index's.
        var principal = gate.Principal;
        var relationship = await relationships.ForAsync(principal, patient.Id, context.RequestAborted);
        var sensitivity = SensitivityLabels.FromSecurityLabels(SecurityLabels.Read(patient.Json));
        var clinical = AccessPolicy.DecideFor(principal, relationship, sensitivity, DataCategory.Clinical, FhirAction.Read);
        await gate.RecordSuccessAsync(context.RequestAborted);
        if (clinical.Decision != AccessDecision.Allow)
        {
            return (null, $"You may not open this patient's record in an app: {clinical.Reason}");
        }

        var resource = (Patient)FhirSerialization.ParseJson(patient.Json!);
        var name = resource.Name.FirstOrDefault() is { } human ? $"{string.Join(' ', human.Given)} {human.Family}".Trim() : patient.Id;
        var nhsNumber = resource.Identifier.FirstOrDefault(i => i.System == NhsNumber.IdentifierSystem)?.Value;
        return (new LaunchPatient(patient.Id, name, nhsNumber), null);
    }

    private async Task<StoredResource?> FindAsync(string text, CancellationToken cancellationToken)
    {
        var digits = text.Replace(" ", "", StringComparison.Ordinal);
        if (TenDigits().IsMatch(digits))
        {
            var search = parser.Parse("Patient", [new("identifier", $"{NhsNumber.IdentifierSystem}|{digits}")], lenient: false);
            search.Count = 2;
            search.Total = OpenWard.Fhir.Search.TotalMode.None;
            var matches = (await store.SearchAsync(search, cancellationToken)).Matches;
            return matches.Count == 1 ? matches[0] : null;
        }

        var found = await store.ReadAsync("Patient", text, cancellationToken);
        return found is { IsDeleted: false } ? found : null;
    }

    [GeneratedRegex("^[0-9]{10}$")]
    private static partial Regex TenDigits();
}

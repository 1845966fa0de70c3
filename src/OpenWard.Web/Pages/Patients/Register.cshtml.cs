using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenWard.Clinical.Registration;
using OpenWard.Fhir;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Rules;
using OpenWard.Security;
using OpenWard.Web.Security;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Pages.Patients;

/// <summary>
/// Register a patient: the <see cref="RegistrationForm"/> checked, then <see cref="DuplicateCheck"/>
/// over the Patients the user can find, then a UK Core Patient created through
/// <see cref="FhirRestService"/> with the user's access (policy, validation and audit apply) and a
/// hospital number from <see cref="HospitalNumbers"/>. The same NHS number is refused; a possibly same
/// person needs a reason, which is kept in the page's audit event.
/// </summary>
public sealed class RegisterModel(FhirRestService fhir, TimeProvider time) : PageModel
{
    public const int MaximumReasonLength = 500;

    /// <summary>The model-state key of an error about saving as a whole; the summary links to its message.</summary>
    public const string SavingKey = "Saving";

    /// <summary>Why the user may not register patients; null when they may.</summary>
    public string? RefusedBecause { get; private set; }

    [BindProperty]
    public RegistrationForm Input { get; set; } = new();

    /// <summary>The ids of the possible duplicates the user was shown, comma-separated (a hidden field).</summary>
    [BindProperty]
    public string? SeenDuplicates { get; set; }

    /// <summary>Why the user registers a new patient although similar ones exist.</summary>
    [BindProperty]
    public string? DuplicateReason { get; set; }

    /// <summary>The GP practices OpenWard knows, by name, for the GP practice question.</summary>
    public IReadOnlyList<GpPractice> Practices { get; private set; } = [];

    /// <summary>The existing Patient with the NHS number typed, when there is one.</summary>
    public Patient? SameNhsNumber { get; private set; }

    /// <summary>Existing Patients who may be the same person (close name, same date of birth and postcode).</summary>
    public IReadOnlyList<Patient> Similar { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await RunAsync("read", 'R', async access =>
        {
            Practices = await PatientReads.GpPracticesAsync(fhir, access, cancellationToken);
            return Page();
        });

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // Whatever the model binder made of the form is replaced by the form's own checks.
        ModelState.Clear();
        return await RunAsync("create", 'C', async access =>
        {
            var today = DateOnly.FromDateTime(time.GetLocalNow().DateTime);
            Practices = await PatientReads.GpPracticesAsync(fhir, access, cancellationToken);
            foreach (var (field, message) in Input.Validate(today, Practices))
            {
                ModelState.AddModelError($"{nameof(Input)}.{field}", message);
            }

            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var details = Input.ToDuplicateDetails();
            var candidates = new List<Patient>();
            foreach (var search in DuplicateCheck.Searches(details))
            {
                candidates.AddRange((await PatientReads.SearchAsync(fhir, access, "Patient", [.. search, new("_count", "500")], cancellationToken)).Of<Patient>());
            }

            var matches = DuplicateCheck.Find(details, candidates);
            SameNhsNumber = matches.FirstOrDefault(m => m.Kind == DuplicateKind.SameNhsNumber)?.Patient;
            if (SameNhsNumber is not null)
            {
                ModelState.AddModelError($"{nameof(Input)}.{nameof(RegistrationForm.NhsNumber)}", $"A patient with NHS number {OpenWard.Fhir.NhsNumber.Format(details.NhsNumber!)} is already registered: open their record instead");
                return Page();
            }

            Similar = [.. matches.Select(m => m.Patient)];
            if (Similar.Count > 0)
            {
                var seen = (SeenDuplicates ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
                if (!Similar.All(p => seen.Contains(p.Id!)))
                {
                    // Shown for the first time (or a new one since): the user decides, nothing is an error yet.
                    SeenDuplicates = string.Join(',', Similar.Select(p => p.Id));
                    return Page();
                }

                if (string.IsNullOrWhiteSpace(DuplicateReason))
                {
                    ModelState.AddModelError(nameof(DuplicateReason), "Enter why this is a different person from the possible duplicates");
                    return Page();
                }

                if (DuplicateReason.Length > MaximumReasonLength)
                {
                    ModelState.AddModelError(nameof(DuplicateReason), $"The reason must be {MaximumReasonLength} characters or fewer");
                    return Page();
                }

                access.Detail = $"Registered although possibly the same person as {string.Join(", ", Similar.Select(p => $"Patient/{p.Id}"))}. Reason: {DuplicateReason.Trim()}";
            }

            for (var attempt = 0; attempt < HospitalNumbers.Tries; attempt++)
            {
                var number = HospitalNumbers.Choose(Random.Shared);
                var patient = Input.ToResource(number, Practices.FirstOrDefault(p => p.Id == Input.GpPracticeId));
                FhirResponse response;
                try
                {
                    response = await fhir.CreateAsync(access, "Patient", patient, $"identifier={PatientDisplay.HospitalNumberSystem}|{number}", cancellationToken);
                }
                catch (WriteRuleViolation e) when (e.Rule == IdentifierOnOneLiveRecord.HospitalNumber.Info)
                {
                    continue; // the number is on a record this user may not see: try another
                }
                catch (WriteRuleViolation e) when (e.Rule == IdentifierOnOneLiveRecord.NhsNumber.Info)
                {
                    // A record this user could not see in the duplicate check has the number: the write path found it.
                    ModelState.AddModelError($"{nameof(Input)}.{nameof(RegistrationForm.NhsNumber)}", $"A patient with NHS number {OpenWard.Fhir.NhsNumber.Format(details.NhsNumber!)} is already registered ({e.Message}) Ask for access to their record instead of registering again");
                    return Page();
                }

                if (response.Status == StatusCodes.Status201Created)
                {
                    TempData["Notice"] = $"Patient registered: {PatientDisplay.Name(patient)}, hospital number {number}.";
                    return Redirect($"/patients/{response.Stored!.Id}");
                }
            }

            // Status 200 each time: every number tried is someone's already.
            ModelState.AddModelError(SavingKey, "No free hospital number was found. Nothing was saved: try again, and tell the system administrator if it happens again");
            return Page();
        });
    }

    /// <summary>Does <paramref name="work"/> if the user's role may create Patients; a refusal by the policy is shown as a message.</summary>
    private async Task<IActionResult> RunAsync(string interaction, char action, Func<RequestAccess, Task<IActionResult>> work)
    {
        try
        {
            var result = await PageAccess.RunAsync(HttpContext, interaction, action, async access =>
            {
                access.Demand("Patient", FhirAction.Create);
                return await work(access);
            });
            return result ?? Challenge();
        }
        catch (FhirException e) when (e.Status == 403)
        {
            RefusedBecause = e.Message;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
    }
}

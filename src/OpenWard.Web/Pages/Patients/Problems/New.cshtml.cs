using Microsoft.AspNetCore.Mvc;
using OpenWard.Fhir.Rest;
using OpenWard.Security;
using OpenWard.Security.Policy;
using OpenWard.Web.Security;
using OpenWard.Web.Terminology;
using OpenWard.Web.Ui;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Web.Pages.Patients.Problems;

/// <summary>
/// Record a problem or diagnosis as a Condition written through <see cref="FhirRestService"/> with the
/// signed-in user's access. The problem is found with a search (a GET of this page with <c>q</c>,
/// so it works without JavaScript) and chosen from the results; the form names the patient and posts
/// their id back, and a post for another patient saves nothing.
/// </summary>
public sealed class NewModel(FhirRestService fhir, AccessGate gate, TimeProvider time, ProblemTerminology terminology) : PatientWritePage(fhir, gate, time)
{
    /// <summary>How many search results the page lists.</summary>
    public const int Shown = 20;

    [BindProperty]
    public ProblemForm Input { get; set; } = new();

    /// <summary>The search text; kept through a post so the results stay on the page.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<ProblemMatch> Matches { get; private set; } = [];

    public string TerminologySource => terminology.Source;

    public Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Input = new ProblemForm { PatientId = id, Category = "problem-list-item", ClinicalStatus = "active", VerificationStatus = "confirmed" };
        Matches = terminology.Search(Query, Shown);
        return RunAsync("read", 'R', id, _ => Task.FromResult<IActionResult>(Page()), cancellationToken);
    }

    public Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // Whatever the model binder made of the form is replaced by the form's own checks.
        ModelState.Clear();
        Matches = terminology.Search(Query, Shown);
        return RunAsync("create", 'C', id, async access =>
        {
            if (IsForAnotherPatient(Input.PatientId, id, "record the problem again"))
            {
                Input = new ProblemForm { PatientId = id };
                return Page();
            }

            AddErrors(Input.Validate(terminology, Today));
            if (ModelState.ErrorCount > 0)
            {
                return Page();
            }

            var condition = Input.ToResource(terminology, id, access.Principal.PractitionerId, Clock.GetUtcNow());
            await Fhir.CreateAsync(access, "Condition", condition, null, cancellationToken);
            TempData["Notice"] = $"Problem recorded: {PatientDisplay.Text(condition.Code)}.";
            return Redirect($"/patients/{Uri.EscapeDataString(id)}/problems");
        }, cancellationToken);
    }

    private Task<IActionResult> RunAsync(string interaction, char action, string id, Func<RequestAccess, Task<IActionResult>> work, CancellationToken cancellationToken) =>
        RunForPatientAsync(interaction, action, id, DataCategory.Clinical, FhirAction.Create, work, cancellationToken);
}

using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Rest;

public sealed partial class FhirRestService
{
    /// <summary>
    /// $validate: https://hl7.org/fhir/R4/resource-operation-validate.html. Validates against
    /// <paramref name="profile"/> if given, else against the base definition and the profiles the resource
    /// claims. Answers 200 with the OperationOutcome; the issues say whether it is valid.
    /// </summary>
    public FhirResponse Validate(string resourceType, Resource body, string? profile)
    {
        RequireSupportedType(resourceType);
        var resource = body is Parameters parameters
            ? parameters.Parameter.FirstOrDefault(p => p.Name == "resource")?.Resource
              ?? throw FhirException.BadRequest("VALIDATE_NO_RESOURCE", "The Parameters body has no 'resource' parameter.")
            : body;
        if (body is Parameters p2 && profile is null)
        {
            profile = (p2.Parameter.FirstOrDefault(p => p.Name == "profile")?.Value as FhirUri)?.Value
                ?? (p2.Parameter.FirstOrDefault(p => p.Name == "profile")?.Value as Canonical)?.Value;
        }

        RequireBodyType(resource, resourceType);
        OperationOutcome outcome;
        if (profile is not null)
        {
            if (!validator.IsKnownProfile(profile))
            {
                throw FhirException.BadRequest("PROFILE_UNKNOWN", $"The profile {profile} is not loaded on this server.", "profile");
            }

            outcome = validator.Validate(resource, profile);
        }
        else
        {
            outcome = validator.ValidateClaimedProfiles(resource); // includes the base R4 definition
        }

        if (outcome.Issue.Count == 0)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = profile is null ? "The resource is valid." : $"The resource is valid against {profile}.",
            });
        }

        return new FhirResponse(200) { Resource = outcome };
    }
}

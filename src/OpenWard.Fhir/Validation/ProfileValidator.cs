using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace OpenWard.Fhir.Validation;

/// <summary>
/// Validates resources against the core R4 definitions and the UK Core 2.0.0 profiles shipped in
/// <c>profiles/ukcore-r4-2.0.0</c>, with the Firely validator. One instance serves the process:
/// building it indexes the specification (seconds), after which a validation takes milliseconds.
/// </summary>
/// <remarks>
/// There is no terminology server. Codes from value sets that can be expanded locally (FHIR's own,
/// UK Core's enumerated ones) are checked; a binding to a value set that cannot be expanded here
/// (SNOMED CT, dm+d, LOINC filters) yields a warning, never an error, so a valid record is not
/// refused for want of a terminology server.
/// </remarks>
public sealed class ProfileValidator
{
    private readonly Lazy<(Validator Validator, IAsyncResourceResolver Resolver)> _engine;

    public ProfileValidator(string profilesDirectory)
    {
        _engine = new Lazy<(Validator, IAsyncResourceResolver)>(() => Build(profilesDirectory), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static string DefaultProfilesDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "profiles", "ukcore-r4-2.0.0");

    public System.Threading.Tasks.Task WarmUpAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.Run(
        () =>
        {
            var patient = new Patient { Id = "warm-up", Gender = AdministrativeGender.Unknown };
            Validate(patient, "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient");
        },
        cancellationToken);

    public bool IsKnownProfile(string canonicalUrl)
    {
        var resolver = _engine.Value.Resolver;
        return resolver.FindStructureDefinitionAsync(canonicalUrl).GetAwaiter().GetResult() is not null;
    }

    public OperationOutcome Validate(Resource resource, string profileUrl)
    {
        var outcome = _engine.Value.Validator.Validate(resource, profileUrl);
        outcome.Issue.RemoveAll(i => i.Severity == OperationOutcome.IssueSeverity.Information);
        return outcome;
    }

    /// <summary>Validates against each profile in <c>meta.profile</c>; an unknown profile is one warning.</summary>
    public OperationOutcome ValidateClaimedProfiles(Resource resource)
    {
        var outcome = new OperationOutcome();
        foreach (var profile in (resource.Meta?.Profile ?? []).OfType<string>())
        {
            if (!IsKnownProfile(profile))
            {
                outcome.Issue.Add(new OperationOutcome.IssueComponent
                {
                    Severity = OperationOutcome.IssueSeverity.Warning,
                    Code = OperationOutcome.IssueType.NotSupported,
                    Diagnostics = $"The claimed profile {profile} is not loaded on this server, so the resource was not checked against it.",
                    Expression = ["meta.profile"],
                });
                continue;
            }

            outcome.Issue.AddRange(Validate(resource, profile).Issue);
        }

        return outcome;
    }

    /// <summary>Valid when no issue is an error or fatal.</summary>
    public static bool IsValid(OperationOutcome outcome) =>
        !outcome.Issue.Any(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);

    private static (Validator, IAsyncResourceResolver) Build(string profilesDirectory)
    {
        var sources = new List<IResourceResolver> { ZipSource.CreateValidationSource() };
        if (Directory.Exists(profilesDirectory))
        {
            sources.Add(new DirectorySource(profilesDirectory, new DirectorySourceSettings { IncludeSubDirectories = true }));
        }

        // UK Core ships differentials only: SnapshotSource generates each snapshot on first use.
        var resolver = new CachedResolver(new SnapshotSource(new MultiResolver(sources)));
        var terminology = new LocalTerminologyService(resolver);
        var settings = new ValidationSettings
        {
            // A value set we cannot expand here (SNOMED CT, dm+d...) is not a reason to refuse a record.
            HandleValidateCodeServiceFailure = (_, _) => TerminologyServiceExceptionResult.Warning,
        };
        return (new Validator(resolver, terminology, null, settings), resolver);
    }
}

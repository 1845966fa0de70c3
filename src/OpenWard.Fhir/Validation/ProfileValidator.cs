using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Fhir.Validation;

/// <summary>
/// Validates resources against the FHIR R4 core definitions and the UK Core 2.0.0 profiles
/// (https://hl7.org/fhir/R4/validation.html#profile) with the Firely validator. Make one per process:
/// it is thread-safe, it builds its resolver on first use, and the first validation against each
/// profile compiles it (seconds); after that a validation costs about a millisecond (a few for a
/// resource with many UK Core extensions).
/// </summary>
/// <remarks>
/// Terminology. There is no terminology server: a <see cref="LocalTerminologyService"/> expands value
/// sets from the packaged R4 and UK Core resources. What happens to a coded element (as observed with
/// Firely.Fhir.Validation 3.6):
/// <list type="bullet">
/// <item>Required binding, value set that lists its codes or includes a packaged code system (R4 and
/// UK Core code systems): checked exactly; a code outside it is an error.</item>
/// <item>Required binding, value set drawn from an external code system (SNOMED CT, dm+d, LOINC, UCUM,
/// BCP-47 languages, BCP-13 MIME types) or not packaged at all: it cannot be expanded, the service
/// throws, and <see cref="ValidationSettings.HandleValidateCodeServiceFailure"/> turns that into one
/// warning on the element ("Terminology service failed while validating ...: ... cannot find
/// codesystem ..."). The code is not checked, the outcome says so, and the resource stays valid.</item>
/// <item>Extensible, preferred and example bindings - which is how UK Core binds its SNOMED CT, dm+d
/// and LOINC value sets - are not checked by the validator at all and give no issue.</item>
/// </list>
/// Profiles the resource claims in <c>meta.profile</c> are checked whenever they are known (UK Core or
/// core R4); an unknown claim gives one warning and is otherwise ignored, as FHIR allows a receiver to
/// do (https://hl7.org/fhir/R4/resource.html#profile-tags).
/// </remarks>
public sealed class ProfileValidator
{
    private const string CoreStructureDefinitionBase = "http://hl7.org/fhir/StructureDefinition/";
    private const string UkCorePatientProfile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient";

    private readonly Lazy<Engine> _engine;

    /// <param name="profilesDirectory">A folder holding UK Core's <c>structuredefinitions</c>,
    /// <c>valuesets</c> and <c>codesystems</c> folders (other folders are ignored).</param>
    public ProfileValidator(string profilesDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(profilesDirectory);
        if (!Directory.Exists(profilesDirectory))
        {
            throw new DirectoryNotFoundException($"The UK Core profiles folder '{profilesDirectory}' does not exist.");
        }

        _engine = new Lazy<Engine>(() => Engine.Create(profilesDirectory), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Where the build puts the UK Core assets: <c>profiles/ukcore-r4-2.0.0</c> beside the assembly.</summary>
    public static string DefaultProfilesDirectory { get; } =
        Path.Combine(AppContext.BaseDirectory, "profiles", "ukcore-r4-2.0.0");

    /// <summary>
    /// Builds the resolver and validates one small Patient claiming UK Core Patient, on a pool thread,
    /// so that the first request does not pay for indexing the specification (seconds). Other
    /// profiles still compile on their first use.
    /// </summary>
    public Task WarmUpAsync(CancellationToken ct) =>
        Task.Run(
            () =>
            {
                var engine = _engine.Value;
                ct.ThrowIfCancellationRequested();
                var patient = new Patient { Meta = new Meta { Profile = [UkCorePatientProfile] } };
                engine.Validator.Validate(patient, CoreStructureDefinitionBase + patient.TypeName);
            },
            ct);

    /// <summary>True for a UK Core or core R4 StructureDefinition of a resource (not a data type or extension).</summary>
    public bool IsKnownProfile(string canonicalUrl) =>
        !string.IsNullOrEmpty(canonicalUrl) && _engine.Value.IsKnownProfile(canonicalUrl);

    /// <summary>
    /// Validates <paramref name="resource"/> against <paramref name="profileUrl"/>. Profiles the resource
    /// (or a resource inside it) claims are checked too, as by <see cref="ValidateClaimedProfiles"/>.
    /// An unknown <paramref name="profileUrl"/> is an error: the caller asked for a check we cannot make.
    /// </summary>
    public OperationOutcome Validate(Resource resource, string profileUrl)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(profileUrl);

        if (!IsKnownProfile(profileUrl))
        {
            return new OperationOutcome
            {
                Issue =
                [
                    Issue(
                        OperationOutcome.IssueSeverity.Error,
                        $"Profile '{profileUrl}' is not known to this server, so the resource cannot be validated against it.",
                        expression: null),
                ],
            };
        }

        return Run(resource, profileUrl);
    }

    /// <summary>
    /// Validates <paramref name="resource"/> against its base R4 definition and every profile it claims
    /// in <c>meta.profile</c> that is known; each unknown claim gives one warning, not an error. A
    /// resource that claims nothing is checked against R4 alone.
    /// </summary>
    /// <remarks>
    /// A claimed profile that the validator cannot compile (UK Core's blood-pressure profile, see
    /// UkCoreExampleTests) is reported as a warning, not an error: refusing a blood-pressure reading
    /// because of a validator limitation would lose clinical data; the warning says it was not checked.
    /// </remarks>
    public OperationOutcome ValidateClaimedProfiles(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var outcome = Run(resource, CoreStructureDefinitionBase + resource.TypeName);
        var claims = ClaimedProfiles(resource, resource.TypeName).SelectMany(c => c.Claims).ToHashSet(StringComparer.Ordinal);
        foreach (var issue in outcome.Issue)
        {
            var text = issue.Details?.Text ?? issue.Diagnostics ?? "";
            if (issue.Severity == OperationOutcome.IssueSeverity.Error
                && text.StartsWith(UnresolvableProfile, StringComparison.Ordinal)
                && claims.Any(c => text.Contains($"'{c}'", StringComparison.Ordinal)))
            {
                issue.Severity = OperationOutcome.IssueSeverity.Warning;
                issue.Details = new CodeableConcept { Text = "This server cannot compile the claimed profile, so the resource was not checked against it: " + text };
            }
        }

        return outcome;
    }

    // The Firely validator's text when a profile cannot be loaded or compiled.
    private const string UnresolvableProfile = "Unable to resolve reference to profile";

    /// <summary>An outcome is valid when none of its issues is an error or fatal.</summary>
    public static bool IsValid(OperationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return !outcome.Issue.Any(issue => issue.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal);
    }

    private OperationOutcome Run(Resource resource, string profileUrl)
    {
        var engine = _engine.Value;
        var outcome = engine.Validator.Validate(resource, profileUrl);

        // The validator was told to skip unknown claims (see Engine.Create); say so, once per claim.
        foreach (var (path, claims) in ClaimedProfiles(resource, resource.TypeName))
        {
            for (var i = 0; i < claims.Count; i++)
            {
                if (!engine.IsKnownProfile(claims[i]))
                {
                    outcome.Issue.Add(Issue(
                        OperationOutcome.IssueSeverity.Warning,
                        $"Claimed profile '{claims[i]}' is not known to this server, so the resource was not checked against it.",
                        $"{path}.meta.profile[{i}]"));
                }
            }
        }

        return outcome;
    }

    /// <summary>The resource and the resources inside it (contained, Bundle entries), each with its claims.</summary>
    private static IEnumerable<(string Path, IReadOnlyList<string> Claims)> ClaimedProfiles(Resource resource, string path)
    {
        yield return (path, resource.Meta?.Profile.OfType<string>().ToList() ?? []);

        if (resource is DomainResource domainResource)
        {
            for (var i = 0; i < domainResource.Contained.Count; i++)
            {
                foreach (var inner in ClaimedProfiles(domainResource.Contained[i], $"{path}.contained[{i}]"))
                {
                    yield return inner;
                }
            }
        }

        if (resource is Bundle bundle)
        {
            for (var i = 0; i < bundle.Entry.Count; i++)
            {
                if (bundle.Entry[i].Resource is { } entryResource)
                {
                    foreach (var inner in ClaimedProfiles(entryResource, $"{path}.entry[{i}].resource"))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    private static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueSeverity severity, string text, string? expression) =>
        new()
        {
            Severity = severity,
            Code = OperationOutcome.IssueType.NotSupported,
            Details = new CodeableConcept { Text = text },
            Expression = expression is null ? [] : [expression],
        };

    /// <summary>The resolver chain and validator, built once on first use.</summary>
    private sealed class Engine(CachedResolver definitions, Validator validator)
    {
        public Validator Validator { get; } = validator;

        public bool IsKnownProfile(string canonicalUrl) => IsResourceProfile(definitions, canonicalUrl);

        public static Engine Create(string profilesDirectory)
        {
            // Specification and profiles never change while the process runs: cache for its lifetime.
            const int forever = int.MaxValue;

            var core = ZipSource.CreateValidationSource();
            var ukCore = new DirectorySource(
                profilesDirectory,
                new DirectorySourceSettings
                {
                    IncludeSubDirectories = true,
                    Includes = ["structuredefinitions/*", "valuesets/*", "codesystems/*"],
                });

            // UK Core ships differentials only; snapshots are generated on first use and cached. The
            // generator writes into the cached definitions, so it must see the same instances each time
            // (else every profile regenerates its whole base chain: ~10 s per vital-signs profile).
            var definitions = new CachedResolver(new Ref1CorrectingSource(new MultiResolver(ukCore, core)), forever);
            var withSnapshots = new CachedResolver(new OneAtATimeResolver(new SnapshotSource(definitions)), forever);

            var settings = new ValidationSettings
            {
                // Unknown claims are dropped here and reported by Run as one warning each.
                SelectValidationProfiles = (_, claimed, _, _) =>
                    [.. claimed.Where(profile => IsResourceProfile(definitions, profile.ToString()))],

                // See the class remarks: a value set we cannot expand gives a warning, never an error.
                HandleValidateCodeServiceFailure = (_, _) => TerminologyServiceExceptionResult.Warning,
            };

            return new Engine(
                definitions,
                new Validator(withSnapshots, new LocalTerminologyService(withSnapshots), null, settings, null));
        }

        // Cached after the first look-up, so this completes synchronously from then on.
        private static bool IsResourceProfile(CachedResolver definitions, string canonicalUrl) =>
            definitions.TryResolveByCanonicalUriAsync(canonicalUrl).GetAwaiter().GetResult().Value is StructureDefinition
            {
                Kind: StructureDefinition.StructureDefinitionKind.Resource,
            };
    }
}

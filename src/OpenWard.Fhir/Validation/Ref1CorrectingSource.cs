using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;

namespace OpenWard.Fhir.Validation;

/// <summary>
/// Hands out StructureDefinitions in which every copy of invariant ref-1 has the corrected text.
/// </summary>
/// <remarks>
/// R4 (4.0.1) words ref-1 without a <c>reference.exists() implies</c> guard, and with that text the
/// Firely validator fails a reference that has no <c>reference</c> element - an identifier-only one
/// such as an ODS organisation code, which R4 allows (https://hl7.org/fhir/R4/references.html#logical).
/// Later versions add the guard (R5: https://hl7.org/fhir/R5/datatypes-definitions.html#Reference).
/// The validator patches the Reference data type itself when it compiles it, but copies of the old
/// text reach snapshots through snapshot generation, so without this correction the same resource
/// passed or failed depending on what had been validated before it (seen with the UK Core
/// PractitionerRole and CarePlan examples). With it, every copy has the corrected text from the
/// moment a definition is loaded; the check on local (<c>#id</c>) references is unchanged.
/// </remarks>
internal sealed class Ref1CorrectingSource(IAsyncResourceResolver inner) : IAsyncResourceResolver
{
    private const string Ref1 = "ref-1";

    // ref-1 as R5 defines it, and as the validator patches it into the R4 Reference data type.
    private const string CorrectedRef1 =
        "reference.exists() implies (reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids')) or (reference='#' and %rootResource!=%resource))";

    public async Task<Resource?> ResolveByUriAsync(string uri) => (await TryResolveByUriAsync(uri).ConfigureAwait(false)).Value;

    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) => (await TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false)).Value;

    public async Task<ResolverResult> TryResolveByUriAsync(string uri) =>
        Correct(await inner.TryResolveByUriAsync(uri).ConfigureAwait(false));

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) =>
        Correct(await inner.TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false));

    private static ResolverResult Correct(ResolverResult result)
    {
        if (result.Value is StructureDefinition definition)
        {
            var elements = (definition.Snapshot?.Element ?? []).Concat(definition.Differential?.Element ?? []);
            foreach (var constraint in elements.SelectMany(element => element.Constraint).Where(constraint => constraint.Key == Ref1))
            {
                constraint.Expression = CorrectedRef1;
            }
        }

        return result;
    }
}

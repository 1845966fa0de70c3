using System.Collections.Frozen;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;

namespace OpenWard.Fhir.Search.Indexing;

/// <summary>
/// Extracts a resource's search index entries at write time (https://hl7.org/fhir/R4/search.html):
/// evaluates the FHIRPath expression of every search parameter of the resource's type, turns each
/// result into typed entries, and finds the Patient compartment the resource belongs to.
/// </summary>
/// <remarks>
/// Every expression is compiled once, in the constructor. The instance holds no per-call state, so
/// one instance serves all threads. Composite and special parameters (e.g. <c>Location.near</c>)
/// have no index table and are not extracted.
/// </remarks>
public sealed class SearchIndexer
{
    private static readonly FrozenDictionary<string, PocoNode> EmptyResourceByType = CreateEmptyResources();

    private readonly FrozenDictionary<string, CompiledParameter[]> _parametersByType;

    public SearchIndexer(SearchParameterRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var compiler = new FhirPathCompiler(new SymbolTable().AddStandardFP().AddFhirExtensions());
        var compiledByExpression = new Dictionary<string, CompiledExpression>(StringComparer.Ordinal);
        var parametersByType = new Dictionary<string, CompiledParameter[]>(StringComparer.Ordinal);
        foreach (var type in SearchParameterRegistry.SupportedResourceTypes)
        {
            var parameters = new List<CompiledParameter>();
            foreach (var definition in registry.ForType(type))
            {
                if (definition.Type is SearchParamType.Composite or SearchParamType.Special)
                {
                    continue;
                }

                // Resource-level expressions (Resource.id...) are the same for every type: compile them once.
                if (!compiledByExpression.TryGetValue(definition.Expression, out var expression))
                {
                    expression = compiler.Compile(definition.Expression);
                    compiledByExpression[definition.Expression] = expression;
                }

                parameters.Add(new CompiledParameter(definition.Code, definition.Type, expression));
            }

            parametersByType[type] = [.. parameters];
        }

        _parametersByType = parametersByType.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// The index entries of <paramref name="resource"/> for every search parameter of its type, and
    /// its Patient compartment. A resource of an unsupported type has no entries.
    /// </summary>
    public ResourceIndexes Extract(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var indexes = new ResourceIndexes();
        if (_parametersByType.TryGetValue(resource.TypeName, out var parameters))
        {
            var node = resource.ToPocoNode(ModelInfo.ModelInspector);
            var context = new FhirEvaluationContext
            {
                Resource = node,
                RootResource = node,
                ElementResolver = ResolveToEmptyResource,
            };
            PocoNode[] input = [node];
            var collector = new IndexCollector(indexes);
            foreach (var parameter in parameters)
            {
                collector.BeginParameter(parameter.Code, parameter.Type);
                foreach (var result in parameter.Expression(input, context))
                {
                    if (result.Poco is { } value)
                    {
                        collector.Add(parameter.Type, value);
                    }
                }
            }
        }

        indexes.PatientCompartment = PatientCompartment.Find(resource, indexes.References);
        return indexes;
    }

    /// <summary>
    /// <c>resolve()</c> for expressions such as <c>Observation.subject.where(resolve() is Patient)</c>:
    /// only the target's type matters, and the reference string names it, so an empty resource of
    /// that type stands in for the target without reading the store.
    /// </summary>
    private static PocoNode? ResolveToEmptyResource(string reference) =>
        ReferenceText.TryGetTypeAndId(reference, out var type, out _) ? EmptyResourceByType.GetValueOrDefault(type) : null;

    private static FrozenDictionary<string, PocoNode> CreateEmptyResources()
    {
        var byType = new Dictionary<string, PocoNode>(StringComparer.Ordinal);
        foreach (var type in ModelInfo.SupportedResources)
        {
            if (ModelInfo.GetTypeForFhirType(type) is { IsAbstract: false } clrType
                && Activator.CreateInstance(clrType) is Resource empty)
            {
                byType[type] = empty.ToPocoNode(ModelInfo.ModelInspector);
            }
        }

        return byType.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record CompiledParameter(string Code, SearchParamType Type, CompiledExpression Expression);
}

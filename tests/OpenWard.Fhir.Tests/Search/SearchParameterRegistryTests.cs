using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests.Search;

public class SearchParameterRegistryTests
{
    private static readonly SearchParameterRegistry Registry = SearchParameterRegistry.Default;

    [Fact]
    public void Every_supported_type_has_the_resource_level_parameters()
    {
        foreach (var type in SearchParameterRegistry.SupportedResourceTypes)
        {
            foreach (var code in new[] { "_id", "_lastUpdated", "_tag", "_profile", "_security", "_source" })
            {
                Assert.True(Registry.TryGet(type, code, out _), $"{type} lacks {code}");
            }
        }
    }

    [Fact]
    public void Shared_expressions_are_pruned_to_the_branches_of_the_type()
    {
        Assert.True(Registry.TryGet("Observation", "code", out var code));
        Assert.Equal("Observation.code", code.Expression);
        Assert.Equal(SearchParamType.Token, code.Type);

        Assert.True(Registry.TryGet("Observation", "patient", out var patient));
        Assert.DoesNotContain("Condition", patient.Expression, StringComparison.Ordinal);
        Assert.Contains("Patient", patient.Targets);
    }

    [Fact]
    public void Patient_parameters_of_every_type_are_known()
    {
        Assert.True(Registry.TryGet("Patient", "identifier", out var identifier));
        Assert.Equal(SearchParamType.Token, identifier.Type);
        Assert.True(Registry.TryGet("Patient", "name", out var name));
        Assert.Equal(SearchParamType.String, name.Type);
        Assert.True(Registry.TryGet("Patient", "birthdate", out var birthdate));
        Assert.Equal(SearchParamType.Date, birthdate.Type);
        Assert.True(Registry.TryGet("Observation", "value-quantity", out var value));
        Assert.Equal(SearchParamType.Quantity, value.Type);
        Assert.True(Registry.TryGet("RiskAssessment", "probability", out _) == false);
    }

    [Fact]
    public void Unsupported_types_have_no_parameters()
    {
        Assert.False(Registry.IsSupportedType("Basic"));
        Assert.Empty(Registry.ForType("Basic"));
    }
}

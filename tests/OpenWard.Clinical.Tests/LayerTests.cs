using System.Reflection;

namespace OpenWard.Clinical.Tests;

/// <summary>
/// The layers of docs/architecture.md, held by the compiled assemblies: the clinical domain and the
/// FHIR layers know no web framework and no database driver, directly or through anything they
/// reference, and the access policy needs nothing but the base library.
/// </summary>
public sealed class LayerTests
{
    private static readonly string[] WebOrDatabase = ["Microsoft.AspNetCore", "Npgsql", "Microsoft.Data.Sqlite", "SQLitePCLRaw"];

    public static TheoryData<string> DomainAssemblies() => ["OpenWard.Clinical", "OpenWard.Fhir", "OpenWard.Fhir.Rest", "OpenWard.Storage.Abstractions"];

    [Theory]
    [MemberData(nameof(DomainAssemblies))]
    public void A_domain_assembly_references_neither_ASP_NET_Core_nor_a_database_driver(string assembly)
    {
        var forbidden = ReferencedClosure(assembly)
            .Where(name => WebOrDatabase.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();

        Assert.True(forbidden.Count == 0, $"{assembly} reaches {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void The_security_policy_references_only_the_base_library()
    {
        var references = Assembly.Load("OpenWard.Security").GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.All(references, name => Assert.True(name is "System.Runtime" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal), $"OpenWard.Security references {name}"));
    }

    [Fact]
    public void The_check_would_see_a_driver_two_references_away()
    {
        // OpenWard.Storage reaches Npgsql: the walk must find it, or the tests above prove nothing.
        Assert.Contains("Npgsql", ReferencedClosure("OpenWard.Storage"));
    }

    /// <summary>Every assembly name reachable from <paramref name="root"/>, following OpenWard's own assemblies and the packages they load.</summary>
    private static HashSet<string> ReferencedClosure(string root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<AssemblyName>([new AssemblyName(root)]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next.Name!) || next.Name!.StartsWith("System", StringComparison.Ordinal) || next.Name is "netstandard" or "mscorlib")
            {
                continue;
            }

            Assembly loaded;
            try
            {
                loaded = Assembly.Load(next);
            }
            catch (FileNotFoundException)
            {
                continue; // an optional dependency of a package that nothing here loads
            }

            foreach (var reference in loaded.GetReferencedAssemblies())
            {
                pending.Push(reference);
            }
        }

        return seen;
    }
}

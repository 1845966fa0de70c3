using System.Xml;
using OpenWard.Fhir.Search;

namespace OpenWard.Fhir.Tests;

/// <summary>
/// The UK Core 2.0.0 examples kept in the repository (profiles/ukcore-r4-2.0.0/examples,
/// Apache-2.0; not shipped with the binaries): found by walking up from the test's bin folder.
/// </summary>
public static class UkCoreExamples
{
    public static string Directory { get; } = Find();

    /// <summary>File names of the examples whose resource type this server stores, in order.</summary>
    public static IEnumerable<string> OfSupportedTypes() =>
        System.IO.Directory.GetFiles(Directory, "*.xml")
            .Where(path => SearchParameterRegistry.Default.IsSupportedType(RootElementName(path)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    private static string RootElementName(string path)
    {
        using var reader = XmlReader.Create(path);
        reader.MoveToContent();
        return reader.LocalName;
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "profiles", "ukcore-r4-2.0.0", "examples");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("profiles/ukcore-r4-2.0.0/examples not found above " + AppContext.BaseDirectory);
    }
}

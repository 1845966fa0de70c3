namespace OpenWard.Fhir.Tests;

/// <summary>
/// The UK Core 2.0.0 examples kept in the repository (profiles/ukcore-r4-2.0.0/examples,
/// Apache-2.0; not shipped with the binaries): found by walking up from the test's bin folder.
/// </summary>
public static class UkCoreExamples
{
    public static string Directory { get; } = Find();

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

using System.CommandLine;
using System.Diagnostics;
using OpenWard.Fhir.Rest.Audit;
using OpenWard.Web.Hosting;
using OpenWard.Web.Terminology;

namespace OpenWard.Web.Cli;

/// <summary>
/// <c>openward terminology import</c>: loads the problems and diagnoses of a SNOMED CT release (RF2,
/// for example the UK Clinical Edition from NHS England TRUD) into the data folder, where the problem
/// pages search them from the next start instead of the repository's subset.
/// </summary>
internal static class TerminologyCommand
{
    public static Command Create(Func<ServiceProvider> buildServices, Func<IServiceProvider, string, char, string, CancellationToken, System.Threading.Tasks.Task> audit)
    {
        var release = new Argument<DirectoryInfo>("release") { Description = "The folder a SNOMED CT RF2 release was unzipped into (its Snapshot files are found under it)." };
        var import = new Command("import", "Load the clinical findings and disorders of a SNOMED CT RF2 release for problem search (restart OpenWard to use them).") { release };
        import.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = buildServices();
            var options = services.GetRequiredService<OpenWardOptions>();
            var folder = parse.GetValue(release)!;
            var stopwatch = Stopwatch.StartNew();
            Rf2ImportResult result;
            try
            {
                result = await Rf2ProblemImport.ReadAsync(folder, cancellationToken);
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"Nothing was imported: {e.Message}");
                return 2;
            }

            var comment = $"{result.Concepts.Count} SNOMED CT clinical findings and disorders from {folder.FullName}, imported {DateTimeOffset.UtcNow:yyyy-MM-dd}.";
            await Rf2ProblemImport.WriteAsync(result, options.DataDirectory, comment, cancellationToken);
            await audit(services, AuditInteraction.Batch, AuditAction.Create, $"Imported SNOMED CT problems: {comment}", cancellationToken);
            Console.WriteLine($"Imported {result.Concepts.Count} problems and diagnoses (of {result.ActiveConcepts} active concepts, {result.FilesRead} files) in {stopwatch.Elapsed.TotalSeconds:F1} s into {Path.Combine(options.DataDirectory, ProblemTerminology.ImportedFile)}. Restart OpenWard to search them.");
            return 0;
        });
        return new Command("terminology", "SNOMED CT for problem and diagnosis search.") { import };
    }
}

using System.CommandLine;
using OpenWard.Clinical.Medicines;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Cli;

/// <summary>
/// <c>openward formulary</c>: <c>import</c> checks a trust's formulary file in full and installs it in
/// the data folder, where every start of this instance reads it; <c>show</c> says which formulary is
/// in use, its version and who approved it. A running server reads the formulary at start-up.
/// </summary>
internal static class FormularyCommand
{
    public static Command Create(Func<OpenWardOptions> readOptions)
    {
        var file = new Argument<FileInfo>("file") { Description = "The formulary JSON file (docs/implementation/formulary.md)." };
        var import = new Command("import", "Check a formulary file and install it as this instance's formulary (restart the server to use it).") { file };
        import.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetValue(file)!;
            Formulary formulary;
            try
            {
                formulary = Formulary.Load(source.FullName);
            }
            catch (InvalidFormularyException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }

            var options = readOptions();
            if (options.Formulary.Path is { Length: > 0 } configured)
            {
                await Console.Error.WriteLineAsync($"OpenWard:Formulary:Path is set ({configured}), and it takes precedence over an installed file: change that setting instead.");
                return 2;
            }

            Directory.CreateDirectory(options.DataDirectory);
            File.Copy(source.FullName, options.InstalledFormularyPath, overwrite: true);
            Console.WriteLine($"Installed {Describe(formulary)} at {options.InstalledFormularyPath}. Restart OpenWard to use it.");
            return 0;
        });

        var show = new Command("show", "Say which formulary this instance uses, its version and approval.");
        show.SetAction(async (parse, cancellationToken) =>
        {
            var options = readOptions();
            try
            {
                Console.WriteLine($"{Describe(Formulary.Load(options.FormularyPath))}, from {options.FormularyPath}");
                return 0;
            }
            catch (InvalidFormularyException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });

        return new Command("formulary", "The formulary the medication checks use.") { import, show };
    }

    private static string Describe(Formulary formulary)
    {
        var approval = formulary.Knowledge.Approval;
        return $"'{formulary.Title}' version {formulary.Version}: {formulary.Medicines.Count} medicines, "
            + (approval.IsApproved ? $"approved by {approval.ApprovedBy} on {approval.ApprovedOn}" : "ILLUSTRATIVE (not approved by a pharmacist)");
    }
}

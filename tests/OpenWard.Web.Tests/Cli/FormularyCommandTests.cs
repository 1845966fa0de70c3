using OpenWard.Clinical.Medicines;

namespace OpenWard.Web.Tests.Cli;

/// <summary><c>openward formulary import</c> and <c>show</c>, run as the real command: a bad file is refused with every problem, a good one installed and used.</summary>
public sealed class FormularyCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-formulary-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_trusts_formulary_is_checked_installed_and_then_in_use()
    {
        var shown = await OpenWardProcess.RunAsync(_folder, "", "formulary", "show");
        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains("ILLUSTRATIVE", shown.Output, StringComparison.Ordinal);

        var file = Path.Combine(_folder, "trust.json");
        await File.WriteAllTextAsync(file, """
            { "format": "openward-formulary", "formatVersion": 2, "version": "trust-7", "title": "Trust formulary",
              "approval": { "status": "approved", "approvedBy": "Chief Pharmacist", "approvedOn": "2026-12-01" },
              "medicines": [ { "id": "paracetamol", "name": "Paracetamol", "ingredients": [{ "name": "paracetamol" }], "doseUnit": "mg" } ] }
            """);
        var installed = await OpenWardProcess.RunAsync(_folder, "", "formulary", "import", file);
        Assert.True(installed.ExitCode == 0, installed.Error);
        Assert.True(File.Exists(Path.Combine(_folder, Formulary.StarterFileName)));

        shown = await OpenWardProcess.RunAsync(_folder, "", "formulary", "show");
        Assert.Contains("version trust-7", shown.Output, StringComparison.Ordinal);
        Assert.Contains("approved by Chief Pharmacist on 2026-12-01", shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_with_problems_is_refused_with_every_problem_and_nothing_installed()
    {
        var file = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(file, """
            { "format": "openward-formulary", "formatVersion": 2, "version": "bad",
              "medicines": [ { "id": "x", "name": "X", "ingredients": [{ "name": "x" }], "doseUnit": "mcg",
                "doseRules": [ { "id": "r", "single": { "max": 5 } } ] } ] }
            """);

        var refused = await OpenWardProcess.RunAsync(_folder, "", "formulary", "import", file);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("'mcg'", refused.Error, StringComparison.Ordinal);
        Assert.Contains("no \"source\"", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, Formulary.StarterFileName)));
    }
}

using System.Diagnostics;

namespace OpenWard.Web.Tests;

/// <summary>Runs the built <c>openward</c> command as an operator would: its own process, configured by environment.</summary>
public static class OpenWardProcess
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string dataDirectory, string input, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "openward.dll"), .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OpenWard__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"openward {string.Join(' ', args)} did not finish within 2 minutes.");
        }

        return (process.ExitCode, await output, await error);
    }
}

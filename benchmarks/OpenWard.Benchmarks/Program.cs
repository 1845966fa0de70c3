using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/OpenWard.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/OpenWard.Benchmarks -- audit-throughput [seconds]
if (args is ["audit-throughput", ..])
{
    await OpenWard.Benchmarks.AuditThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(OpenWard.Benchmarks.DemoSamples).Assembly).Run(args);

using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/OpenWard.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(OpenWard.Benchmarks.DemoSamples).Assembly).Run(args);

// dotnet run -c Release --project benchmarks/OpenWard.LoadTool -- --help
return await OpenWard.LoadTool.LoadToolCommandLine.RunAsync(args);

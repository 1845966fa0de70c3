using OpenWard.Web.Cli;

return await OpenWardCommandLine.RunAsync(args);

/// <summary>Entry point type, visible to WebApplicationFactory in tests.</summary>
public partial class Program;

using System.Text;
using OpenWard.Storage;
using OpenWard.Web.Security;

namespace OpenWard.Web.Hosting;

/// <summary>
/// The key that signs audit chain anchors (<c>OpenWard:Audit:AnchorKey</c>, base64, ≥ 32 bytes);
/// a standalone install without one keeps a generated key in its data folder. A trust should set
/// it from its key vault, so that whoever can change the database cannot also sign anchors.
/// </summary>
public sealed class AuditAnchorKey(byte[] bytes)
{
    public const string Setting = "OpenWard:Audit:AnchorKey";
    public const string FileName = "audit-anchor.key";

    public byte[] Bytes { get; } = bytes;

    /// <summary>The configured or kept key, generating one into the data folder if there is neither.</summary>
    public static AuditAnchorKey Load(OpenWardOptions options) =>
        new(ConfiguredKey.Load(options.Audit.AnchorKey, Setting, options.DataDirectory, FileName, generate: true)!);

    /// <summary>The configured or kept key, or null (for checking anchors, where a new key would be useless).</summary>
    public static AuditAnchorKey? Find(OpenWardOptions options) =>
        ConfiguredKey.Load(options.Audit.AnchorKey, Setting, options.DataDirectory, FileName, generate: false) is { } bytes ? new(bytes) : null;
}

/// <summary>
/// Anchors the audit chain outside the database, so that cutting off or rewriting its newest
/// events is found (<c>openward audit verify --anchor</c>): at start, every minute in which the
/// chain grew, and at shutdown, it appends the chain's head, signed (<see cref="AuditAnchor"/>),
/// to the anchor file, opened for appending only and flushed to disk before it is closed. Point
/// <c>OpenWard:Audit:AnchorFile</c> at storage the database's administrators cannot rewrite (an
/// append-only file, a log shipper's input, a mounted WORM share).
/// </summary>
public sealed partial class AuditAnchorWriter(IResourceStore store, AuditAnchorKey key, OpenWardOptions options, TimeProvider time, ILogger<AuditAnchorWriter> logger) : BackgroundService
{
    /// <summary>How often the head is checked and, if it moved, anchored.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private AuditChainHead? _anchored;

    public string AnchorFile { get; } = options.Audit.AnchorFilePath(options.DataDirectory);

    /// <summary>Appends the chain's head to the anchor file, unless it is the one this process anchored last.</summary>
    public async Task AnchorAsync(CancellationToken cancellationToken)
    {
        var head = await store.ReadAuditHeadAsync(cancellationToken);
        if (head == _anchored)
        {
            return;
        }

        var line = Encoding.UTF8.GetBytes(new AuditAnchor(head, time.GetUtcNow()).ToLine(key.Bytes) + "\n");
        if (Path.GetDirectoryName(Path.GetFullPath(AnchorFile)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using (var file = new FileStream(AnchorFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.WriteThrough))
        {
            await file.WriteAsync(line, cancellationToken);
            file.Flush(flushToDisk: true);
        }

        _anchored = head;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await TryAnchorAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await TryAnchorAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>A failed anchor is logged and tried again a minute later; the chain itself is still written.</summary>
    private async Task TryAnchorAsync(CancellationToken cancellationToken)
    {
        try
        {
            await AnchorAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAnchorFailed(logger, e, AnchorFile);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not anchor the audit chain in {AnchorFile}; trying again in a minute.")]
    private static partial void LogAnchorFailed(ILogger logger, Exception exception, string anchorFile);
}

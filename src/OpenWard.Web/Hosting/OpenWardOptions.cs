namespace OpenWard.Web.Hosting;

/// <summary>
/// The <c>OpenWard</c> configuration section (environment form <c>OpenWard__Storage__Provider</c>...).
/// Every key is documented in the README.
/// </summary>
public sealed class OpenWardOptions
{
    public StorageOptions Storage { get; set; } = new();
    public BootstrapOptions Bootstrap { get; set; } = new();
    public AuthOptions Auth { get; set; } = new();

    /// <summary>Seed synthetic demo patients on first start (an empty store).</summary>
    public bool DemoData { get; set; }

    /// <summary>How many demo patients to seed.</summary>
    public int DemoPatients { get; set; } = 100;

    /// <summary>Folder for the SQLite file and the generated token key.</summary>
    public string DataDirectory { get; set; } = "data";
}

public sealed class StorageOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>Defaults to <c>Data Source={DataDirectory}/openward.db</c> for SQLite; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class BootstrapOptions
{
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The client's public JWK Set as JSON text, for private_key_jwt authentication.</summary>
    public string? Jwks { get; set; }

    /// <summary>A file holding the client's public JWK Set (instead of <see cref="Jwks"/>).</summary>
    public string? JwksFile { get; set; }

    /// <summary>The scopes the bootstrap client may be granted.</summary>
    public string Scopes { get; set; } = "system/*.cruds";
}

public sealed class AuthOptions
{
    /// <summary>Base64 HMAC key (≥ 32 bytes) shared by every instance; generated into the data folder if absent.</summary>
    public string? SigningKey { get; set; }

    /// <summary>A signed-in session ends after this many minutes without a request.</summary>
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>A session ends this many hours after sign-in however active it is (a long shift).</summary>
    public int SessionMaxHours { get; set; } = 12;

    /// <summary>Sign-in attempts allowed per client address per minute (then 429).</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Token and authorize requests allowed per client address per minute (then 429).</summary>
    public int TokenRequestsPerMinute { get; set; } = 120;
}

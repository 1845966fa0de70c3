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
    public AuditOptions Audit { get; set; } = new();

    /// <summary>The background job runner (<c>OpenWard:Jobs</c>).</summary>
    public JobOptions Jobs { get; set; } = new();

    /// <summary>How this instance hears of other instances' changes (<c>OpenWard:ChangeNotices</c>).</summary>
    public ChangeNoticeOptions ChangeNotices { get; set; } = new();

    /// <summary>User-facing SMART apps (and OpenID Connect relying parties) that may use the authorization-code flow.</summary>
    public List<AppOptions> Apps { get; set; } = [];

    /// <summary>Sign-in through the trust's OpenID Connect provider (e.g. NHS CIS2); off unless Authority and ClientId are set.</summary>
    public OidcOptions Oidc { get; set; } = new();

    /// <summary>Reverse proxies (TLS terminators) whose X-Forwarded-For and X-Forwarded-Proto are believed; nobody else's are.</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>Seed synthetic demo patients on first start (an empty store).</summary>
    public bool DemoData { get; set; }

    /// <summary>How many demo patients to seed.</summary>
    public int DemoPatients { get; set; } = 100;

    /// <summary>Folder for the SQLite file and the generated token key.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The formulary the medication checks use (<c>OpenWard:Formulary</c>).</summary>
    public FormularyOptions Formulary { get; set; } = new();

    /// <summary>Response times of the NEWS2 escalation ladder (<c>OpenWard:Escalation</c>).</summary>
    public EscalationOptions Escalation { get; set; } = new();

    /// <summary>
    /// The formulary file in use: <c>OpenWard:Formulary:Path</c> when set; otherwise the one
    /// <c>openward formulary import</c> installed in the data folder; otherwise the illustrative starter.
    /// </summary>
    public string FormularyPath =>
        Formulary.Path is { Length: > 0 } path ? path
        : File.Exists(InstalledFormularyPath) ? InstalledFormularyPath
        : OpenWard.Clinical.Medicines.Formulary.StarterPath;

    /// <summary>Where <c>openward formulary import</c> installs a trust's formulary.</summary>
    public string InstalledFormularyPath => System.IO.Path.Combine(DataDirectory, OpenWard.Clinical.Medicines.Formulary.StarterFileName);
}

/// <summary><c>OpenWard:Escalation</c>: the trust's response times for a raised NEWS2 score (docs/implementation/news2.md).</summary>
public sealed class EscalationOptions
{
    /// <summary>Per step code (ward-medical-team, urgent-response, emergency-response, consultant), a time span such as 00:15:00; unnamed steps keep the illustrative default.</summary>
    public Dictionary<string, TimeSpan> RespondWithin { get; set; } = [];

    /// <exception cref="StartupRefusedException">A step that does not exist, or a time not above zero.</exception>
    public OpenWard.Clinical.Observations.EscalationPolicy ToPolicy()
    {
        try
        {
            return new OpenWard.Clinical.Observations.EscalationPolicy(RespondWithin);
        }
        catch (ArgumentException e)
        {
            throw new StartupRefusedException($"OpenWard:Escalation:RespondWithin: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }
}

public sealed class FormularyOptions
{
    /// <summary>A formulary file (docs/implementation/formulary.md) every instance reads at start-up; a file that does not validate stops the start.</summary>
    public string? Path { get; set; }
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

    /// <summary>
    /// A PEM file with the RSA private key that signs id_tokens (RS256). Every instance must share
    /// it; a standalone install without one keeps a generated key in its data folder.
    /// </summary>
    public string? IdTokenKeyFile { get; set; }
}

/// <summary>The audit trail's anchor outside the database (<c>OpenWard:Audit</c>); see <see cref="AuditAnchorWriter"/>.</summary>
public sealed class AuditOptions
{
    /// <summary>Base64 HMAC key (≥ 32 bytes) that signs the anchors; generated into the data folder if absent.</summary>
    public string? AnchorKey { get; set; }

    /// <summary>The append-only file the anchors go to; defaults to <c>{DataDirectory}/audit-anchor.log</c>.</summary>
    public string? AnchorFile { get; set; }

    public string AnchorFilePath(string dataDirectory) =>
        string.IsNullOrWhiteSpace(AnchorFile) ? Path.Combine(dataDirectory, "audit-anchor.log") : AnchorFile;
}

/// <summary>
/// <c>OpenWard:ForwardedHeaders</c>: behind a reverse proxy, the addresses it connects from. Requests
/// from them are taken to come from the client and scheme named in X-Forwarded-For and
/// X-Forwarded-Proto (so cookies are Secure, HSTS is sent and rate limits count per client); from
/// any other address those headers are ignored. Empty: no proxy, the headers are never read.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>IP addresses of the proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

/// <summary>One registered SMART app (<c>OpenWard:Apps:0:ClientId</c>...).</summary>
public sealed class AppOptions
{
    public string ClientId { get; set; } = "";

    /// <summary>Absent for a public client (a browser or mobile app that cannot keep a secret; PKCE protects it).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The exact redirect URIs the app may ask for; no wildcards, no prefixes.</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>The most the app may be granted, space-separated: user/ and patient/ resource scopes (identity scopes are always allowed).</summary>
    public string Scopes { get; set; } = "";

    /// <summary>The name shown to the user on the consent page.</summary>
    public string? Name { get; set; }
}

/// <summary>The trust's OpenID Connect provider (<c>OpenWard:Oidc</c>), for staff sign-in.</summary>
public sealed class OidcOptions
{
    /// <summary>The provider's issuer URL; its /.well-known/openid-configuration is read from there.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes to ask for besides <c>openid</c>.</summary>
    public string Scopes { get; set; } = "openid profile";

    /// <summary>The sign-in button's text, e.g. "NHS Care Identity".</summary>
    public string DisplayName { get; set; } = "your organisation's sign-in";

    /// <summary>Refuse a provider whose metadata is not on https (turn off only for a test provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The id_token claim that identifies the person; matched with the staff account's ExternalSubject.</summary>
    public string SubjectClaim { get; set; } = "sub";
}

/// <summary>
/// <c>OpenWard:Jobs</c>: the runner that claims jobs from the database's queue (see
/// <see cref="JobRunner"/>). Every instance may run it; each job still runs on one instance only.
/// </summary>
public sealed class JobOptions
{
    /// <summary>Run jobs in this instance; off, jobs wait for an instance that runs them.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between looks for due jobs when there was nothing to do (jobs this instance enqueues start at once).</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>Seconds a claimed job is this instance's; if it has not finished by then (the instance died), another may run it.</summary>
    public double LeaseSeconds { get; set; } = 300;

    /// <summary>Jobs claimed at once.</summary>
    public int BatchSize { get; set; } = 10;

    /// <summary>Days a done job stays listed (for the administrator's page) before the runner deletes it; its effect stays.</summary>
    public double KeepDoneDays { get; set; } = 30;

    /// <exception cref="StartupRefusedException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(PollSeconds is > 0 and <= 3600))
        {
            throw new StartupRefusedException($"OpenWard:Jobs:PollSeconds must be more than 0 and at most 3600 (it is {PollSeconds}).");
        }

        if (!(LeaseSeconds is >= 1 and <= 86_400))
        {
            throw new StartupRefusedException($"OpenWard:Jobs:LeaseSeconds must be between 1 and 86400 (it is {LeaseSeconds}): longer than any job runs, so that a job is not run twice.");
        }

        if (BatchSize is < 1 or > 1000)
        {
            throw new StartupRefusedException($"OpenWard:Jobs:BatchSize must be between 1 and 1000 (it is {BatchSize}).");
        }

        if (!(KeepDoneDays is >= 1 and <= 3650))
        {
            throw new StartupRefusedException($"OpenWard:Jobs:KeepDoneDays must be between 1 and 3650 (it is {KeepDoneDays}).");
        }
    }
}

/// <summary><c>OpenWard:ChangeNotices</c>: the poller that hears of other instances' changes (see <see cref="ChangeNoticePoller"/>).</summary>
public sealed class ChangeNoticeOptions
{
    /// <summary>Seconds between reads of new notices: another instance's change reaches this one's caches within about this time.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <exception cref="StartupRefusedException">A setting is out of range.</exception>
    public void Validate()
    {
        if (!(PollSeconds is > 0 and <= 30))
        {
            throw new StartupRefusedException($"OpenWard:ChangeNotices:PollSeconds must be more than 0 and at most 30 (it is {PollSeconds}): cached access answers last 30 seconds anyway.");
        }
    }
}

using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Tests.Security;

/// <summary>
/// A real OpenWard server whose bootstrap client has no secret, only a public JWK Set (read from
/// <c>OpenWard:Bootstrap:JwksFile</c>) with an RSA key and an EC P-384 key generated here. The
/// private halves stay with the tests, which sign assertions as the client would.
/// </summary>
public sealed class BackendServicesFixture : IAsyncLifetime
{
    public const string ClientId = "backend-client";

    private readonly string _folder = Directory.CreateTempSubdirectory("openward-jwt-").FullName;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private WebApplication? _app;

    public BackendServicesFixture()
    {
        RsaKey = new RsaSecurityKey(_rsa) { KeyId = "rsa-1" };
        EcKey = new ECDsaSecurityKey(_ec) { KeyId = "ec-1" };
    }

    /// <summary>The client's RSA key pair, registered as kid <c>rsa-1</c>.</summary>
    public RsaSecurityKey RsaKey { get; }

    /// <summary>The client's EC P-384 key pair, registered as kid <c>ec-1</c>.</summary>
    public ECDsaSecurityKey EcKey { get; }

    /// <summary>The client's public key in PEM, as an attacker could read it.</summary>
    public string RsaPublicKeyPem => _rsa.ExportSubjectPublicKeyInfoPem();

    public string BaseUrl { get; private set; } = "";
    public string TokenEndpoint => BaseUrl + "/auth/token";
    public string FhirUrl => BaseUrl + "/fhir";
    public HttpClient Anonymous { get; } = new();

    public async Task InitializeAsync()
    {
        var jwksFile = Path.Combine(_folder, "client.jwks.json");
        await File.WriteAllTextAsync(jwksFile, TestJwks.Set(TestJwks.Rsa(_rsa, "rsa-1"), TestJwks.Ec(_ec, "ec-1")));
        _app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_folder}",
            $"--OpenWard:Bootstrap:ClientId={ClientId}",
            $"--OpenWard:Bootstrap:JwksFile={jwksFile}",
            "--OpenWard:Bootstrap:Scopes=system/Patient.rs",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        Anonymous.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _rsa.Dispose();
        _ec.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class BackendServicesCollection : ICollectionFixture<BackendServicesFixture>
{
    public const string Name = "backend-services";
}

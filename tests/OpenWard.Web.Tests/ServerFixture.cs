using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenWard.Web.Hosting;

namespace OpenWard.Web.Tests;

/// <summary>
/// One real OpenWard server (Kestrel on a loopback port, SQLite in a temporary folder) shared by
/// the HTTP tests, with a bootstrap client that may be granted any system scope.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-secret-0123456789";

    private readonly string _folder = Directory.CreateTempSubdirectory("openward-web-").FullName;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _tokens = new();
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";
    public string FhirUrl => BaseUrl + "/fhir";
    public HttpClient Anonymous { get; } = new();

    /// <summary>The running server's services, for arranging what the API cannot (staff accounts, signing keys).</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        _app = OpenWardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--OpenWard:DataDirectory={_folder}",
            $"--OpenWard:Bootstrap:ClientId={ClientId}",
            $"--OpenWard:Bootstrap:ClientSecret={ClientSecret}",
            "--Logging:LogLevel:Default=Warning",
            .. await SettingsAsync(),
        ]);
        await _app.StartAsync();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseUrl = addresses.Addresses.First().TrimEnd('/');
    }

    /// <summary>More settings for the server, such as another storage engine.</summary>
    protected virtual Task<IReadOnlyList<string>> SettingsAsync() => Task.FromResult<IReadOnlyList<string>>([]);

    /// <summary>A client holding a token for <paramref name="scope"/>.</summary>
    public async Task<HttpClient> ClientWithScopeAsync(string scope = "system/*.cruds")
    {
        // One token per scope for the whole run: the token endpoint is rate limited per address.
        if (!_tokens.TryGetValue(scope, out var token))
        {
            token = await TokenAsync(scope);
            _tokens[scope] = token;
        }

        var client = new HttpClient { BaseAddress = new Uri(FhirUrl + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<string> TokenAsync(string scope)
    {
        using var response = await Anonymous.PostAsync(BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = ClientId,
            ["client_secret"] = ClientSecret,
            ["scope"] = scope,
        }));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    public virtual async Task DisposeAsync()
    {
        Anonymous.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "server";
}

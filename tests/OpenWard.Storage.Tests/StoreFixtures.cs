using Npgsql;
using OpenWard.Fhir.Rest;
using OpenWard.Fhir.Rest.Rules;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using OpenWard.Fhir.Search.Query;
using OpenWard.Fhir.Validation;

namespace OpenWard.Storage.Tests;

/// <summary>A fresh, migrated store on one engine, with the FHIR service over it.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private static readonly Lazy<ProfileValidator> SharedValidator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));

    public IResourceStore Store { get; private set; } = null!;
    public FhirRestService Fhir { get; private set; } = null!;

    protected abstract Task<IResourceStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.MigrateAsync(CancellationToken.None);
        var registry = SearchParameterRegistry.Default;
        Fhir = new FhirRestService(Store, new SearchIndexer(registry), new SearchQueryParser(registry), SharedValidator.Value, WriteRules.None, TimeProvider.System);
    }

    public virtual async Task DisposeAsync() => await Store.DisposeAsync();
}

public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _folder = Directory.CreateTempSubdirectory("openward-sqlite-").FullName;

    protected override Task<IResourceStore> CreateStoreAsync() =>
        Task.FromResult<IResourceStore>(new SqlResourceStore(new SqliteDialect($"Data Source={Path.Combine(_folder, "test.db")}")));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>
/// PostgreSQL from <c>OPENWARD_TEST_POSTGRES</c> (scripts/test.sh starts one on loopback). Without
/// it these tests fail: a missing database must never look like a pass.
/// </summary>
public sealed class PostgresStoreFixture : StoreFixture
{
    private string? _database;
    private string? _adminConnection;

    protected override async Task<IResourceStore> CreateStoreAsync()
    {
        _adminConnection = Environment.GetEnvironmentVariable("OPENWARD_TEST_POSTGRES")
            ?? throw new InvalidOperationException("OPENWARD_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");
        _database = "openward_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(_adminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = _database };
        return new SqlResourceStore(new PostgresDialect(builder.ConnectionString));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && _adminConnection is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_adminConnection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

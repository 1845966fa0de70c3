using Npgsql;

namespace OpenWard.Web.Tests;

/// <summary>
/// The same server on PostgreSQL, in a new database on the server named by <c>OPENWARD_TEST_POSTGRES</c>
/// (scripts/test.sh starts one), for the HTTP tests that must hold on both engines. Without it these
/// tests fail: a missing database must never look like a pass.
/// </summary>
public sealed class PostgresServerFixture : ServerFixture
{
    private string? _adminConnection;
    private string? _database;

    protected override async Task<IReadOnlyList<string>> SettingsAsync()
    {
        _adminConnection = Environment.GetEnvironmentVariable("OPENWARD_TEST_POSTGRES")
            ?? throw new InvalidOperationException("OPENWARD_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");
        _database = "openward_web_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(_adminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(_adminConnection) { Database = _database }.ConnectionString;
        return ["--OpenWard:Storage:Provider=Postgres", $"--OpenWard:Storage:ConnectionString={connection}"];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_adminConnection is not null && _database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(_adminConnection);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServerCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres server";
}

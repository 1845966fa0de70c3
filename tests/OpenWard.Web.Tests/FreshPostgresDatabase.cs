using Npgsql;

namespace OpenWard.Web.Tests;

/// <summary>
/// A new, empty database on the PostgreSQL server named by <c>OPENWARD_TEST_POSTGRES</c>
/// (scripts/test.sh starts one), dropped when disposed. Without that server the tests that need it
/// fail: a missing database must never look like a pass.
/// </summary>
public sealed class FreshPostgresDatabase : IAsyncDisposable
{
    private readonly string _adminConnection;
    private readonly string _name;

    private FreshPostgresDatabase(string adminConnection, string name)
    {
        _adminConnection = adminConnection;
        _name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <param name="prefix">Starts the database's name, so a leftover one says which tests made it.</param>
    public static async Task<FreshPostgresDatabase> CreateAsync(string prefix)
    {
        var adminConnection = Environment.GetEnvironmentVariable("OPENWARD_TEST_POSTGRES")
            ?? throw new InvalidOperationException("OPENWARD_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        await using var admin = new NpgsqlConnection(adminConnection);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync();
        return new FreshPostgresDatabase(adminConnection, name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnection);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

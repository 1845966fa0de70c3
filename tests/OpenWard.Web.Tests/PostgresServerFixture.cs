namespace OpenWard.Web.Tests;

/// <summary>
/// The same server on PostgreSQL, in a <see cref="FreshPostgresDatabase"/>, for the HTTP tests that
/// must hold on both engines.
/// </summary>
public sealed class PostgresServerFixture : ServerFixture
{
    private FreshPostgresDatabase? _database;

    protected override async Task<IReadOnlyList<string>> SettingsAsync()
    {
        _database = await FreshPostgresDatabase.CreateAsync("openward_web_");
        return ["--OpenWard:Storage:Provider=Postgres", $"--OpenWard:Storage:ConnectionString={_database.ConnectionString}"];
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresServerCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "postgres server";
}

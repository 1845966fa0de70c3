using OpenWard.Storage;

namespace OpenWard.Web.Hosting;

/// <summary>Builds the configured record store.</summary>
public static class StoreFactory
{
    public static IResourceStore Create(OpenWardOptions options)
    {
        var provider = options.Storage.Provider;
        if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var connection = options.Storage.ConnectionString ?? $"Data Source={Path.Combine(options.DataDirectory, "openward.db")}";
            return new SqlResourceStore(new SqliteDialect(connection));
        }

        if (string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            var connection = options.Storage.ConnectionString
                ?? throw new InvalidOperationException("OpenWard__Storage__ConnectionString is required when OpenWard__Storage__Provider is Postgres.");
            return new SqlResourceStore(new PostgresDialect(connection));
        }

        throw new InvalidOperationException($"OpenWard__Storage__Provider '{provider}' is not known: use Sqlite or Postgres.");
    }
}

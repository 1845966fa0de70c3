using System.Data.Common;
using OpenWard.Storage.Search;

namespace OpenWard.Storage.Security;

/// <summary>One statement on its own connection: the small tables beside the resource store.</summary>
internal static class SqlCommands
{
    public static async Task<int> ExecuteAsync(SqlDialect dialect, SqlBuilder sql, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);
        int rows;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            sql.ApplyTo(command);
            rows = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return rows;
    }

    public static async Task<List<T>> QueryAsync<T>(SqlDialect dialect, SqlBuilder sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        sql.ApplyTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? NullableTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);

    public static DateTimeOffset Time(DbDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);
}

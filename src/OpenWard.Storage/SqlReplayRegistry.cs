using OpenWard.Storage.Search;

namespace OpenWard.Storage;

/// <summary>
/// Remembers one-time values (a client assertion's <c>jti</c>) until they expire, in the database,
/// so that every instance behind a load balancer refuses a replay (RFC 7523 §3 item 7).
/// </summary>
public sealed class SqlReplayRegistry(SqlResourceStore store)
{
    /// <summary>
    /// Records (<paramref name="clientId"/>, <paramref name="jti"/>) until <paramref name="expires"/>;
    /// false when it is already recorded and not yet expired at <paramref name="now"/>. Atomic: of two
    /// concurrent calls with the same pair, one gets false (the primary key decides).
    /// </summary>
    public async Task<bool> TryRecordAsync(string clientId, string jti, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dialect = store.Dialect;
        await using var connection = await dialect.OpenAsync(cancellationToken);
        await using var transaction = await dialect.BeginWriteAsync(connection, cancellationToken);

        var sweep = new SqlBuilder();
        sweep.Append("DELETE FROM used_assertion WHERE expires_at <= ").Append(sweep.Bind(now.UtcTicks));
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            sweep.ApplyTo(command);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var insert = new SqlBuilder();
        insert.Append("INSERT INTO used_assertion (client_id, jti, expires_at) VALUES (")
            .Append(insert.Bind(clientId)).Append(", ").Append(insert.Bind(jti)).Append(", ").Append(insert.Bind(expires.UtcTicks))
            .Append(") ON CONFLICT (client_id, jti) DO NOTHING");
        int inserted;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            insert.ApplyTo(command);
            inserted = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted == 1;
    }
}

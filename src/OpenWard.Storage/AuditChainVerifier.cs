using System.Data.Common;
using System.Globalization;
using OpenWard.Storage.Search;

namespace OpenWard.Storage;

/// <summary>
/// Proves the audit chain intact or finds its first broken link (<see cref="IResourceStore.VerifyAuditChainAsync"/>).
/// Streams the chain in sequence order joined to each event's current row, so memory stays flat
/// however long the trail is. Every statement reads one snapshot, so it can run on a live store.
/// </summary>
internal static class AuditChainVerifier
{
    public static async Task<AuditChainReport> VerifyAsync(SqlDialect dialect, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken);

        // One snapshot for every statement below, so concurrent appends cannot make a sound
        // chain look broken (PostgreSQL: REPEATABLE READ; SQLite: a read transaction in WAL mode).
        await using var snapshot = await dialect.BeginSnapshotAsync(connection, cancellationToken);

        var walk = new SqlBuilder();
        walk.Append("SELECT c.seq, c.audit_event_id, c.prev_hash, c.hash, r.version_id, r.is_deleted, r.content FROM audit_chain c")
            .Append(" LEFT JOIN resource r ON r.resource_type = 'AuditEvent' AND r.id = c.audit_event_id ORDER BY c.seq");
        long checkedCount = 0;
        long lastSeq = 0;
        var lastHash = AuditChain.GenesisHash;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = snapshot;
            walk.ApplyTo(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var seq = reader.GetInt64(0);
                var id = reader.GetString(1);
                var problem = CheckLink(reader, seq, id, lastSeq, lastHash);
                if (problem is not null)
                {
                    return AuditChainReport.Broken(checkedCount, seq, id, problem);
                }

                checkedCount++;
                lastSeq = seq;
                lastHash = reader.GetString(3);
            }
        }

        var head = new SqlBuilder();
        head.Append("SELECT seq, hash FROM audit_head WHERE id = 1");
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = snapshot;
            head.ApplyTo(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return AuditChainReport.Broken(checkedCount, null, null, "The audit chain's head row is missing: it was deleted outside OpenWard.");
            }

            var headSeq = reader.GetInt64(0);
            if (headSeq != lastSeq || reader.GetString(1) != lastHash)
            {
                return AuditChainReport.Broken(
                    checkedCount,
                    lastSeq + 1,
                    null,
                    headSeq > lastSeq
                        ? $"The chain ends at seq {Text(lastSeq)} but its head records seq {Text(headSeq)}: the newest links were removed."
                        : $"The chain ends at seq {Text(lastSeq)} but its head records seq {Text(headSeq)} with a different hash: the chain's end was rewritten.");
            }
        }

        var outside = new SqlBuilder();
        outside.Append("SELECT r.id FROM resource r WHERE r.resource_type = 'AuditEvent' AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_event_id = r.id) ORDER BY r.resource_key LIMIT 1");
        var stray = await SqlResourceStore.ScalarAsync(connection, outside, cancellationToken, snapshot);
        if (stray is string strayId)
        {
            var count = new SqlBuilder();
            count.Append("SELECT COUNT(*) FROM resource WHERE resource_type = 'AuditEvent'");
            var total = Convert.ToInt64(await SqlResourceStore.ScalarAsync(connection, count, cancellationToken, snapshot), CultureInfo.InvariantCulture);
            return AuditChainReport.Broken(
                checkedCount,
                null,
                strayId,
                $"AuditEvent/{strayId} is not in the audit chain ({Text(total - checkedCount)} of {Text(total)} AuditEvents are not): it was written around the audit trail, or its chain row was deleted.");
        }

        await snapshot.CommitAsync(cancellationToken);
        return new AuditChainReport(true, checkedCount, null, null, null);
    }

    private static string? CheckLink(DbDataReader reader, long seq, string id, long lastSeq, string lastHash)
    {
        var name = $"AuditEvent/{id} (seq {Text(seq)})";
        if (seq != lastSeq + 1)
        {
            return seq > lastSeq + 1
                ? $"{name} follows seq {Text(lastSeq)}: the chain rows between them were deleted."
                : $"{name} is out of order after seq {Text(lastSeq)}: the chain was rewritten.";
        }

        if (reader.GetString(2) != lastHash)
        {
            return $"{name} does not link to the event before it: its recorded previous hash differs, so the chain was rewritten or a link removed.";
        }

        if (reader.IsDBNull(4))
        {
            return $"{name} is no longer in the record store: it was deleted after it was written.";
        }

        if (Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture) != 0 || reader.IsDBNull(6))
        {
            return $"{name} is marked deleted: audit events are never deleted.";
        }

        var version = Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture);
        if (version != 1)
        {
            return $"{name} is at version {Text(version)}: audit events are never updated.";
        }

        if (AuditChain.Link(lastHash, reader.GetString(6)) != reader.GetString(3))
        {
            return $"{name} does not match its recorded hash: it was changed after it was written.";
        }

        return null;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

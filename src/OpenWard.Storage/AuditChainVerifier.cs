using System.Data.Common;
using System.Globalization;
using OpenWard.Storage.Search;

namespace OpenWard.Storage;

/// <summary>
/// Proves the audit trail intact or finds its first problem (<see cref="IResourceStore.VerifyAuditChainAsync(IReadOnlyCollection{AuditChainHead}, CancellationToken)"/>).
/// Streams the log (<c>audit_chain</c>) in sequence order joined to each event's projected row, so
/// memory stays flat however long the trail is: recomputes every link from the logged JSON, and
/// checks that every projected event is the logged one, unchanged, and that no AuditEvent exists
/// outside the log. Given anchors (heads recorded outside the database), it also checks that the
/// chain holds each at its position and reaches the newest. Every statement reads one snapshot, so
/// it can run on a live store.
/// </summary>
internal static class AuditChainVerifier
{
    public static async Task<AuditChainReport> VerifyAsync(SqlDialect dialect, IReadOnlyCollection<AuditChainHead> anchors, CancellationToken cancellationToken)
    {
        var anchored = anchors.Where(a => a.Seq > 0).ToLookup(a => a.Seq, a => a.Hash);
        await using var connection = await dialect.OpenAsync(cancellationToken);

        // One snapshot for every statement below, so concurrent appends and projections cannot make
        // a sound trail look broken (PostgreSQL: REPEATABLE READ; SQLite: a read transaction in WAL mode).
        await using var snapshot = await dialect.BeginSnapshotAsync(connection, cancellationToken);

        var mark = new SqlBuilder();
        mark.Append("SELECT seq FROM audit_projection WHERE id = 1");
        var watermark = await SqlResourceStore.ScalarAsync(connection, mark, cancellationToken, snapshot);
        if (watermark is null or DBNull)
        {
            return AuditChainReport.Broken(0, null, null, "The audit projection's watermark row is missing: it was deleted outside OpenWard.");
        }

        var projectedUpTo = Convert.ToInt64(watermark, CultureInfo.InvariantCulture);
        var walk = new SqlBuilder();
        walk.Append("SELECT c.seq, c.audit_event_id, c.prev_hash, c.hash, c.content, r.version_id, r.is_deleted, ")
            .Append(dialect.SameJson("r.content", "c.content"))
            .Append(" FROM audit_chain c LEFT JOIN resource r ON r.resource_type = 'AuditEvent' AND r.id = c.audit_event_id ORDER BY c.seq");
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
                var problem = CheckLink(reader, seq, id, lastSeq, lastHash) ?? CheckProjection(reader, seq, id, projectedUpTo) ?? CheckAnchors(reader, seq, id, anchored);
                if (problem is not null)
                {
                    return AuditChainReport.Broken(checkedCount, seq, id, problem);
                }

                checkedCount++;
                lastSeq = seq;
                lastHash = reader.GetString(3);
            }
        }

        // Checked before the head, which whoever cut the chain short could have reset to match.
        var newestAnchor = anchored.Count == 0 ? 0 : anchored.Max(a => a.Key);
        if (newestAnchor > lastSeq)
        {
            return AuditChainReport.Broken(
                checkedCount,
                lastSeq + 1,
                null,
                $"The chain ends at seq {Text(lastSeq)} but an anchor outside the database records seq {Text(newestAnchor)}: the newest events were cut off.");
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
        const string NotLogged = " FROM resource r WHERE r.resource_type = 'AuditEvent' AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_event_id = r.id)";
        outside.Append("SELECT r.id").Append(NotLogged).Append(" ORDER BY r.resource_key LIMIT 1");
        var stray = await SqlResourceStore.ScalarAsync(connection, outside, cancellationToken, snapshot);
        if (stray is string strayId)
        {
            var strays = new SqlBuilder();
            strays.Append("SELECT COUNT(*)").Append(NotLogged);
            var count = new SqlBuilder();
            count.Append("SELECT COUNT(*) FROM resource WHERE resource_type = 'AuditEvent'");
            var strayCount = Convert.ToInt64(await SqlResourceStore.ScalarAsync(connection, strays, cancellationToken, snapshot), CultureInfo.InvariantCulture);
            var total = Convert.ToInt64(await SqlResourceStore.ScalarAsync(connection, count, cancellationToken, snapshot), CultureInfo.InvariantCulture);
            return AuditChainReport.Broken(
                checkedCount,
                null,
                strayId,
                $"AuditEvent/{strayId} is not in the audit chain ({Text(strayCount)} of {Text(total)} AuditEvents are not): it was written around the audit trail, or its chain row was deleted.");
        }

        await snapshot.CommitAsync(cancellationToken);
        return new AuditChainReport(true, checkedCount, null, null, null);
    }

    /// <summary>The log row itself: in sequence, linked to the one before, and hashing to its recorded hash.</summary>
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
            return $"{name} has no JSON in the audit log: it was removed after it was written.";
        }

        if (AuditChain.Link(lastHash, reader.GetString(4)) != reader.GetString(3))
        {
            return $"{name} does not match its recorded hash: it was changed after it was written.";
        }

        return null;
    }

    /// <summary>The link's hash against every anchor recorded at its position: a rewritten chain no longer holds them.</summary>
    private static string? CheckAnchors(DbDataReader reader, long seq, string id, ILookup<long, string> anchored)
    {
        var hash = reader.GetString(3);
        return anchored[seq].Any(anchoredHash => anchoredHash != hash)
            ? $"AuditEvent/{id} (seq {Text(seq)}) is not the event anchored at that position outside the database: the chain was rewritten up to there."
            : null;
    }

    /// <summary>The event's searchable copy: present once projected, version 1, and the logged JSON exactly (its value on jsonb).</summary>
    private static string? CheckProjection(DbDataReader reader, long seq, string id, long projectedUpTo)
    {
        var name = $"AuditEvent/{id} (seq {Text(seq)})";
        var inStore = !reader.IsDBNull(5);
        if (seq > projectedUpTo)
        {
            return inStore ? $"{name} is in the record store before it was projected: it was written around the audit trail." : null;
        }

        if (!inStore)
        {
            return $"{name} is no longer in the record store: it was deleted after it was written.";
        }

        if (Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture) != 0)
        {
            return $"{name} is marked deleted: audit events are never deleted.";
        }

        var version = Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture);
        if (version != 1)
        {
            return $"{name} is at version {Text(version)}: audit events are never updated.";
        }

        // The stored copy differs from the logged JSON, so its hash would not be the recorded one.
        return Convert.ToInt32(reader.GetValue(7), CultureInfo.InvariantCulture) == 1
            ? null
            : $"{name} does not match its recorded hash: it was changed after it was written.";
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

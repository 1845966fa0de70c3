namespace OpenWard.Storage;

/// <summary>
/// The versioned schema. Each migration is applied once, in order, inside a transaction, and
/// recorded in <c>schema_version</c>. Every table and index is described in
/// docs/implementation/storage.md; change both together.
/// </summary>
internal static class Schema
{
    public static IReadOnlyList<(int Version, string Description, Func<SqlDialect, string> Sql)> Migrations { get; } =
    [
        (1, "resources, history and typed search indexes", Initial),
        (2, "client assertion ids seen, against replay", _ => UsedAssertions),
        (3, "index walks end in resource_key; probes by (resource_key, param)", _ => CoveringIndexes),
        (4, "audit trail hash chain", AuditChain),
        (5, "staff accounts and break-glass grants", _ => StaffAndBreakGlass),
        (6, "OAuth authorization codes (SMART App Launch)", _ => AuthorizationCodes),
        (7, "audit log holds each event's JSON; projection watermark", _ => AuditLog),
        (8, "server-side staff sessions; sign-in throttling per account and address; demo accounts marked", _ => SessionsAndThrottling),
        (9, "Tasks and Devices stored before they joined the Patient compartment get their patient", _ => TasksAndDevicesJoinTheirPatient()),
        (10, "durable job queue (outbox) and change notices for every instance", JobsAndChangeNotices),
    ];

    /// <summary>Names of the typed index tables, one per search parameter type that is indexed.</summary>
    public static readonly string[] IndexTables =
        ["idx_token", "idx_string", "idx_date", "idx_reference", "idx_quantity", "idx_number", "idx_uri"];

    // Jobs are claimed by (state, due_at) when pending and by (state, lease_expires_at) when an
    // instance died holding them; see SqlJobQueue. Notices are read by seq and pruned by created_at.
    private static string JobsAndChangeNotices(SqlDialect d) => $"""
        CREATE TABLE jobs (
            id {d.AutoKey},
            kind TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL,
            due_at BIGINT NOT NULL,
            attempts INTEGER NOT NULL,
            max_attempts INTEGER NOT NULL,
            lease_owner TEXT NULL,
            lease_expires_at BIGINT NULL,
            last_error TEXT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            completed_at BIGINT NULL
        );
        CREATE INDEX jobs_due ON jobs (state, due_at);
        CREATE INDEX jobs_lease ON jobs (state, lease_expires_at);
        CREATE TABLE change_notices (
            seq {d.AutoKey},
            topic TEXT NOT NULL,
            notice_key TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        CREATE INDEX change_notices_created ON change_notices (created_at);
        """;

    private const string StaffAndBreakGlass = """
        CREATE TABLE staff_account (
            user_name TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            practitioner_id TEXT NULL,
            wards TEXT NOT NULL,
            teams TEXT NOT NULL,
            password_hash TEXT NULL,
            external_subject TEXT NULL UNIQUE,
            failed_sign_ins INTEGER NOT NULL,
            locked_until BIGINT NULL,
            disabled INTEGER NOT NULL
        );
        CREATE TABLE break_glass (
            grant_id TEXT PRIMARY KEY,
            user_name TEXT NOT NULL,
            patient_id TEXT NOT NULL,
            reason_code TEXT NOT NULL,
            reason_text TEXT NULL,
            granted_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            reviewed_by TEXT NULL,
            reviewed_at BIGINT NULL,
            review_outcome TEXT NULL,
            review_note TEXT NULL
        );
        CREATE INDEX break_glass_active ON break_glass (user_name, patient_id, expires_at);
        CREATE INDEX break_glass_unreviewed ON break_glass (reviewed_at, granted_at);
        """;

    // The account-wide lock (failed_sign_ins, locked_until) let anyone lock a clinician out: failures
    // now count per (account, address). Only a hash of each session id is kept, like authorization codes.
    /// <summary>
    /// Task (Task.for) and Device (Device.patient) are OpenWard's additions to the R4 Patient
    /// compartment (PatientCompartment.Additions), so that the access policy judges them by their
    /// patient. Rows written before that have no patient, which hides them from staff: give them the
    /// patient their own local <c>patient</c> reference names, as the indexer now does at write time.
    /// </summary>
    private static string TasksAndDevicesJoinTheirPatient()
    {
        const string types = "resource_type IN ('Task', 'Device') AND patient_id IS NULL";
        var sql = new System.Text.StringBuilder($"""
            UPDATE resource SET patient_id = (
                SELECT MIN(x.target_id) FROM idx_reference x
                WHERE x.resource_key = resource.resource_key AND x.param = 'patient' AND x.target_type = 'Patient' AND x.url IS NULL)
            WHERE {types};
            UPDATE resource_history SET patient_id = (
                SELECT r.patient_id FROM resource r WHERE r.resource_type = resource_history.resource_type AND r.id = resource_history.id)
            WHERE {types};

            """);
        foreach (var table in IndexTables)
        {
            sql.Append($"UPDATE {table} SET patient_id = (SELECT r.patient_id FROM resource r WHERE r.resource_key = {table}.resource_key) WHERE {types};\n");
        }

        return sql.ToString();
    }

    private const string SessionsAndThrottling = """
        ALTER TABLE staff_account DROP COLUMN failed_sign_ins;
        ALTER TABLE staff_account DROP COLUMN locked_until;
        ALTER TABLE staff_account ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE staff_session (
            session_hash TEXT PRIMARY KEY,
            user_name TEXT NOT NULL,
            started_at BIGINT NOT NULL
        );
        CREATE INDEX staff_session_user ON staff_session (user_name);
        CREATE INDEX staff_session_started ON staff_session (started_at);
        CREATE TABLE sign_in_failure (
            user_name TEXT NOT NULL,
            address TEXT NOT NULL,
            failures INTEGER NOT NULL,
            last_failure_at BIGINT NOT NULL,
            blocked_until BIGINT NULL,
            PRIMARY KEY (user_name, address)
        );
        CREATE INDEX sign_in_failure_last ON sign_in_failure (last_failure_at);
        """;

    // Only a hash of each code is kept: a copy of this table cannot be replayed at the token endpoint.
    private const string AuthorizationCodes = """
        CREATE TABLE authorization_code (
            code_hash TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            redirect_uri TEXT NOT NULL,
            user_name TEXT NOT NULL,
            scope TEXT NOT NULL,
            patient_id TEXT NULL,
            code_challenge TEXT NOT NULL,
            nonce TEXT NULL,
            expires_at BIGINT NOT NULL,
            redeemed_at BIGINT NULL
        );
        CREATE INDEX authorization_code_expiry ON authorization_code (expires_at);
        """;

    private const string UsedAssertions = """
        CREATE TABLE used_assertion (
            client_id TEXT NOT NULL,
            jti TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (client_id, jti)
        );
        CREATE INDEX used_assertion_expiry ON used_assertion (expires_at);
        """;

    // A driving criterion walks a value index and needs only resource_key from it (covering: no
    // table lookups); every other criterion probes (resource_key, param). See SearchSql.
    private const string CoveringIndexes = """
        DROP INDEX idx_token_value;
        CREATE INDEX idx_token_value ON idx_token (resource_type, param, code, system, resource_key);
        DROP INDEX idx_string_value;
        CREATE INDEX idx_string_value ON idx_string (resource_type, param, value_normalized, resource_key);
        DROP INDEX idx_date_low;
        CREATE INDEX idx_date_low ON idx_date (resource_type, param, low, resource_key);
        DROP INDEX idx_date_high;
        CREATE INDEX idx_date_high ON idx_date (resource_type, param, high, resource_key);
        DROP INDEX idx_reference_target;
        CREATE INDEX idx_reference_target ON idx_reference (resource_type, param, target_id, target_type, resource_key);
        DROP INDEX idx_quantity_value;
        CREATE INDEX idx_quantity_value ON idx_quantity (resource_type, param, value, resource_key);
        DROP INDEX idx_number_value;
        CREATE INDEX idx_number_value ON idx_number (resource_type, param, value, resource_key);
        DROP INDEX idx_uri_value;
        CREATE INDEX idx_uri_value ON idx_uri (resource_type, param, value, resource_key);
        DROP INDEX idx_token_key;
        CREATE INDEX idx_token_key ON idx_token (resource_key, param);
        DROP INDEX idx_string_key;
        CREATE INDEX idx_string_key ON idx_string (resource_key, param);
        DROP INDEX idx_date_key;
        CREATE INDEX idx_date_key ON idx_date (resource_key, param);
        DROP INDEX idx_reference_key;
        CREATE INDEX idx_reference_key ON idx_reference (resource_key, param);
        DROP INDEX idx_quantity_key;
        CREATE INDEX idx_quantity_key ON idx_quantity (resource_key, param);
        DROP INDEX idx_number_key;
        CREATE INDEX idx_number_key ON idx_number (resource_key, param);
        DROP INDEX idx_uri_key;
        CREATE INDEX idx_uri_key ON idx_uri (resource_key, param);
        """;

    // One row per AuditEvent in chain order (see AuditChain); audit_head is the single row that
    // appends lock (PostgreSQL) and that verification compares the chain's end with.
    private static string AuditChain(SqlDialect d) => $"""
        CREATE TABLE audit_chain (
            seq {d.SequenceKey},
            audit_event_id TEXT NOT NULL UNIQUE,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE TABLE audit_head (
            id INTEGER PRIMARY KEY,
            seq BIGINT NOT NULL,
            hash TEXT NOT NULL
        );
        INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{OpenWard.Storage.AuditChain.GenesisHash}');
        """;

    // The chain becomes the durable audit log: each row keeps the event's JSON (TEXT on both engines,
    // exactly as hashed), and a background projector copies events into resource and index rows,
    // remembering in audit_projection how far it got. Events written before this migration are
    // already in the resource table: their JSON (as the engine returns it, which is what their hash
    // covers) is copied into the log and the watermark starts at the chain's end.
    private const string AuditLog = """
        ALTER TABLE audit_chain ADD COLUMN content TEXT NULL;
        UPDATE audit_chain SET content = (SELECT CAST(r.content AS TEXT) FROM resource r WHERE r.resource_type = 'AuditEvent' AND r.id = audit_chain.audit_event_id);
        CREATE TABLE audit_projection (
            id INTEGER PRIMARY KEY,
            seq BIGINT NOT NULL
        );
        INSERT INTO audit_projection (id, seq) SELECT 1, seq FROM audit_head WHERE id = 1;
        """;

    private static string Initial(SqlDialect d) => $"""
        CREATE TABLE resource (
            resource_key {d.AutoKey},
            resource_type TEXT NOT NULL,
            id TEXT NOT NULL,
            version_id INTEGER NOT NULL,
            last_updated BIGINT NOT NULL,
            is_deleted SMALLINT NOT NULL,
            patient_id TEXT NULL,
            content {d.JsonType} NULL,
            UNIQUE (resource_type, id)
        );
        CREATE INDEX resource_patient ON resource (patient_id, resource_type);
        CREATE INDEX resource_type_updated ON resource (resource_type, last_updated);

        CREATE TABLE resource_history (
            history_key {d.AutoKey},
            resource_type TEXT NOT NULL,
            id TEXT NOT NULL,
            version_id INTEGER NOT NULL,
            last_updated BIGINT NOT NULL,
            is_deleted SMALLINT NOT NULL,
            method TEXT NOT NULL,
            patient_id TEXT NULL,
            content {d.JsonType} NULL,
            UNIQUE (resource_type, id, version_id)
        );
        CREATE INDEX history_updated ON resource_history (last_updated);
        CREATE INDEX history_type_updated ON resource_history (resource_type, last_updated);

        CREATE TABLE idx_token (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            param TEXT NOT NULL,
            system TEXT NULL,
            code TEXT NULL,
            text {d.OrderedText} NULL,
            type_system TEXT NULL,
            type_code TEXT NULL,
            patient_id TEXT NULL
        );
        CREATE INDEX idx_token_value ON idx_token (resource_type, param, code, system);
        CREATE INDEX idx_token_key ON idx_token (resource_key);

        CREATE TABLE idx_string (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            param TEXT NOT NULL,
            value_normalized {d.OrderedText} NOT NULL,
            value_exact TEXT NOT NULL,
            patient_id TEXT NULL
        );
        CREATE INDEX idx_string_value ON idx_string (resource_type, param, value_normalized);
        CREATE INDEX idx_string_key ON idx_string (resource_key);

        CREATE TABLE idx_date (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            param TEXT NOT NULL,
            low BIGINT NOT NULL,
            high BIGINT NOT NULL,
            patient_id TEXT NULL
        );
        CREATE INDEX idx_date_low ON idx_date (resource_type, param, low);
        CREATE INDEX idx_date_high ON idx_date (resource_type, param, high);
        CREATE INDEX idx_date_key ON idx_date (resource_key);
        CREATE INDEX idx_date_patient ON idx_date (patient_id, resource_type, param, low);

        CREATE TABLE idx_reference (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            param TEXT NOT NULL,
            target_type TEXT NULL,
            target_id TEXT NULL,
            url TEXT NULL,
            patient_id TEXT NULL
        );
        CREATE INDEX idx_reference_target ON idx_reference (resource_type, param, target_id, target_type);
        CREATE INDEX idx_reference_reverse ON idx_reference (target_id, target_type);
        CREATE INDEX idx_reference_key ON idx_reference (resource_key);

        CREATE TABLE idx_quantity (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            param TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            system TEXT NULL,
            code TEXT NULL,
            patient_id TEXT NULL
        );
        CREATE INDEX idx_quantity_value ON idx_quantity (resource_type, param, value);
        CREATE INDEX idx_quantity_key ON idx_quantity (resource_key);

        CREATE TABLE idx_number (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            param TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            patient_id TEXT NULL
        );
        CREATE INDEX idx_number_value ON idx_number (resource_type, param, value);
        CREATE INDEX idx_number_key ON idx_number (resource_key);

        CREATE TABLE idx_uri (
            resource_key BIGINT NOT NULL,
            resource_type TEXT NOT NULL,
            param TEXT NOT NULL,
            value TEXT NOT NULL,
            patient_id TEXT NULL
        );
        CREATE INDEX idx_uri_value ON idx_uri (resource_type, param, value);
        CREATE INDEX idx_uri_key ON idx_uri (resource_key);
        """;
}

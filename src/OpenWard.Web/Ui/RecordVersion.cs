namespace OpenWard.Web.Ui;

/// <summary>One thing a version of a record said, for the history table and the "changed meanwhile" warning ("Reaction", "Anaphylaxis (Severe)").</summary>
public sealed record RecordDetail(string Label, string Value);

/// <summary>
/// One version of an allergy or problem as its change pages show it: its status, the details that can
/// change, and the latest reason written into it (<see cref="ChangeNote"/>), with who and when.
/// </summary>
public sealed record RecordVersion(string? VersionId, DateTimeOffset? LastUpdated, string Status, IReadOnlyList<RecordDetail> Details, string? Reason, string? By)
{
    public string When(TimeZoneInfo zone) => LastUpdated is { } at ? ClinicalNote.Time(at, zone) : PatientDisplay.NotKnown;
}

/// <summary>What a change form for a stored record holds besides its own fields: whose record, which version it was opened on, and why.</summary>
public interface IRecordChangeForm
{
    string? PatientId { get; set; }

    /// <summary>The version the form was opened on, sent as If-Match.</summary>
    string? Version { get; set; }

    string? Reason { get; set; }
}

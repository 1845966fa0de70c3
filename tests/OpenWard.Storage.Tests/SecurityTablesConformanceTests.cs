using OpenWard.Security;
using OpenWard.Storage.Security;
using Task = System.Threading.Tasks.Task;

namespace OpenWard.Storage.Tests;

/// <summary>Staff accounts and break-glass grants on every engine.</summary>
public abstract class SecurityTablesConformanceTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : StoreFixture
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
    private readonly StaffDirectory _staff = new((SqlResourceStore)fixture.Store);
    private readonly BreakGlassLedger _ledger = new((SqlResourceStore)fixture.Store);
    private readonly SignInThrottle _throttle = new((SqlResourceStore)fixture.Store);
    private readonly StaffSessions _sessions = new((SqlResourceStore)fixture.Store);

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task An_account_reads_back_with_every_field_and_saving_again_replaces_it()
    {
        var account = new StaffAccount(Unique("nurse"), "Nia Evans", StaffRole.Nurse)
        {
            PractitionerId = "prac-009",
            Wards = ["loc-ward-01", "loc-ward-02"],
            Teams = ["team-renal"],
            PasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
            ExternalSubject = Unique("cis2"),
            Demo = true,
        };
        await _staff.SaveAsync(account, default);
        var read = await _staff.FindAsync(account.UserName, default);

        Assert.NotNull(read);
        Assert.Equal(account.DisplayName, read.DisplayName);
        Assert.Equal(StaffRole.Nurse, read.Role);
        Assert.Equal(account.Wards, read.Wards);
        Assert.Equal(account.Teams, read.Teams);
        Assert.Equal(account.PasswordHash, read.PasswordHash);
        Assert.True(read.Demo);
        Assert.Equal(account.UserName, (await _staff.FindByExternalSubjectAsync(account.ExternalSubject!, default))?.UserName);

        await _staff.SaveAsync(account with { Role = StaffRole.Doctor, Disabled = true, Wards = [] }, default);
        var changed = await _staff.FindAsync(account.UserName, default);
        Assert.Equal(StaffRole.Doctor, changed!.Role);
        Assert.True(changed.Disabled);
        Assert.Empty(changed.Wards);
    }

    [Fact]
    public async Task Failed_sign_ins_count_per_account_and_address_block_until_told_and_a_success_clears_only_that_address()
    {
        var user = Unique("clerk");
        Assert.Equal(1, await _throttle.RecordFailureAsync(user, "203.0.113.5", Now, Now.AddHours(-1), default));
        Assert.Equal(2, await _throttle.RecordFailureAsync(user, "203.0.113.5", Now, Now.AddHours(-1), default));
        Assert.Equal(1, await _throttle.RecordFailureAsync(user, "198.51.100.7", Now, Now.AddHours(-1), default));
        Assert.Null(await _throttle.BlockedUntilAsync(user, "203.0.113.5", default));

        await _throttle.BlockAsync(user, "203.0.113.5", Now.AddMinutes(1), default);
        Assert.Equal(Now.AddMinutes(1), await _throttle.BlockedUntilAsync(user, "203.0.113.5", default));
        Assert.Null(await _throttle.BlockedUntilAsync(user, "198.51.100.7", default));

        await _throttle.ClearAsync(user, "203.0.113.5", default);
        Assert.Null(await _throttle.BlockedUntilAsync(user, "203.0.113.5", default));
        Assert.Equal(2, await _throttle.RecordFailureAsync(user, "198.51.100.7", Now, Now.AddHours(-1), default));
        Assert.Equal(1, await _throttle.RecordFailureAsync(user, "198.51.100.7", Now.AddHours(2), Now.AddHours(1), default));
    }

    [Fact]
    public async Task Concurrent_wrong_passwords_are_all_counted()
    {
        var user = Unique("doctor");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _throttle.RecordFailureAsync(user, "192.0.2.1", Now, Now.AddHours(-1), default)));

        Assert.Equal(11, await _throttle.RecordFailureAsync(user, "192.0.2.1", Now, Now.AddHours(-1), default));
    }

    [Fact]
    public async Task A_session_is_valid_until_ended_and_disabling_the_account_ends_all_its_sessions()
    {
        var user = Unique("nurse");
        await _staff.SaveAsync(new StaffAccount(user, "Nia Evans", StaffRole.Nurse), default);
        var first = await _sessions.StartAsync(user, Now, TimeSpan.FromHours(12), default);
        var second = await _sessions.StartAsync(user, Now, TimeSpan.FromHours(12), default);
        Assert.True(await _sessions.IsActiveAsync(first, user, default));
        Assert.False(await _sessions.IsActiveAsync(first, Unique("someone-else"), default));

        await _sessions.EndAsync(first, default);
        Assert.False(await _sessions.IsActiveAsync(first, user, default));
        Assert.True(await _sessions.IsActiveAsync(second, user, default));

        await _staff.SaveAsync(new StaffAccount(user, "Nia Evans", StaffRole.Nurse) { Disabled = true }, default);
        Assert.False(await _sessions.IsActiveAsync(second, user, default));
    }

    [Fact]
    public async Task A_grant_is_active_only_between_its_start_and_expiry_and_only_for_its_user_and_patient()
    {
        var user = Unique("nurse");
        var patient = Unique("pat");
        await _ledger.AddAsync(new BreakGlassGrant(Unique("g"), user, patient, "emergency-care", null, Now, Now.AddHours(4)), default);

        Assert.NotNull(await _ledger.ActiveAsync(user, patient, Now.AddHours(1), default));
        Assert.Null(await _ledger.ActiveAsync(user, patient, Now.AddHours(4), default));
        Assert.Null(await _ledger.ActiveAsync(user, patient, Now.AddMinutes(-1), default));
        Assert.Null(await _ledger.ActiveAsync(Unique("other"), patient, Now.AddHours(1), default));
        Assert.Null(await _ledger.ActiveAsync(user, Unique("pat"), Now.AddHours(1), default));
    }

    [Fact]
    public async Task A_review_takes_a_grant_off_the_queue_and_is_never_overwritten()
    {
        var grant = new BreakGlassGrant(Unique("g"), Unique("doctor"), Unique("pat"), "other", "Asked by the coroner's officer", Now, Now.AddHours(1));
        await _ledger.AddAsync(grant, default);
        Assert.Contains(await _ledger.UnreviewedAsync(10_000, default), g => g.GrantId == grant.GrantId);

        Assert.True(await _ledger.ReviewAsync(grant.GrantId, "privacy", "refer", "No record of the request", Now.AddDays(1), default));
        Assert.False(await _ledger.ReviewAsync(grant.GrantId, "someone-else", "appropriate", null, Now.AddDays(2), default));

        var reviewed = await _ledger.FindAsync(grant.GrantId, default);
        Assert.Equal("privacy", reviewed!.ReviewedBy);
        Assert.Equal("refer", reviewed.ReviewOutcome);
        Assert.Equal("Asked by the coroner's officer", reviewed.ReasonText);
        Assert.DoesNotContain(await _ledger.UnreviewedAsync(10_000, default), g => g.GrantId == grant.GrantId);
    }
}

public sealed class SqliteSecurityTablesConformanceTests(SqliteStoreFixture fixture) : SecurityTablesConformanceTests<SqliteStoreFixture>(fixture);

public sealed class PostgresSecurityTablesConformanceTests(PostgresStoreFixture fixture) : SecurityTablesConformanceTests<PostgresStoreFixture>(fixture);

using System.CommandLine;
using OpenWard.Security;
using OpenWard.Storage;
using OpenWard.Storage.Security;
using OpenWard.Web.Security.Passwords;

namespace OpenWard.Web.Cli;

/// <summary>
/// <c>openward staff</c>: local staff accounts for a standalone install (add, list, disable,
/// enable, set a password). Passwords are read from standard input, never from the command line,
/// so they do not end up in shell history or the process list.
/// </summary>
internal static class StaffCommand
{
    public static Command Create(Func<ServiceProvider> buildServices)
    {
        var user = new Option<string>("--user") { Description = "The user name they sign in with.", Required = true };
        var name = new Option<string>("--name") { Description = "Their name as shown to others and in the audit trail.", Required = true };
        var role = new Option<StaffRole>("--role") { Description = $"One of: {string.Join(", ", Enum.GetNames<StaffRole>())}.", Required = true };
        var wards = new Option<string[]>("--ward") { Description = "Location id of a ward they work on (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var teams = new Option<string[]>("--team") { Description = "CareTeam id of a team they belong to (repeat for several).", AllowMultipleArgumentsPerToken = true };
        var practitioner = new Option<string?>("--practitioner") { Description = "Their Practitioner resource id." };
        var subject = new Option<string?>("--external-subject") { Description = "Their subject (sub) at the trust's identity provider, to sign in through it." };
        var noPassword = new Option<bool>("--no-password") { Description = "Sign in only through the trust's identity provider (no local password)." };

        var add = new Command("add", "Create or replace an account; the password is read from standard input.") { user, name, role, wards, teams, practitioner, subject, noPassword };
        add.SetAction(async (parse, cancellationToken) =>
        {
            string? hash = null;
            await using var services = buildServices();
            if (!parse.GetValue(noPassword))
            {
                var password = await ReadPasswordAsync();
                if (PasswordRules.Validate(password) is { } problem)
                {
                    await Console.Error.WriteLineAsync(problem);
                    return 2;
                }

                hash = services.GetRequiredService<PasswordHasher>().Hash(password!);
            }

            var directory = await DirectoryAsync(services, cancellationToken);
            var account = new StaffAccount(parse.GetValue(user)!.Trim(), parse.GetValue(name)!.Trim(), parse.GetValue(role))
            {
                Wards = parse.GetValue(wards) ?? [],
                Teams = parse.GetValue(teams) ?? [],
                PractitionerId = parse.GetValue(practitioner),
                ExternalSubject = parse.GetValue(subject),
                PasswordHash = hash,
            };
            await directory.SaveAsync(account, cancellationToken);
            Console.WriteLine($"Saved {account.UserName} ({account.Role}).");
            return 0;
        });

        var list = new Command("list", "List the accounts (never their passwords).");
        list.SetAction(async (_, cancellationToken) =>
        {
            await using var services = buildServices();
            foreach (var account in await (await DirectoryAsync(services, cancellationToken)).ListAsync(cancellationToken))
            {
                Console.WriteLine($"{account.UserName}\t{account.Role}\t{account.DisplayName}\twards: {string.Join(' ', account.Wards)}\t{(account.Disabled ? "DISABLED" : "active")}{(account.Demo ? "\tdemo" : "")}");
            }

            return 0;
        });

        var disable = Toggle("disable", "Stop an account signing in (its sessions end within seconds).", disabled: true, user, buildServices);
        var enable = Toggle("enable", "Let a disabled account sign in again and clear any paused sign-in attempts.", disabled: false, user, buildServices);

        var password = new Command("password", "Set a new password, read from standard input; clears any paused sign-in attempts.") { user };
        password.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = buildServices();
            var directory = await DirectoryAsync(services, cancellationToken);
            if (await FindAsync(directory, parse.GetValue(user)!, cancellationToken) is not { } account)
            {
                return 2;
            }

            var text = await ReadPasswordAsync();
            if (PasswordRules.Validate(text) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }

            await directory.SaveAsync(account with { PasswordHash = services.GetRequiredService<PasswordHasher>().Hash(text!) }, cancellationToken);
            await services.GetRequiredService<SignInThrottle>().ClearAsync(account.UserName, null, cancellationToken);
            Console.WriteLine($"Password set for {account.UserName}.");
            return 0;
        });

        return new Command("staff", "Local staff accounts.") { add, list, disable, enable, password };
    }

    private static Command Toggle(string verb, string description, bool disabled, Option<string> user, Func<ServiceProvider> buildServices)
    {
        var command = new Command(verb, description) { user };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = buildServices();
            var directory = await DirectoryAsync(services, cancellationToken);
            if (await FindAsync(directory, parse.GetValue(user)!, cancellationToken) is not { } account)
            {
                return 2;
            }

            await directory.SaveAsync(account with { Disabled = disabled }, cancellationToken);
            await services.GetRequiredService<SignInThrottle>().ClearAsync(account.UserName, null, cancellationToken);
            Console.WriteLine($"{account.UserName} {(disabled ? "disabled" : "enabled")}.");
            return 0;
        });
        return command;
    }

    /// <summary>The account, or null after saying plainly that there is none.</summary>
    private static async Task<StaffAccount?> FindAsync(StaffDirectory directory, string userName, CancellationToken cancellationToken)
    {
        var account = await directory.FindAsync(userName, cancellationToken);
        if (account is null)
        {
            await Console.Error.WriteLineAsync($"There is no account '{userName}'.");
        }

        return account;
    }

    private static async Task<StaffDirectory> DirectoryAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<IResourceStore>().MigrateAsync(cancellationToken);
        return services.GetRequiredService<StaffDirectory>();
    }

    private static async Task<string?> ReadPasswordAsync()
    {
        if (!Console.IsInputRedirected)
        {
            await Console.Error.WriteAsync("Password (input is not hidden; pipe it in to keep it off the screen): ");
        }

        return (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n');
    }
}

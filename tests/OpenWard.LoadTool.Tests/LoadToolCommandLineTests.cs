namespace OpenWard.LoadTool.Tests;

public class LoadToolCommandLineTests
{
    [Theory]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("http://example.org")]
    [InlineData("http://localhost.example.org:8080")]
    [InlineData("http://127.0.0.1.example.org")]
    [InlineData("http://[2001:db8::1]:8080")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("ftp://127.0.0.1")]
    public void A_url_that_is_not_on_this_machine_is_refused(string url)
    {
        var parsed = LoadToolCommandLine.Parse(["--url", url]);

        Assert.Null(parsed.Options);
        Assert.Contains(parsed.Errors, e => e.Contains("loopback", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.2:8080")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://[::1]:8080")]
    public void A_loopback_url_is_accepted(string url)
    {
        var parsed = LoadToolCommandLine.Parse(["--url", url]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(new Uri(url), parsed.Options!.Url);
    }

    [Theory]
    [InlineData("Host=db.example.org;Username=openward")]
    [InlineData("Host=127.0.0.1,10.1.2.3;Username=openward")]
    public void A_postgres_connection_to_another_machine_is_refused(string connection)
    {
        var parsed = LoadToolCommandLine.Parse(["--engine", "Postgres", "--connection", connection]);

        Assert.Null(parsed.Options);
        Assert.Contains(parsed.Errors, e => e.Contains("loopback", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loopback_postgres_connection_is_accepted_and_its_password_is_not_reported()
    {
        var parsed = LoadToolCommandLine.Parse(["--engine", "postgres", "--connection", "Host=127.0.0.1;Port=55434;Username=openward;Password=hunter2"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(Engines.Postgres, parsed.Options!.Engine);
        Assert.DoesNotContain("hunter2", parsed.Options.CommandLine, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_a_connection_is_refused()
    {
        var parsed = LoadToolCommandLine.Parse(["--engine", "Postgres"]);

        Assert.Null(parsed.Options);
        Assert.Contains(parsed.Errors, e => e.Contains("--connection", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_scenario_is_refused()
    {
        var parsed = LoadToolCommandLine.Parse(["--scenarios", "read,stampede"]);

        Assert.Null(parsed.Options);
        Assert.Contains(parsed.Errors, e => e.Contains("stampede", StringComparison.Ordinal));
    }

    [Fact]
    public void Scenarios_run_in_their_fixed_order_whatever_order_they_are_named_in()
    {
        var parsed = LoadToolCommandLine.Parse(["--scenarios", "create,read,floor-read"]);

        Assert.Equal([ScenarioNames.FloorRead, ScenarioNames.Read, ScenarioNames.Create], parsed.Options!.Scenarios);
    }

    [Fact]
    public void The_defaults_are_eight_clients_for_ten_seconds_on_sqlite_in_process()
    {
        var options = LoadToolCommandLine.Parse([]).Options!;

        Assert.Equal(8, options.Clients);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Duration);
        Assert.Equal(Engines.Sqlite, options.Engine);
        Assert.Null(options.Url);
        Assert.Equal(ScenarioNames.All, options.Scenarios);
    }

    [Fact]
    public void Secrets_given_on_the_command_line_are_not_written_into_the_report()
    {
        var parsed = LoadToolCommandLine.Parse(["--url", "http://127.0.0.1:8080", "--client-secret", "s3cret", "--staff-password=hunter2", "--staff-user", "ada"]);

        Assert.Equal("ada", parsed.Options!.StaffUser);
        Assert.Equal("hunter2", parsed.Options.StaffPassword);
        Assert.DoesNotContain("s3cret", parsed.Options.CommandLine, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", parsed.Options.CommandLine, StringComparison.Ordinal);
        Assert.Contains("--client-secret '***' '--staff-password=***'", parsed.Options.CommandLine, StringComparison.Ordinal);
    }
}


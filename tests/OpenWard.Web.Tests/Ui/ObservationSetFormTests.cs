using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class ObservationSetFormTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 14, 5, 37, TimeSpan.Zero);

    private static ObservationSetForm Full() => ObservationSetForm.Blank("p1", Now, London) is var form
        ? Fill(form)
        : throw new InvalidOperationException();

    private static ObservationSetForm Fill(ObservationSetForm form)
    {
        form.RespirationRate = "26";
        form.OxygenSaturation = "91";
        form.AirOrOxygen = "oxygen";
        form.OxygenDevice = "Nasal cannula";
        form.OxygenFlow = "2";
        form.Systolic = "100";
        form.Diastolic = "60";
        form.Pulse = "120";
        form.Consciousness = "A";
        form.Temperature = "38.5";
        return form;
    }

    [Fact]
    public void A_full_set_becomes_one_transaction_of_coded_observations_sharing_one_time_that_News2_reads()
    {
        var form = Full();
        Assert.Empty(form.Validate(Now.AddMinutes(1), London, out var when));
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 14, 5, 37, TimeSpan.Zero), when);

        var bundle = form.ToBundle("p1", when!.Value, new ResourceReference { Display = "Nurse" });

        Assert.Equal(Bundle.BundleType.Transaction, bundle.Type);
        var observations = bundle.Entry.Select(e => (Observation)e.Resource!).ToList();
        Assert.Equal(7, observations.Count);
        Assert.All(observations, o => Assert.Equal(new FhirDateTime(when.Value).Value, Assert.IsType<FhirDateTime>(o.Effective).Value));
        var set = News2Set.Of("p1", when.Value, observations.Select((o, i) => { o.Id = $"o{i}"; return o; }), scale2: false);
        Assert.True(set.Result.IsComplete);
        Assert.Empty(set.Problems);
        Assert.Equal(3 + 3 + 2 + 2 + 2 + 0 + 1, set.Result.Total);
    }

    [Fact]
    public void A_partial_set_is_allowed_and_an_empty_one_is_not()
    {
        var partial = new ObservationSetForm { Date = "8/12/2026", Time = "14:00", Pulse = "80" };
        Assert.Empty(partial.Validate(Now, London, out _));
        Assert.Single(partial.ToBundle("p1", Now, new ResourceReference()).Entry);

        var empty = new ObservationSetForm { Date = "8/12/2026", Time = "14:00" };
        Assert.Contains(empty.Validate(Now, London, out _), e => e.Message == "Enter at least one observation");
    }

    [Theory]
    [InlineData("Pulse", "700", "The pulse must be between 0 and 300 /min")]
    [InlineData("Pulse", "fast", "Enter the pulse as a number, like 72")]
    [InlineData("Temperature", "98.6", "The temperature must be between 10 and 46 °C")]
    [InlineData("OxygenSaturation", "101", "The SpO2 must be between 0 and 100 %")]
    [InlineData("RespirationRate", "18.5", "Enter the respiration rate as a whole number, like 18")]
    public void Impossible_or_unreadable_values_are_field_errors(string field, string value, string message)
    {
        var form = Full();
        typeof(ObservationSetForm).GetProperty(field)!.SetValue(form, value);

        var errors = form.Validate(Now, London, out _);

        Assert.Contains(errors, e => e.Field == field && e.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unusual_value_needs_confirming_and_the_tick_counts_only_for_the_values_it_was_given_for()
    {
        var form = Full();
        form.OxygenSaturation = "78";
        Assert.Empty(form.Validate(Now, London, out _));
        Assert.Single(form.Unusual(), u => u.Field == "OxygenSaturation");
        Assert.False(form.UnusualConfirmed());

        form.ConfirmedValues = form.UnusualKey();
        form.Confirmed = true;
        Assert.True(form.UnusualConfirmed());

        form.OxygenSaturation = "76";
        Assert.False(form.UnusualConfirmed());
    }

    [Fact]
    public void Oxygen_needs_its_flow_and_the_diastolic_must_be_below_the_systolic()
    {
        var form = Full();
        form.OxygenFlow = "";
        form.Diastolic = "110";

        var errors = form.Validate(Now, London, out _);

        Assert.Contains(errors, e => e.Field == "OxygenFlow");
        Assert.Contains(errors, e => e.Field == "Diastolic");
    }

    [Fact]
    public void A_time_typed_by_the_user_is_used_to_the_minute()
    {
        var form = Full();
        form.Time = "13:50";

        Assert.Empty(form.Validate(Now, London, out var when));
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 13, 50, 0, TimeSpan.Zero), when);
    }
}

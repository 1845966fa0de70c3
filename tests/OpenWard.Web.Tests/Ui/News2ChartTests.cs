using System.Xml.Linq;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class News2ChartTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

    private static News2ChartSet Set(int hoursAgo, decimal? pulse = 80, decimal? systolic = 120) => new(Now.AddHours(-hoursAgo))
    {
        Total = 1,
        Response = News2Response.Low,
        Complete = true,
        RespirationRate = 18,
        OxygenSaturation = 95,
        OnOxygen = false,
        Systolic = systolic,
        Diastolic = systolic is null ? null : 70,
        Pulse = pulse,
        Consciousness = Acvpu.Alert,
        Temperature = 37.1m,
    };

    private static XElement Parse(string svg) => XDocument.Parse(svg).Root!;

    private static int Points(XElement svg, string series) =>
        svg.Descendants(Svg + "circle").Count(c => (string?)c.Attribute("class") == "openward-news2-point" && (string?)c.Attribute("data-series") == series);

    [Fact]
    public void The_chart_is_well_formed_svg_with_an_accessible_name()
    {
        var svg = Parse(News2Chart.Render([Set(3), Set(2), Set(1)], London, "NEWS2 chart for SMITH, Ann"));

        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("NEWS2 chart for SMITH, Ann", svg.Element(Svg + "title")!.Value);
        Assert.Contains("3 observation sets", svg.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_series_plots_one_point_per_set_that_measured_it()
    {
        var svg = Parse(News2Chart.Render([Set(4), Set(3, pulse: null), Set(2), Set(1, systolic: null)], London, "chart"));

        Assert.Equal(4, Points(svg, "RespirationRate"));
        Assert.Equal(4, Points(svg, "OxygenSaturation"));
        Assert.Equal(3, Points(svg, "Pulse"));
        Assert.Equal(3, Points(svg, "Systolic"));
        Assert.Equal(4, Points(svg, "Temperature"));
        Assert.Equal(4, Points(svg, "Total"));
    }

    [Fact]
    public void An_empty_chart_is_still_well_formed_and_says_there_is_nothing()
    {
        var svg = Parse(News2Chart.Render([], London, "chart"));

        Assert.Empty(svg.Descendants(Svg + "circle"));
        Assert.Contains("No observation sets", svg.Element(Svg + "desc")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_in_the_chart_is_escaped()
    {
        var text = News2Chart.Render([Set(1)], London, "NEWS2 chart for O'BRIEN <script>alert(1)</script> & Co");

        Assert.DoesNotContain("<script>", text, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", text, StringComparison.Ordinal);
        Assert.Equal("NEWS2 chart for O'BRIEN <script>alert(1)</script> & Co", Parse(text).Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Every_score_band_is_labelled_in_text_so_colour_is_never_the_only_signal()
    {
        var svg = Parse(News2Chart.Render([Set(1)], London, "chart"));
        var bands = svg.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "openward-news2-band").Select(t => t.Value).ToList();

        Assert.Contains("≥25 [3]", bands);
        Assert.Contains("12–20 [0]", bands);
        Assert.Contains("≥7 high [3]", bands);
        Assert.Contains("Air", svg.Descendants(Svg + "text").Select(t => t.Value));
    }

    [Fact]
    public void Sets_are_read_from_observations_grouped_by_time_with_their_score_and_only_the_last_three_days()
    {
        var at = Now.AddHours(-1);
        var old = Now.AddDays(-4);
        var form = new ObservationSetForm { RespirationRate = "26", OxygenSaturation = "93", AirOrOxygen = "oxygen", OxygenFlow = "2", Systolic = "100", Diastolic = "60", Pulse = "120", Consciousness = "V", Temperature = "38.5" };
        var observations = form.ToBundle("p1", at, new ResourceReference { Display = "Nurse" }).Entry.Select(e => (Observation)e.Resource!).ToList();
        for (var i = 0; i < observations.Count; i++)
            observations[i].Id = $"o{i}";
        var set = News2Set.Of("p1", at, observations, scale2: false);
        observations.Add(set.ScoreObservation(Now));
        observations.Add(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept(VitalSigns.Loinc, "8867-4"), Effective = new FhirDateTime(old), Value = new Quantity(70, "/min") });

        var sets = News2Chart.SetsFrom(observations, Now);

        var only = Assert.Single(sets);
        Assert.Equal(at, only.When);
        Assert.Equal(set.Result.Total, only.Total);
        Assert.Equal(News2Response.High, only.Response);
        Assert.Equal(120m, only.Pulse);
        Assert.Equal(60m, only.Diastolic);
        Assert.True(only.OnOxygen);
        Assert.Equal(Acvpu.Voice, only.Consciousness);
    }

    [Fact]
    public void At_most_thirty_sets_are_drawn_the_latest()
    {
        var observations = Enumerable.Range(0, 40).Select(i => new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept(VitalSigns.Loinc, "8867-4"),
            Effective = new FhirDateTime(Now.AddMinutes(-30 * i)),
            Value = new Quantity { Value = 60 + i, Code = "/min", System = VitalSigns.Ucum },
        });

        var sets = News2Chart.SetsFrom(observations, Now);

        Assert.Equal(News2Chart.MaxSets, sets.Count);
        Assert.Equal(Now, sets[^1].When);
        Assert.Equal(29 * 30, (int)(Now - sets[0].When).TotalMinutes);
        Assert.Equal(30, Points(Parse(News2Chart.Render(sets, London, "chart")), "Pulse"));
    }
}

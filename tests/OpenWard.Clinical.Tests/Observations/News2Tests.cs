using OpenWard.Clinical.Observations;

namespace OpenWard.Clinical.Tests.Observations;

/// <summary>
/// NEWS2 against the Royal College of Physicians' chart 1 (scoring) and charts 3 and 4 (response), 2017.
/// Every band edge is tested with its neighbours on both sides; values between the chart's rows
/// (20.5/min, 35.05 °C) score with the row whose upper bound they do not exceed, as News2 documents.
/// </summary>
public sealed class News2Tests
{
    /// <summary>A set that scores 0 in every parameter (scale 1, on air).</summary>
    private static readonly News2Inputs Normal = new(
        RespirationRate: 16,
        OxygenSaturation: 98,
        OnOxygen: false,
        SystolicBloodPressure: 120,
        Pulse: 70,
        Consciousness: Acvpu.Alert,
        Temperature: 37.0m);

    // ---- Chart 1, one parameter at a time: each band edge and its neighbours ----

    [Theory]
    [InlineData(0, 3)]
    [InlineData(7, 3)]
    [InlineData(8, 3)]
    [InlineData(8.5, 1)]
    [InlineData(9, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 1)]
    [InlineData(11.5, 0)]
    [InlineData(12, 0)]
    [InlineData(13, 0)]
    [InlineData(19, 0)]
    [InlineData(20, 0)]
    [InlineData(20.5, 2)]
    [InlineData(21, 2)]
    [InlineData(22, 2)]
    [InlineData(23, 2)]
    [InlineData(24, 2)]
    [InlineData(24.5, 3)]
    [InlineData(25, 3)]
    [InlineData(26, 3)]
    [InlineData(60, 3)]
    public void Respiration_rate_scores_as_chart_1(decimal perMinute, int expected)
    {
        Assert.Equal(expected, News2.RespirationRate(perMinute));
        Assert.Equal(expected, News2.Score(Normal with { RespirationRate = perMinute }).SubScores[News2Parameter.RespirationRate]);
    }

    [Theory]
    [InlineData(70, 3)]
    [InlineData(90, 3)]
    [InlineData(91, 3)]
    [InlineData(91.5, 2)]
    [InlineData(92, 2)]
    [InlineData(93, 2)]
    [InlineData(93.5, 1)]
    [InlineData(94, 1)]
    [InlineData(95, 1)]
    [InlineData(95.5, 0)]
    [InlineData(96, 0)]
    [InlineData(97, 0)]
    [InlineData(100, 0)]
    public void Oxygen_saturation_on_scale_1_scores_as_chart_1(decimal percent, int expected)
    {
        Assert.Equal(expected, News2.OxygenSaturationScale1(percent));
        Assert.Equal(expected, News2.Score(Normal with { OxygenSaturation = percent }).SubScores[News2Parameter.OxygenSaturation]);
    }

    [Theory]
    [InlineData(95, false, 1)]
    [InlineData(95, true, 1)]
    [InlineData(95, null, 1)]
    [InlineData(88, true, 3)]
    public void On_scale_1_oxygen_does_not_change_the_saturation_score(decimal percent, bool? onOxygen, int expected)
    {
        var result = News2.Score(Normal with { OxygenSaturation = percent, OnOxygen = onOxygen });

        Assert.Equal(expected, result.SubScores[News2Parameter.OxygenSaturation]);
        Assert.False(result.Scale2);
    }

    [Theory]
    [InlineData(70, 3)]
    [InlineData(82, 3)]
    [InlineData(83, 3)]
    [InlineData(83.5, 2)]
    [InlineData(84, 2)]
    [InlineData(85, 2)]
    [InlineData(85.5, 1)]
    [InlineData(86, 1)]
    [InlineData(87, 1)]
    [InlineData(87.5, 0)]
    [InlineData(88, 0)]
    [InlineData(89, 0)]
    [InlineData(90, 0)]
    [InlineData(91, 0)]
    [InlineData(92, 0)]
    public void Oxygen_saturation_on_scale_2_up_to_92_scores_the_same_on_air_on_oxygen_or_unknown(decimal percent, int expected)
    {
        Assert.Equal(expected, News2.OxygenSaturationScale2(percent, onOxygen: false));
        Assert.Equal(expected, News2.OxygenSaturationScale2(percent, onOxygen: true));
        Assert.Equal(expected, News2.OxygenSaturationScale2(percent, onOxygen: null));
        Assert.Equal(expected, News2.Score(Normal with { OxygenSaturation = percent, UseScale2 = true }).SubScores[News2Parameter.OxygenSaturation]);
    }

    [Theory]
    [InlineData(92.5)]
    [InlineData(93)]
    [InlineData(94)]
    [InlineData(95)]
    [InlineData(96)]
    [InlineData(97)]
    [InlineData(98)]
    [InlineData(100)]
    public void Oxygen_saturation_on_scale_2_at_or_above_93_on_air_scores_0(decimal percent)
    {
        Assert.Equal(0, News2.OxygenSaturationScale2(percent, onOxygen: false));
    }

    [Theory]
    [InlineData(92, 0)]
    [InlineData(92.5, 1)]
    [InlineData(93, 1)]
    [InlineData(94, 1)]
    [InlineData(94.5, 2)]
    [InlineData(95, 2)]
    [InlineData(96, 2)]
    [InlineData(96.5, 3)]
    [InlineData(97, 3)]
    [InlineData(98, 3)]
    [InlineData(100, 3)]
    public void Oxygen_saturation_on_scale_2_on_oxygen_scores_as_chart_1(decimal percent, int expected)
    {
        Assert.Equal(expected, News2.OxygenSaturationScale2(percent, onOxygen: true));
    }

    [Theory]
    [InlineData(92.5)]
    [InlineData(93)]
    [InlineData(95)]
    [InlineData(97)]
    [InlineData(100)]
    public void Oxygen_saturation_on_scale_2_above_92_with_air_or_oxygen_unknown_cannot_be_scored(decimal percent)
    {
        Assert.Null(News2.OxygenSaturationScale2(percent, onOxygen: null));

        var result = News2.Score(Normal with { OxygenSaturation = percent, OnOxygen = null, UseScale2 = true });

        Assert.False(result.SubScores.ContainsKey(News2Parameter.OxygenSaturation));
        Assert.Equal([News2Parameter.OxygenSaturation, News2Parameter.AirOrOxygen], result.Missing);
        Assert.False(result.IsComplete);
    }

    [Fact]
    public void The_scale_asked_for_is_the_scale_used()
    {
        // 90% on air: 3 on scale 1, 0 on scale 2 (within the 88–92% target).
        var scale1 = News2.Score(Normal with { OxygenSaturation = 90 });
        var scale2 = News2.Score(Normal with { OxygenSaturation = 90, UseScale2 = true });

        Assert.Equal(3, scale1.SubScores[News2Parameter.OxygenSaturation]);
        Assert.False(scale1.Scale2);
        Assert.Equal(0, scale2.SubScores[News2Parameter.OxygenSaturation]);
        Assert.True(scale2.Scale2);
    }

    [Fact]
    public void On_scale_2_at_97_percent_on_oxygen_scores_3_for_saturation_and_2_for_oxygen()
    {
        var result = News2.Score(Normal with { OxygenSaturation = 97, OnOxygen = true, UseScale2 = true });

        Assert.Equal(3, result.SubScores[News2Parameter.OxygenSaturation]);
        Assert.Equal(2, result.SubScores[News2Parameter.AirOrOxygen]);
        Assert.Equal(5, result.Total);
        Assert.Equal(News2Response.Medium, result.Response);
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 0)]
    public void Air_scores_0_and_oxygen_scores_2(bool onOxygen, int expected)
    {
        Assert.Equal(expected, News2.Score(Normal with { OnOxygen = onOxygen }).SubScores[News2Parameter.AirOrOxygen]);
        Assert.Equal(expected, News2.Score(Normal with { OnOxygen = onOxygen, UseScale2 = true }).SubScores[News2Parameter.AirOrOxygen]);
    }

    [Theory]
    [InlineData(50, 3)]
    [InlineData(89, 3)]
    [InlineData(90, 3)]
    [InlineData(90.5, 2)]
    [InlineData(91, 2)]
    [InlineData(92, 2)]
    [InlineData(99, 2)]
    [InlineData(100, 2)]
    [InlineData(100.5, 1)]
    [InlineData(101, 1)]
    [InlineData(102, 1)]
    [InlineData(109, 1)]
    [InlineData(110, 1)]
    [InlineData(110.5, 0)]
    [InlineData(111, 0)]
    [InlineData(112, 0)]
    [InlineData(218, 0)]
    [InlineData(219, 0)]
    [InlineData(219.5, 3)]
    [InlineData(220, 3)]
    [InlineData(221, 3)]
    [InlineData(280, 3)]
    public void Systolic_blood_pressure_scores_as_chart_1(decimal mmHg, int expected)
    {
        Assert.Equal(expected, News2.SystolicBloodPressure(mmHg));
        Assert.Equal(expected, News2.Score(Normal with { SystolicBloodPressure = mmHg }).SubScores[News2Parameter.SystolicBloodPressure]);
    }

    [Theory]
    [InlineData(20, 3)]
    [InlineData(39, 3)]
    [InlineData(40, 3)]
    [InlineData(40.5, 1)]
    [InlineData(41, 1)]
    [InlineData(42, 1)]
    [InlineData(49, 1)]
    [InlineData(50, 1)]
    [InlineData(50.5, 0)]
    [InlineData(51, 0)]
    [InlineData(52, 0)]
    [InlineData(89, 0)]
    [InlineData(90, 0)]
    [InlineData(90.5, 1)]
    [InlineData(91, 1)]
    [InlineData(92, 1)]
    [InlineData(109, 1)]
    [InlineData(110, 1)]
    [InlineData(110.5, 2)]
    [InlineData(111, 2)]
    [InlineData(112, 2)]
    [InlineData(129, 2)]
    [InlineData(130, 2)]
    [InlineData(130.5, 3)]
    [InlineData(131, 3)]
    [InlineData(132, 3)]
    [InlineData(200, 3)]
    public void Pulse_scores_as_chart_1(decimal perMinute, int expected)
    {
        Assert.Equal(expected, News2.Pulse(perMinute));
        Assert.Equal(expected, News2.Score(Normal with { Pulse = perMinute }).SubScores[News2Parameter.Pulse]);
    }

    [Theory]
    [InlineData(Acvpu.Alert, 0)]
    [InlineData(Acvpu.NewConfusion, 3)]
    [InlineData(Acvpu.Voice, 3)]
    [InlineData(Acvpu.Pain, 3)]
    [InlineData(Acvpu.Unresponsive, 3)]
    public void Consciousness_scores_0_when_alert_and_3_otherwise(Acvpu level, int expected)
    {
        Assert.Equal(expected, News2.Score(Normal with { Consciousness = level }).SubScores[News2Parameter.Consciousness]);
    }

    [Fact]
    public void New_confusion_alone_scores_3_and_calls_for_the_low_medium_response()
    {
        var confused = News2.Score(Normal with { Consciousness = Acvpu.NewConfusion });
        var alert = News2.Score(Normal);

        Assert.Equal(3, confused.SubScores[News2Parameter.Consciousness]);
        Assert.Equal(3, confused.Total);
        Assert.True(confused.HasRedScore);
        Assert.Equal(News2Response.LowMedium, confused.Response);
        Assert.Equal(0, alert.SubScores[News2Parameter.Consciousness]);
        Assert.Equal(News2Response.Routine, alert.Response);
    }

    [Theory]
    [InlineData(30.0, 3)]
    [InlineData(34.9, 3)]
    [InlineData(35.0, 3)]
    [InlineData(35.05, 1)]
    [InlineData(35.1, 1)]
    [InlineData(35.2, 1)]
    [InlineData(35.9, 1)]
    [InlineData(36.0, 1)]
    [InlineData(36.05, 0)]
    [InlineData(36.1, 0)]
    [InlineData(36.2, 0)]
    [InlineData(37.5, 0)]
    [InlineData(37.9, 0)]
    [InlineData(38.0, 0)]
    [InlineData(38.05, 1)]
    [InlineData(38.1, 1)]
    [InlineData(38.2, 1)]
    [InlineData(38.9, 1)]
    [InlineData(39.0, 1)]
    [InlineData(39.05, 2)]
    [InlineData(39.1, 2)]
    [InlineData(39.2, 2)]
    [InlineData(42.0, 2)]
    public void Temperature_scores_as_chart_1(decimal celsius, int expected)
    {
        Assert.Equal(expected, News2.Temperature(celsius));
        Assert.Equal(expected, News2.Score(Normal with { Temperature = celsius }).SubScores[News2Parameter.Temperature]);
    }

    // ---- The same chart written independently as rows, checked at every point of its grid ----

    [Fact]
    public void Every_whole_number_and_every_tenth_of_a_degree_scores_as_the_chart_row_that_contains_it()
    {
        for (var v = 0; v <= 300; v++)
        {
            Assert.True(Chart.RespirationRate(v) == News2.RespirationRate(v), $"respiration rate {v}");
            Assert.True(Chart.SystolicBloodPressure(v) == News2.SystolicBloodPressure(v), $"systolic {v}");
            Assert.True(Chart.Pulse(v) == News2.Pulse(v), $"pulse {v}");
        }

        for (var v = 0; v <= 100; v++)
        {
            Assert.True(Chart.Scale1(v) == News2.OxygenSaturationScale1(v), $"SpO2 scale 1 {v}");
            foreach (var onOxygen in new bool?[] { false, true, null })
                Assert.True(Chart.Scale2(v, onOxygen) == News2.OxygenSaturationScale2(v, onOxygen), $"SpO2 scale 2 {v} oxygen {onOxygen}");
        }

        for (var tenths = 250; tenths <= 450; tenths++)
        {
            var celsius = tenths / 10m;
            Assert.True(Chart.Temperature(celsius) == News2.Temperature(celsius), $"temperature {celsius}");
        }
    }

    // ---- Charts 3 and 4: the response ----

    [Theory]
    [InlineData(0, false, News2Response.Routine)]
    [InlineData(1, false, News2Response.Low)]
    [InlineData(2, false, News2Response.Low)]
    [InlineData(3, false, News2Response.Low)]
    [InlineData(4, false, News2Response.Low)]
    [InlineData(3, true, News2Response.LowMedium)]
    [InlineData(4, true, News2Response.LowMedium)]
    [InlineData(5, false, News2Response.Medium)]
    [InlineData(5, true, News2Response.Medium)]
    [InlineData(6, false, News2Response.Medium)]
    [InlineData(6, true, News2Response.Medium)]
    [InlineData(7, false, News2Response.High)]
    [InlineData(7, true, News2Response.High)]
    [InlineData(8, true, News2Response.High)]
    [InlineData(20, true, News2Response.High)]
    public void The_response_follows_charts_3_and_4(int total, bool redScore, News2Response expected)
    {
        Assert.Equal(expected, News2.ResponseFor(total, redScore));
    }

    [Fact]
    public void A_total_of_3_from_one_parameter_is_low_medium()
    {
        var result = News2.Score(Normal with { RespirationRate = 8 });

        Assert.Equal(3, result.Total);
        Assert.True(result.HasRedScore);
        Assert.Equal(News2Response.LowMedium, result.Response);
    }

    [Fact]
    public void A_total_of_3_from_three_parameters_scoring_1_is_low()
    {
        // Respiration 10 (1), pulse 95 (1), temperature 38.5 (1).
        var result = News2.Score(Normal with { RespirationRate = 10, Pulse = 95, Temperature = 38.5m });

        Assert.Equal(3, result.Total);
        Assert.Equal(new[] { 1, 1, 1 }, result.SubScores.Values.Where(s => s > 0));
        Assert.False(result.HasRedScore);
        Assert.Equal(News2Response.Low, result.Response);
    }

    [Fact]
    public void A_total_of_5_with_a_3_is_medium_not_low_medium()
    {
        // Systolic 90 (3), oxygen (2).
        var result = News2.Score(Normal with { SystolicBloodPressure = 90, OnOxygen = true });

        Assert.Equal(5, result.Total);
        Assert.True(result.HasRedScore);
        Assert.Equal(News2Response.Medium, result.Response);
    }

    [Fact]
    public void A_total_of_7_is_high()
    {
        // Respiration 25 (3), SpO2 93 (2), oxygen (2).
        var result = News2.Score(Normal with { RespirationRate = 25, OxygenSaturation = 93, OnOxygen = true });

        Assert.Equal(7, result.Total);
        Assert.Equal(News2Response.High, result.Response);
    }

    [Fact]
    public void A_set_scoring_0_everywhere_is_routine_and_complete()
    {
        var result = News2.Score(Normal);

        Assert.Equal(0, result.Total);
        Assert.True(result.IsComplete);
        Assert.Empty(result.Missing);
        Assert.Equal(7, result.SubScores.Count);
        Assert.False(result.HasRedScore);
        Assert.Equal(News2Response.Routine, result.Response);
    }

    [Fact]
    public void The_worst_possible_set_scores_20()
    {
        var result = News2.Score(new News2Inputs(
            RespirationRate: 30, OxygenSaturation: 85, OnOxygen: true, SystolicBloodPressure: 80,
            Pulse: 140, Consciousness: Acvpu.Unresponsive, Temperature: 34.0m));

        Assert.Equal(20, result.Total);
        Assert.Equal(News2Response.High, result.Response);
    }

    [Theory]
    [InlineData(News2Response.Routine, 12)]
    [InlineData(News2Response.Low, 4)]
    [InlineData(News2Response.LowMedium, 1)]
    [InlineData(News2Response.Medium, 1)]
    [InlineData(News2Response.High, null)]
    public void Each_response_has_its_chart_4_observation_interval(News2Response response, int? hours)
    {
        // High is continuous monitoring: no interval.
        Assert.Equal(hours is { } h ? (TimeSpan?)TimeSpan.FromHours(h) : null, News2.ObservationInterval(response));
    }

    // ---- Missing parameters ----

    [Fact]
    public void A_partial_set_lists_exactly_the_missing_parameters_and_totals_the_present_ones()
    {
        // Respiration 22 (2), pulse 120 (2), temperature 35.5 (1); the rest not measured.
        var result = News2.Score(new News2Inputs(RespirationRate: 22, Pulse: 120, Temperature: 35.5m));

        Assert.Equal(
            [News2Parameter.OxygenSaturation, News2Parameter.AirOrOxygen, News2Parameter.SystolicBloodPressure, News2Parameter.Consciousness],
            result.Missing);
        Assert.Equal(
            [News2Parameter.RespirationRate, News2Parameter.Pulse, News2Parameter.Temperature],
            result.SubScores.Keys.Order());
        Assert.False(result.IsComplete);
        Assert.Equal(5, result.Total);
        Assert.Equal(News2Response.Medium, result.Response);
    }

    [Theory]
    [InlineData(News2Parameter.RespirationRate)]
    [InlineData(News2Parameter.OxygenSaturation)]
    [InlineData(News2Parameter.AirOrOxygen)]
    [InlineData(News2Parameter.SystolicBloodPressure)]
    [InlineData(News2Parameter.Pulse)]
    [InlineData(News2Parameter.Consciousness)]
    [InlineData(News2Parameter.Temperature)]
    public void One_parameter_left_out_is_the_only_one_missing(News2Parameter left)
    {
        var inputs = left switch
        {
            News2Parameter.RespirationRate => Normal with { RespirationRate = null },
            News2Parameter.OxygenSaturation => Normal with { OxygenSaturation = null },
            News2Parameter.AirOrOxygen => Normal with { OnOxygen = null },
            News2Parameter.SystolicBloodPressure => Normal with { SystolicBloodPressure = null },
            News2Parameter.Pulse => Normal with { Pulse = null },
            News2Parameter.Consciousness => Normal with { Consciousness = null },
            _ => Normal with { Temperature = null },
        };

        var result = News2.Score(inputs);

        Assert.Equal([left], result.Missing);
        Assert.False(result.SubScores.ContainsKey(left));
        Assert.Equal(6, result.SubScores.Count);
        Assert.False(result.IsComplete);
    }

    [Fact]
    public void An_empty_set_is_missing_all_seven_parameters_in_chart_order()
    {
        var result = News2.Score(new News2Inputs());

        Assert.Equal(
            [
                News2Parameter.RespirationRate, News2Parameter.OxygenSaturation, News2Parameter.AirOrOxygen,
                News2Parameter.SystolicBloodPressure, News2Parameter.Pulse, News2Parameter.Consciousness, News2Parameter.Temperature,
            ],
            result.Missing);
        Assert.Empty(result.SubScores);
        Assert.Equal(0, result.Total);
        Assert.False(result.IsComplete);
        Assert.False(result.HasRedScore);
    }

    [Fact]
    public void Scoring_nothing_at_all_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => News2.Score(null!));
    }

    // ---- Generated inputs ----

    [Fact]
    public void Random_complete_sets_total_their_parameter_scores_and_get_the_chart_response()
    {
        var random = new Random(20171219);
        for (var i = 0; i < 5000; i++)
        {
            var inputs = new News2Inputs(
                RespirationRate: random.Next(0, 61),
                OxygenSaturation: random.Next(60, 101),
                OnOxygen: random.Next(2) == 1,
                SystolicBloodPressure: random.Next(50, 281),
                Pulse: random.Next(20, 201),
                Consciousness: (Acvpu)random.Next(0, 5),
                Temperature: random.Next(300, 431) / 10m,
                UseScale2: random.Next(4) == 0);

            var result = News2.Score(inputs);

            var byFunctions = News2.RespirationRate(inputs.RespirationRate!.Value)
                + (inputs.UseScale2
                    ? News2.OxygenSaturationScale2(inputs.OxygenSaturation!.Value, inputs.OnOxygen)!.Value
                    : News2.OxygenSaturationScale1(inputs.OxygenSaturation!.Value))
                + (inputs.OnOxygen!.Value ? 2 : 0)
                + News2.SystolicBloodPressure(inputs.SystolicBloodPressure!.Value)
                + News2.Pulse(inputs.Pulse!.Value)
                + (inputs.Consciousness == Acvpu.Alert ? 0 : 3)
                + News2.Temperature(inputs.Temperature!.Value);

            int[] byChart =
            [
                Chart.RespirationRate((int)inputs.RespirationRate.Value),
                inputs.UseScale2
                    ? Chart.Scale2((int)inputs.OxygenSaturation.Value, inputs.OnOxygen)!.Value
                    : Chart.Scale1((int)inputs.OxygenSaturation.Value),
                inputs.OnOxygen.Value ? 2 : 0,
                Chart.SystolicBloodPressure((int)inputs.SystolicBloodPressure.Value),
                Chart.Pulse((int)inputs.Pulse.Value),
                inputs.Consciousness == Acvpu.Alert ? 0 : 3,
                Chart.Temperature(inputs.Temperature.Value),
            ];

            var context = $"set {i}: {inputs}";
            Assert.True(result.IsComplete, context);
            Assert.True(byFunctions == result.Total, context);
            Assert.True(byChart.Sum() == result.Total, context);
            Assert.InRange(result.Total, 0, 20);
            Assert.True(Chart.Response(byChart) == result.Response, context);
        }
    }

    /// <summary>
    /// RCP NEWS2 chart 1 and charts 3/4 transcribed as rows, independently of News2's code, for values on
    /// the chart's grid (whole numbers; temperature in tenths of a degree).
    /// </summary>
    private static class Chart
    {
        public static int RespirationRate(int v) => Row(v, (int.MinValue, 8, 3), (9, 11, 1), (12, 20, 0), (21, 24, 2), (25, int.MaxValue, 3));

        public static int Scale1(int v) => Row(v, (int.MinValue, 91, 3), (92, 93, 2), (94, 95, 1), (96, int.MaxValue, 0));

        public static int? Scale2(int v, bool? onOxygen)
        {
            if (v <= 92)
                return Row(v, (int.MinValue, 83, 3), (84, 85, 2), (86, 87, 1), (88, 92, 0));
            return onOxygen switch
            {
                null => null,
                false => 0,
                true => Row(v, (93, 94, 1), (95, 96, 2), (97, int.MaxValue, 3)),
            };
        }

        public static int SystolicBloodPressure(int v) => Row(v, (int.MinValue, 90, 3), (91, 100, 2), (101, 110, 1), (111, 219, 0), (220, int.MaxValue, 3));

        public static int Pulse(int v) => Row(v, (int.MinValue, 40, 3), (41, 50, 1), (51, 90, 0), (91, 110, 1), (111, 130, 2), (131, int.MaxValue, 3));

        public static int Temperature(decimal celsius)
        {
            Assert.Equal(celsius, decimal.Round(celsius, 1)); // on the chart's grid
            return Row((int)(celsius * 10), (int.MinValue, 350, 3), (351, 360, 1), (361, 380, 0), (381, 390, 1), (391, int.MaxValue, 2));
        }

        public static News2Response Response(IReadOnlyCollection<int> subScores)
        {
            var total = subScores.Sum();
            if (total >= 7)
                return News2Response.High;
            if (total >= 5)
                return News2Response.Medium;
            if (total >= 1 && subScores.Contains(3))
                return News2Response.LowMedium;
            if (total >= 1)
                return News2Response.Low;
            return News2Response.Routine;
        }

        private static int Row(int v, params (int From, int To, int Score)[] rows) =>
            rows.Single(r => v >= r.From && v <= r.To).Score;
    }
}

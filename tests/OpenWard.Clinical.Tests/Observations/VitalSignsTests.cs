using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;

namespace OpenWard.Clinical.Tests.Observations;

/// <summary>
/// Reading NEWS2 inputs from UK Core coded Observations. The first tests rebuild, in code, the vital signs of
/// UK Core R4 2.0.0's UKCore-Bundle-NEWS2Observations-Example (same ids, codes, values and units).
/// </summary>
public sealed class VitalSignsTests
{
    private const string RespirationId = "dbf6ec86-ebd7-4490-8586-596328519ed2";
    private const string HeartRateId = "f0d26102-3a50-4993-9203-6089b625fc2f";
    private const string SaturationId = "1a1273f4-dd78-4bb4-bb98-ed6456caa2a2";
    private const string RoomAirId = "c756fd32-f04e-45a9-b02f-2461ed53c736";
    private const string TemperatureId = "5a1625e8-938e-4c19-9d3e-a235bfb4b37d";
    private const string BloodPressureId = "638c6821-eb51-4f1b-b8c0-5269d1df9b7c";
    private const string AcvpuId = "fc6c6fa5-d8e8-4634-a19a-985325077cb2";

    // ---- The UK Core example, one Observation at a time ----

    [Fact]
    public void The_example_respiratory_rate_is_read_as_21_per_minute()
    {
        var reading = Assert.Single(ReadClean(ExampleRespiration()));

        Assert.Equal(News2Parameter.RespirationRate, reading.Parameter);
        Assert.Equal(21m, reading.Number);
        Assert.Equal($"Observation/{RespirationId}", reading.Source);
    }

    [Fact]
    public void The_example_heart_rate_is_read_as_a_pulse_of_95()
    {
        var reading = Assert.Single(ReadClean(ExampleHeartRate()));

        Assert.Equal(News2Parameter.Pulse, reading.Parameter);
        Assert.Equal(95m, reading.Number);
        Assert.Equal($"Observation/{HeartRateId}", reading.Source);
    }

    [Fact]
    public void The_example_saturation_is_read_as_93_percent_and_says_nothing_of_air_or_oxygen()
    {
        var reading = Assert.Single(ReadClean(ExampleSaturation()));

        Assert.Equal(News2Parameter.OxygenSaturation, reading.Parameter);
        Assert.Equal(93m, reading.Number);
        Assert.Null(reading.OnOxygen);
    }

    [Fact]
    public void The_example_breathing_room_air_observation_without_a_value_is_read_as_air()
    {
        var reading = Assert.Single(ReadClean(ExampleRoomAir()));

        Assert.Equal(News2Parameter.AirOrOxygen, reading.Parameter);
        Assert.False(reading.OnOxygen);
        Assert.Null(reading.Number);
        Assert.Equal($"Observation/{RoomAirId}", reading.Source);
    }

    [Fact]
    public void The_example_temperature_is_read_as_37_point_5_degrees()
    {
        var reading = Assert.Single(ReadClean(ExampleTemperature()));

        Assert.Equal(News2Parameter.Temperature, reading.Parameter);
        Assert.Equal(37.5m, reading.Number);
    }

    [Fact]
    public void The_example_blood_pressure_panel_gives_its_systolic_component_and_ignores_the_diastolic()
    {
        var reading = Assert.Single(ReadClean(ExampleBloodPressure()));

        Assert.Equal(News2Parameter.SystolicBloodPressure, reading.Parameter);
        Assert.Equal(120m, reading.Number);
        Assert.Equal($"Observation/{BloodPressureId}", reading.Source);
    }

    [Fact]
    public void The_example_acvpu_mentally_alert_is_read_as_alert()
    {
        var reading = Assert.Single(ReadClean(ExampleAcvpu()));

        Assert.Equal(News2Parameter.Consciousness, reading.Parameter);
        Assert.Equal(Acvpu.Alert, reading.Consciousness);
        Assert.Equal($"Observation/{AcvpuId}", reading.Source);
    }

    [Fact]
    public void Every_example_vital_sign_is_a_news2_input_and_none_is_a_news2_total()
    {
        foreach (var observation in ExampleVitalSigns())
        {
            Assert.True(VitalSigns.IsInput(observation), observation.Id);
            Assert.False(VitalSigns.IsNews2Total(observation), observation.Id);
        }
    }

    [Fact]
    public void The_example_set_is_complete_and_scores_5_not_the_6_the_example_claims()
    {
        var readings = ExampleVitalSigns().SelectMany(ReadClean).ToList();

        Assert.Equal(7, readings.Count);
        Assert.Equal(Enum.GetValues<News2Parameter>(), readings.Select(r => r.Parameter).Order());

        var result = News2.Score(Inputs(readings));

        Assert.True(result.IsComplete);
        Assert.Equal(2, result.SubScores[News2Parameter.RespirationRate]); // 21/min
        Assert.Equal(2, result.SubScores[News2Parameter.OxygenSaturation]); // 93% on scale 1
        Assert.Equal(0, result.SubScores[News2Parameter.AirOrOxygen]); // room air
        Assert.Equal(0, result.SubScores[News2Parameter.SystolicBloodPressure]); // 120 mmHg
        Assert.Equal(1, result.SubScores[News2Parameter.Pulse]); // 95/min
        Assert.Equal(0, result.SubScores[News2Parameter.Consciousness]); // alert

        // The UK Core example's score Observation gives temperature 37.5 °C a sub-score of 1 and totals 6.
        // RCP chart 1 scores 36.1–38.0 °C as 0, so OpenWard deliberately gives 0 and a total of 5: the
        // example is wrong, not the chart.
        Assert.Equal(0, result.SubScores[News2Parameter.Temperature]);
        Assert.Equal(5, result.Total);
        Assert.Equal(News2Response.Medium, result.Response);
    }

    [Fact]
    public void The_example_total_score_observation_is_recognised_as_a_news2_total_and_is_not_an_input()
    {
        var total = Observation("21344a45-2660-45d1-9fb3-49e54d14b662", Sct(VitalSigns.News2TotalCode, "Royal College of Physicians NEWS2 (National Early Warning Score 2) total score"));
        total.Value = Quantity(6, "{ScoreOf}", "ScoreOf");
        total.Component.Add(new Observation.ComponentComponent
        {
            Code = new CodeableConcept { Coding = [Sct("1104371000000107", "Royal College of Physicians NEWS2 (National Early Warning Score 2) - temperature score")] },
            Value = Quantity(1, "{ScoreOf}", "ScoreOf"),
        });

        Assert.True(VitalSigns.IsNews2Total(total));
        Assert.False(VitalSigns.IsInput(total));
        Assert.Empty(ReadClean(total));
    }

    [Fact]
    public void The_news2_total_code_in_another_system_is_not_a_news2_total()
    {
        var local = Observation("x", new Coding("http://example.org/local", VitalSigns.News2TotalCode));

        Assert.False(VitalSigns.IsNews2Total(local));
    }

    [Fact]
    public void Respiration_rate_coded_only_in_an_unknown_system_is_not_read()
    {
        var local = Observation("x", new Coding("http://example.org/local", "9279-1"));
        local.Value = Quantity(18, "/min", "per minute");

        Assert.Empty(ReadClean(local));
        Assert.False(VitalSigns.IsInput(local));
    }

    [Fact]
    public void A_vital_sign_without_a_value_gives_no_reading_and_no_problem_but_is_still_an_input()
    {
        var pending = Observation("x", Loinc("9279-1", "Respiratory rate"));

        Assert.Empty(ReadClean(pending));
        Assert.True(VitalSigns.IsInput(pending));
    }

    // ---- Units ----

    [Theory]
    [InlineData(99.5, 37.5)]
    [InlineData(95.0, 35.0)]
    [InlineData(96.8, 36.0)]
    [InlineData(100.4, 38.0)]
    [InlineData(102.2, 39.0)]
    [InlineData(98.6, 37.0)]
    public void A_temperature_in_fahrenheit_is_converted_to_celsius(decimal fahrenheit, decimal celsius)
    {
        var observation = Observation("t", Loinc("8310-5", "Body temperature"));
        observation.Value = Quantity(fahrenheit, "[degF]", "degree Fahrenheit");

        var reading = Assert.Single(ReadClean(observation));

        Assert.Equal(News2Parameter.Temperature, reading.Parameter);
        Assert.Equal(celsius, reading.Number);
    }

    [Fact]
    public void A_fahrenheit_temperature_scores_by_its_celsius_band()
    {
        var observation = Observation("t", Loinc("8310-5", "Body temperature"));
        observation.Value = Quantity(95.0m, "[degF]", "degree Fahrenheit"); // 35.0 °C

        var reading = Assert.Single(ReadClean(observation));

        Assert.Equal(3, News2.Temperature(reading.Number!.Value));
    }

    [Theory]
    [InlineData("8310-5", "K", 310.65, "temperature")]
    [InlineData("8310-5", "mm[Hg]", 37, "temperature")]
    [InlineData("9279-1", "/h", 1200, "respiration rate")]
    [InlineData("8867-4", "Hz", 1.5, "pulse")]
    [InlineData("2708-6", "1", 0.95, "SpO2")]
    [InlineData("8480-6", "kPa", 16, "systolic blood pressure")]
    public void A_value_in_a_unit_news2_does_not_use_is_a_problem_and_gives_no_reading(string loinc, string unit, decimal value, string named)
    {
        var observation = Observation("u", Loinc(loinc, named));
        observation.Value = Quantity(value, unit, unit);

        var readings = VitalSigns.Read(observation, out var problems);

        Assert.Empty(readings);
        var problem = Assert.Single(problems);
        Assert.Contains("Observation/u", problem, StringComparison.Ordinal);
        Assert.Contains(named, problem, StringComparison.Ordinal);
        Assert.Contains($"'{unit}'", problem, StringComparison.Ordinal);
        Assert.True(VitalSigns.IsInput(observation));
    }

    [Fact]
    public void A_systolic_component_in_an_unknown_unit_is_a_problem()
    {
        var panel = ExampleBloodPressure();
        panel.Component[0].Value = Quantity(16, "kPa", "kilopascal");

        var readings = VitalSigns.Read(panel, out var problems);

        Assert.Empty(readings);
        Assert.Contains("systolic blood pressure", Assert.Single(problems), StringComparison.Ordinal);
    }

    // ---- Consciousness ----

    [Theory]
    [InlineData("248234008", Acvpu.Alert)]
    [InlineData("130987000", Acvpu.NewConfusion)]
    [InlineData("300202002", Acvpu.Voice)]
    [InlineData("450847001", Acvpu.Pain)]
    [InlineData("422768004", Acvpu.Unresponsive)]
    public void Each_code_of_the_uk_core_acvpu_value_set_is_read(string code, Acvpu expected)
    {
        var observation = AcvpuObservation(new Coding(VitalSigns.Snomed, code));

        var reading = Assert.Single(ReadClean(observation));

        Assert.Equal(expected, reading.Consciousness);
    }

    [Fact]
    public void An_acvpu_coded_new_confusion_scores_3()
    {
        var reading = Assert.Single(ReadClean(AcvpuObservation(new Coding(VitalSigns.Snomed, "130987000", "Acute confusion"))));

        var result = News2.Score(new News2Inputs(Consciousness: reading.Consciousness));

        Assert.Equal(3, result.SubScores[News2Parameter.Consciousness]);
    }

    [Theory]
    [InlineData(VitalSigns.Snomed, "286933003")] // confusional state: not in the value set (130987000 acute confusion is)
    [InlineData(VitalSigns.Snomed, "248233002")] // another SNOMED concept
    [InlineData("http://example.org/acvpu", "A")] // a local code
    [InlineData("http://example.org/acvpu", "248234008")] // the right code in the wrong system
    public void An_acvpu_coded_outside_the_value_set_is_a_problem_and_gives_no_reading(string system, string code)
    {
        var observation = AcvpuObservation(new Coding(system, code));

        var readings = VitalSigns.Read(observation, out var problems);

        Assert.Empty(readings);
        var problem = Assert.Single(problems);
        Assert.Contains($"Observation/{AcvpuId}", problem, StringComparison.Ordinal);
        Assert.Contains("ACVPU", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_acvpu_with_one_coding_in_the_value_set_among_others_is_read()
    {
        var observation = AcvpuObservation(new Coding("http://example.org/acvpu", "V"), new Coding(VitalSigns.Snomed, "300202002", "Responds to voice"));

        Assert.Equal(Acvpu.Voice, Assert.Single(ReadClean(observation)).Consciousness);
    }

    // ---- Air or oxygen ----

    [Fact]
    public void Patient_on_oxygen_as_the_code_gives_oxygen()
    {
        var observation = Observation("o2", Sct(VitalSigns.PatientOnOxygen, "Patient on oxygen"));

        var reading = Assert.Single(ReadClean(observation));

        Assert.Equal(News2Parameter.AirOrOxygen, reading.Parameter);
        Assert.True(reading.OnOxygen);
    }

    [Fact]
    public void Patient_on_oxygen_as_the_value_gives_oxygen()
    {
        var observation = Observation("o2", new Coding("http://example.org/local", "respiratory-support"));
        observation.Value = new CodeableConcept { Coding = [Sct(VitalSigns.PatientOnOxygen, "Patient on oxygen")] };

        Assert.True(Assert.Single(ReadClean(observation)).OnOxygen);
    }

    [Fact]
    public void An_inhaled_oxygen_flow_of_2_litres_per_minute_on_a_pulse_oximetry_observation_gives_oxygen()
    {
        var oximetry = Observation("ox", Loinc("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"), Loinc("2708-6", "Oxygen saturation in Arterial blood"));
        oximetry.Value = Quantity(94, "%", "percent");
        oximetry.Component.Add(new Observation.ComponentComponent
        {
            Code = new CodeableConcept { Coding = [Loinc("3151-8", "Inhaled oxygen flow rate")] },
            Value = Quantity(2, "L/min", "liters per minute"),
        });

        var readings = ReadClean(oximetry);

        Assert.Equal(2, readings.Count);
        Assert.Equal(94m, Assert.Single(readings, r => r.Parameter == News2Parameter.OxygenSaturation).Number);
        Assert.True(Assert.Single(readings, r => r.Parameter == News2Parameter.AirOrOxygen).OnOxygen);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(0.5, true)]
    [InlineData(0, false)]
    public void An_inhaled_oxygen_flow_observation_says_oxygen_when_above_zero(decimal litresPerMinute, bool onOxygen)
    {
        var flow = Observation("flow", Loinc("3151-8", "Inhaled oxygen flow rate"));
        flow.Value = Quantity(litresPerMinute, "L/min", "liters per minute");

        Assert.Equal(onOxygen, Assert.Single(ReadClean(flow)).OnOxygen);
    }

    [Theory]
    [InlineData(21, false)]
    [InlineData(28, true)]
    public void An_inhaled_oxygen_concentration_above_room_air_says_oxygen(decimal percent, bool onOxygen)
    {
        var concentration = Observation("fio2", Loinc("3150-0", "Inhaled oxygen concentration"));
        concentration.Value = Quantity(percent, "%", "percent");

        Assert.Equal(onOxygen, Assert.Single(ReadClean(concentration)).OnOxygen);
    }

    [Fact]
    public void A_saturation_coded_on_supplemental_oxygen_gives_both_saturation_and_oxygen()
    {
        var observation = Observation("sat", Sct("1097821000000100", "Oxygen saturation at periphery on supplemental oxygen"));
        observation.Value = Quantity(95, "%", "percent");

        var readings = ReadClean(observation);

        Assert.Equal(2, readings.Count);
        Assert.Equal(95m, Assert.Single(readings, r => r.Parameter == News2Parameter.OxygenSaturation).Number);
        Assert.True(Assert.Single(readings, r => r.Parameter == News2Parameter.AirOrOxygen).OnOxygen);
    }

    [Fact]
    public void A_saturation_coded_on_room_air_gives_both_saturation_and_air()
    {
        var observation = Observation("sat", Sct("1097811000000106", "Oxygen saturation at periphery on room air"));
        observation.Value = Quantity(97, "%", "percent");

        var readings = ReadClean(observation);

        Assert.Equal(2, readings.Count);
        Assert.Equal(97m, Assert.Single(readings, r => r.Parameter == News2Parameter.OxygenSaturation).Number);
        Assert.False(Assert.Single(readings, r => r.Parameter == News2Parameter.AirOrOxygen).OnOxygen);
    }

    // ---- Sub-score codes ----

    [Theory]
    [InlineData(News2Parameter.RespirationRate, false, "1104301000000104")]
    [InlineData(News2Parameter.OxygenSaturation, false, "1104311000000102")]
    [InlineData(News2Parameter.OxygenSaturation, true, "1104321000000108")]
    [InlineData(News2Parameter.AirOrOxygen, false, "1104331000000105")]
    [InlineData(News2Parameter.SystolicBloodPressure, false, "1104341000000101")]
    [InlineData(News2Parameter.Pulse, false, "1104351000000103")]
    [InlineData(News2Parameter.Consciousness, false, "1104361000000100")]
    [InlineData(News2Parameter.Temperature, false, "1104371000000107")]
    public void Each_sub_score_has_its_snomed_code(News2Parameter parameter, bool scale2, string code)
    {
        Assert.Equal(code, VitalSigns.SubScoreCode(parameter, scale2));
    }

    [Fact]
    public void Only_the_saturation_sub_score_code_depends_on_the_scale()
    {
        foreach (var parameter in Enum.GetValues<News2Parameter>().Where(p => p != News2Parameter.OxygenSaturation))
            Assert.Equal(VitalSigns.SubScoreCode(parameter, false), VitalSigns.SubScoreCode(parameter, true));

        Assert.Contains("scale 2", VitalSigns.SubScoreDisplay(News2Parameter.OxygenSaturation, true), StringComparison.Ordinal);
        Assert.Contains("scale 1", VitalSigns.SubScoreDisplay(News2Parameter.OxygenSaturation, false), StringComparison.Ordinal);
    }

    // ---- Helpers ----

    private static List<VitalSignReading> ReadClean(Observation observation)
    {
        var readings = VitalSigns.Read(observation, out var problems);
        Assert.Empty(problems);
        return [.. readings];
    }

    private static News2Inputs Inputs(IEnumerable<VitalSignReading> readings)
    {
        var inputs = new News2Inputs();
        foreach (var reading in readings)
        {
            inputs = reading.Parameter switch
            {
                News2Parameter.RespirationRate => inputs with { RespirationRate = reading.Number },
                News2Parameter.OxygenSaturation => inputs with { OxygenSaturation = reading.Number },
                News2Parameter.AirOrOxygen => inputs with { OnOxygen = reading.OnOxygen },
                News2Parameter.SystolicBloodPressure => inputs with { SystolicBloodPressure = reading.Number },
                News2Parameter.Pulse => inputs with { Pulse = reading.Number },
                News2Parameter.Consciousness => inputs with { Consciousness = reading.Consciousness },
                News2Parameter.Temperature => inputs with { Temperature = reading.Number },
                _ => throw new ArgumentOutOfRangeException(nameof(readings)),
            };
        }

        return inputs;
    }

    private static Observation[] ExampleVitalSigns() =>
        [ExampleRespiration(), ExampleHeartRate(), ExampleSaturation(), ExampleRoomAir(), ExampleTemperature(), ExampleBloodPressure(), ExampleAcvpu()];

    private static Observation ExampleRespiration()
    {
        var observation = Observation(RespirationId, Sct("86290005", "Respiratory rate"), Loinc("9279-1", "Respiratory Rate"));
        observation.Value = Quantity(21, "{Breaths}/min", "Breaths / minute");
        return observation;
    }

    private static Observation ExampleHeartRate()
    {
        var observation = Observation(HeartRateId, Sct("364075005", "Heart rate"), Sct("78564009", "Pulse rate"), Loinc("8867-4", "Heart rate"));
        observation.Value = Quantity(95, "{beats}/min", "heart beats per minute");
        return observation;
    }

    private static Observation ExampleSaturation()
    {
        var observation = Observation(SaturationId, Sct("103228002", "Hemoglobin saturation with oxygen"), Loinc("2708-6", "Oxygen saturation in Arterial blood"));
        observation.Value = Quantity(93, "%", "percent");
        return observation;
    }

    private static Observation ExampleRoomAir() => Observation(RoomAirId, Sct(VitalSigns.BreathingRoomAir, "Breathing room air"));

    private static Observation ExampleTemperature()
    {
        var observation = Observation(TemperatureId, Sct("276885007", "Core body temperature"), Loinc("8310-5", "Body temperature"));
        observation.Value = Quantity(37.5m, "Cel", "degree Celsius");
        return observation;
    }

    private static Observation ExampleBloodPressure()
    {
        var observation = Observation(BloodPressureId, Sct("75367002", "Blood pressure"), Loinc("85354-9", "Blood pressure panel with all children optional"));
        observation.Component.Add(new Observation.ComponentComponent
        {
            Code = new CodeableConcept { Coding = [Sct("72313002", "Systolic arterial pressure"), Loinc("8480-6", "Systolic blood pressure")] },
            Value = Quantity(120, "mm[Hg]", "millimeter of mercury"),
        });
        observation.Component.Add(new Observation.ComponentComponent
        {
            Code = new CodeableConcept { Coding = [Sct("1091811000000102", "Diastolic arterial pressure"), Loinc("8462-4", "Diastolic blood pressure")] },
            Value = Quantity(60, "mm[Hg]", "millimeter of mercury"),
        });
        return observation;
    }

    private static Observation ExampleAcvpu() => AcvpuObservation(Sct("248234008", "Mentally alert"));

    private static Observation AcvpuObservation(params Coding[] value)
    {
        var observation = Observation(AcvpuId, Sct("1104441000000107", "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score"));
        observation.Value = new CodeableConcept { Coding = [.. value] };
        return observation;
    }

    private static Observation Observation(string id, params Coding[] codes) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept { Coding = [.. codes] },
        Subject = new ResourceReference("Patient/ad2c58ab-ffab-4366-9c76-b0322e22e881"),
        Effective = new FhirDateTime("2018-10-04T14:17:59+01:00"),
    };

    private static Coding Sct(string code, string display) => new(VitalSigns.Snomed, code, display);

    private static Coding Loinc(string code, string display) => new(VitalSigns.Loinc, code, display);

    private static Quantity Quantity(decimal value, string code, string unit) => new()
    {
        Value = value,
        Unit = unit,
        System = VitalSigns.Ucum,
        Code = code,
    };
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Medicines;
using OpenWard.Clinical.Medicines.Checks;

namespace OpenWard.Clinical.Tests.Medicines.Scenarios;

/// <summary>
/// Medication-check scenarios written as data (scenarios.json), after the Leapfrog CPOE Evaluation
/// Tool's categories: each is a patient, an order and what the checks must say. The theory asserts
/// each scenario (a scenario marked knownMiss must still miss, so a fix forces the marker off); the
/// fact measures sensitivity and specificity and keeps docs/safety/medication-checks.md up to date.
/// </summary>
public sealed class ScenarioTests
{
    /// <summary>When every scenario is checked: ages and the age of results are taken from this moment.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    public const string ReportVariable = "OPENWARD_WRITE_SCENARIO_REPORT";

    private const string ReportPath = "docs/safety/medication-checks.md";

    private static readonly Lazy<MedicationChecks> Checks = new(() => new MedicationChecks(Formulary.Load(Formulary.StarterPath)));

    private static readonly Lazy<IReadOnlyList<Scenario>> All = new(Load);

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var scenario in All.Value)
            data.Add(scenario.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Scenario_behaves_as_expected(string id)
    {
        var scenario = All.Value.Single(s => s.Id == id);
        var result = Run(scenario);
        var met = Meets(scenario.Expect, result);
        if (scenario.KnownMiss is { } reason)
        {
            Assert.False(met, $"{id} is marked knownMiss ({reason}) but now behaves as expected: remove the marker.\n{Describe(result)}");
            return;
        }

        Assert.True(met, $"{id}: expected {Expected(scenario.Expect)}; got {Describe(result)}");
    }

    [Fact]
    public void Scenarios_are_well_formed()
    {
        var scenarios = All.Value;
        Assert.True(scenarios.Count >= 90, $"{scenarios.Count} scenarios; at least 90 expected");
        Assert.Equal(scenarios.Count, scenarios.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count());
        foreach (var scenario in scenarios)
        {
            Assert.False(string.IsNullOrWhiteSpace(scenario.Description), scenario.Id);
            Assert.True(scenario.Expect.Appropriate == true ^ scenario.Expect.Category is not null, $"{scenario.Id}: expect either appropriate or a category and tier");
            if (scenario.Expect.Category is { } category)
            {
                Assert.Contains(category, Enum.GetValues<CheckCategory>().Select(CheckCodes.Of));
                Assert.Contains(scenario.Expect.Tier, Enum.GetValues<AlertSeverity>().Select(CheckCodes.Of));
            }

            Assert.True(Checks.Value.Recognition.Recognise(Order(scenario.Order)).IsRecognised, $"{scenario.Id}: '{scenario.Order.Medicine}' is not a medicine of the formulary");
        }
    }

    [Fact]
    public void The_report_in_docs_is_up_to_date()
    {
        var report = Report(All.Value.Select(s => (s, Run(s))).ToList(), Checks.Value.Formulary);
        var path = Path.Combine(RepositoryRoot(), ReportPath);
        if (Environment.GetEnvironmentVariable(ReportVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, report);
            return;
        }

        var committed = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "(missing)";
        Assert.True(
            committed == report,
            $"{ReportPath} is out of date with the scenarios or the formulary. Regenerate it: "
                + $"{ReportVariable}=1 dotnet test tests/OpenWard.Clinical.Tests --filter FullyQualifiedName~ScenarioTests, then commit it.");
    }

    // ---- Running a scenario -------------------------------------------------------------------

    internal static MedicationCheckResult Run(Scenario scenario)
    {
        var patient = scenario.Patient;
        var resources = new List<Resource>();
        if (patient.WeightKg is { } kg)
            resources.Add(Result("weight", "29463-7", kg, "kg"));
        if (patient.HeightCm is { } cm)
            resources.Add(Result("height", "8302-2", cm, "cm"));
        var knowledge = Checks.Value.Formulary.Knowledge;
        foreach (var (lab, i) in (patient.Labs ?? []).Select((l, i) => (l, i)))
        {
            var test = knowledge.LabTests.TryGetValue(lab.Test, out var found) ? found : throw new InvalidOperationException($"{scenario.Id}: no lab test '{lab.Test}' in the formulary");
            resources.Add(Result($"lab{i}", test.Loinc![0], lab.Value, test.Unit!, lab.HoursAgo ?? 6));
        }

        foreach (var (text, i) in (patient.Allergies ?? []).Select((a, i) => (a, i)))
            resources.Add(new AllergyIntolerance { Id = $"allergy{i}", Code = new CodeableConcept { Text = text }, Patient = new ResourceReference("Patient/p") });
        foreach (var (condition, i) in (patient.Conditions ?? []).Select((c, i) => (c, i)))
        {
            var code = condition.Snomed is { } snomed ? new CodeableConcept("http://snomed.info/sct", snomed, condition.Text) : new CodeableConcept();
            code.Text = condition.Text;
            resources.Add(new Condition { Id = $"condition{i}", Code = code, Subject = new ResourceReference("Patient/p") });
        }

        foreach (var (active, i) in (patient.ActiveOrders ?? []).Select((o, i) => (o, i)))
        {
            var order = Order(active);
            order.Id = $"active{i}";
            resources.Add(order);
        }

        var context = PatientRecordQueries.Context(new Patient { Id = "p", BirthDate = BirthDate(patient.Age) }, resources, new Dictionary<PatientData, string>(), Now);
        return Checks.Value.Run(Order(scenario.Order), context);
    }

    private static Observation Result(string id, string loinc, decimal value, string unit, int hoursAgo = 24) => new()
    {
        Id = id,
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://loinc.org", loinc),
        Value = new Quantity { Value = value, System = DoseUnits.UcumSystem, Code = unit, Unit = unit },
        Effective = new FhirDateTime(Now.AddHours(-hoursAgo)),
        Subject = new ResourceReference("Patient/p"),
    };

    /// <summary>The date of birth of a patient of the given age ("45y", "3mo", "2wk", "10d") on <see cref="Now"/>.</summary>
    internal static string BirthDate(string age)
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var value = int.Parse(age.TrimEnd('y', 'm', 'o', 'w', 'k', 'd'), CultureInfo.InvariantCulture);
        var born = age.EndsWith("mo", StringComparison.Ordinal) ? today.AddMonths(-value)
            : age.EndsWith("wk", StringComparison.Ordinal) ? today.AddDays(-7 * value)
            : age.EndsWith('d') ? today.AddDays(-value)
            : age.EndsWith('y') ? today.AddYears(-value)
            : throw new FormatException($"Age '{age}' is not like 45y, 3mo, 2wk or 10d.");
        return born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    internal static MedicationRequest Order(ScenarioOrder order)
    {
        var dosage = new Dosage
        {
            DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = new Quantity { Value = order.Dose, Unit = order.Unit } }],
        };
        if (order.Frequency is { } frequency)
        {
            dosage.Timing = new Timing
            {
                Repeat = new Timing.RepeatComponent
                {
                    Frequency = frequency,
                    Period = order.Period ?? 1,
                    PeriodUnit = order.PeriodUnit switch
                    {
                        "h" => Timing.UnitsOfTime.H,
                        "wk" => Timing.UnitsOfTime.Wk,
                        "d" or null => Timing.UnitsOfTime.D,
                        _ => throw new FormatException($"periodUnit '{order.PeriodUnit}' is not h, d or wk"),
                    },
                },
            };
        }

        if (order.Route is { } route)
        {
            dosage.Route = route.All(char.IsAsciiDigit)
                ? new CodeableConcept("http://snomed.info/sct", route)
                : new CodeableConcept { Text = route };
        }

        if (order.Prn == true)
            dosage.AsNeeded = new FhirBoolean(true);
        if (order.MaxPerDay is { } max)
            dosage.MaxDosePerPeriod = new Ratio(new Quantity { Value = max, Unit = order.Unit }, new Quantity { Value = 1, System = DoseUnits.UcumSystem, Code = "d", Unit = "d" });
        var request = new MedicationRequest
        {
            Status = MedicationRequest.MedicationrequestStatus.Active,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Medication = new CodeableConcept { Text = order.Medicine },
            Subject = new ResourceReference("Patient/p"),
            DosageInstruction = [dosage],
        };
        if (order.Indication is { } indication)
            request.ReasonCode = [new CodeableConcept { Text = indication }];
        return request;
    }

    internal static bool Meets(ScenarioExpect expect, MedicationCheckResult result) =>
        expect.Category is { } category
            ? result.Alerts.Any(a => CheckCodes.Of(a.Category) == category && CheckCodes.Of(a.Severity) == expect.Tier)
            : !result.Alerts.Any(a => a.Severity != AlertSeverity.Info);

    private static string Expected(ScenarioExpect expect) =>
        expect.Category is { } category ? $"a {expect.Tier} {category} alert" : "no warning and no hard stop";

    private static string Describe(MedicationCheckResult result) =>
        result.Alerts.Count == 0
            ? "no alerts"
            : string.Join("; ", result.Alerts.Select(a => $"{CheckCodes.Of(a.Severity)} {CheckCodes.Of(a.Category)}: {a.Summary}"));

    // ---- The report ---------------------------------------------------------------------------

    internal static string Report(IReadOnlyList<(Scenario Scenario, MedicationCheckResult Result)> runs, Formulary formulary)
    {
        var alerting = runs.Where(r => r.Scenario.Expect.Category is not null).ToList();
        var appropriate = runs.Where(r => r.Scenario.Expect.Appropriate == true).ToList();
        var caught = alerting.Count(r => Meets(r.Scenario.Expect, r.Result));
        var silent = appropriate.Count(r => Meets(r.Scenario.Expect, r.Result));
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line("# Medication checks: scenario results");
        Line();
        Line("<!-- Generated by ScenarioTests (tests/OpenWard.Clinical.Tests/Medicines/Scenarios). Do not edit by hand: regenerate. -->");
        Line();
        Line($"The medication safety checks (issue #18) are measured against {runs.Count} scenarios written as data in "
            + "`tests/OpenWard.Clinical.Tests/Medicines/Scenarios/scenarios.json`, after the categories of the Leapfrog CPOE Evaluation Tool: "
            + "drug-allergy (with cross-sensitivity), drug-route, drug-drug interaction, therapeutic duplication, single and daily dose limits "
            + "(ten-fold, decimal-point and unit errors among them), drug-age, drug-renal, drug-diagnosis (condition), drug-laboratory, monitoring, "
            + "and nuisance orders: appropriate prescribing that must not interrupt the prescriber. "
            + "Each scenario is a patient (age, weight, allergies, conditions, results, active orders), an order as a prescriber writes it, "
            + "and what the checks must say: an alert of a category at a tier (hard stop, warning or info), or no warning and no hard stop at all.");
        Line();
        Line($"Checked against: {formulary.Title} version {formulary.Version}, "
            + (formulary.Knowledge.Approval.IsApproved ? "approved." : "which is **illustrative, not approved by a pharmacist**: these figures measure the engine and the starter rules, not clinical content a trust has approved."));
        Line();
        Line("## How to run and regenerate");
        Line();
        Line("```");
        Line("dotnet test tests/OpenWard.Clinical.Tests --filter FullyQualifiedName~ScenarioTests");
        Line($"{ReportVariable}=1 dotnet test tests/OpenWard.Clinical.Tests --filter FullyQualifiedName~ScenarioTests   # rewrites this file");
        Line("```");
        Line();
        Line("One test case per scenario asserts its expectation. A scenario marked `knownMiss` (with the reason) is asserted to still miss, "
            + "so a fix to the engine or the formulary fails that case until the marker is removed. "
            + "A further test compares this report with the scenarios' results and fails when they differ: regenerate it and commit the change.");
        Line();
        Line("## Results");
        Line();
        Line($"- **Sensitivity**: {caught} of {alerting.Count} alerting scenarios caught in the right category at the right tier ({Percent(caught, alerting.Count)}).");
        Line($"- **Specificity**: {silent} of {appropriate.Count} appropriate orders raised no warning and no hard stop ({Percent(silent, appropriate.Count)}); information alerts are allowed.");
        Line();
        Line("| Category | Scenarios | Caught at the right tier | Caught at another tier | Missed |");
        Line("|---|---:|---:|---:|---:|");
        foreach (var group in alerting.GroupBy(r => r.Scenario.Expect.Category!).OrderBy(g => Array.IndexOf(CategoryOrder, g.Key)))
        {
            var right = group.Count(r => Meets(r.Scenario.Expect, r.Result));
            var other = group.Count(r => !Meets(r.Scenario.Expect, r.Result) && r.Result.Alerts.Any(a => CheckCodes.Of(a.Category) == group.Key));
            Line($"| {group.Key} | {group.Count()} | {right} | {other} | {group.Count() - right - other} |");
        }

        Line($"| appropriate (must not interrupt) | {appropriate.Count} | {silent} silent | | {appropriate.Count - silent} over-alerted |");
        Line();
        Line("By tier expected: " + string.Join(", ", alerting.GroupBy(r => r.Scenario.Expect.Tier!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count(r => Meets(r.Scenario.Expect, r.Result))} of {g.Count()}")) + ".");
        Line();
        Line("## Misses and over-alerts");
        Line();
        var wrong = runs.Where(r => !Meets(r.Scenario.Expect, r.Result)).ToList();
        if (wrong.Count == 0)
            Line("None.");
        foreach (var (scenario, result) in wrong)
        {
            var got = result.Alerts.Count == 0 ? "no alert" : string.Join("; ", result.Alerts.Where(a => a.Severity != AlertSeverity.Info || scenario.Expect.Category is not null)
                .Select(a => $"{CheckCodes.Of(a.Severity)} {CheckCodes.Of(a.Category)}"));
            Line($"- `{scenario.Id}` ({scenario.Description}): expected {Expected(scenario.Expect)}, got {(got.Length == 0 ? "information only" : got)}. "
                + (scenario.KnownMiss is { } reason ? $"Reason: {reason}" : "No reason recorded: this scenario fails its test."));
        }

        Line();
        Line("## What this does not show");
        Line();
        Line("These scenarios were written by the people who wrote the checks, from the starter formulary's own rules, so they show that the "
            + "engine applies those rules as intended, not that the rules are complete. An independent set of scenarios, unseen by the authors of "
            + "the checks, is run against the `order-sign` CDS Hooks service to measure the checks as a prescriber meets them.");
        return text.ToString();
    }

    private static readonly string[] CategoryOrder =
        ["allergy", "route", "interaction", "duplication", "single-dose", "daily-dose", "age", "renal", "condition", "lab", "monitoring"];

    private static string Percent(int part, int whole) =>
        whole == 0 ? "n/a" : (100m * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    // ---- Loading ------------------------------------------------------------------------------

    private static IReadOnlyList<Scenario> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Medicines", "Scenarios", "scenarios.json");
        var file = JsonSerializer.Deserialize<ScenarioFile>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidOperationException($"{path} is empty");
        return file.Scenarios;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenWard.slnx")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException($"No OpenWard.slnx above {AppContext.BaseDirectory}.");
    }
}

internal sealed record ScenarioFile(string? Description, List<Scenario> Scenarios);

internal sealed record Scenario(string Id, string Description, ScenarioPatient Patient, ScenarioOrder Order, ScenarioExpect Expect, string? KnownMiss);

internal sealed record ScenarioPatient(
    string Age, decimal? WeightKg, decimal? HeightCm, List<string>? Allergies, List<ScenarioCondition>? Conditions, List<ScenarioLab>? Labs, List<ScenarioOrder>? ActiveOrders);

internal sealed record ScenarioCondition(string Text, string? Snomed);

internal sealed record ScenarioLab(string Test, decimal Value, int? HoursAgo);

internal sealed record ScenarioOrder(
    string Medicine, decimal Dose, string Unit, string? Route, int? Frequency, decimal? Period, string? PeriodUnit, bool? Prn, decimal? MaxPerDay, string? Indication);

internal sealed record ScenarioExpect(string? Category, string? Tier, bool? Appropriate);

using System.Globalization;
using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Observations;

/// <summary>
/// Sepsis screening for adults, after NICE NG51 "Suspected sepsis: recognition, diagnosis and
/// early management" as updated in March 2024. The 2024 update grades the risk of an adult (16 or
/// over, not pregnant or recently pregnant) in an acute hospital with suspected or confirmed
/// infection by NEWS2 (recommendation 1.11.5: 7 or more high, 5–6 moderate, 1–4 low, 0 very low)
/// instead of the 2016 "red flag" criteria, and times the first antibiotics by that risk, following
/// the Academy of Medical Royal Colleges' 2022 statement on the initial antimicrobial treatment of
/// sepsis: within 1 hour at 7 or more, within 3 hours at 5–6, within 6 hours at 1–4.
/// OpenWard prompts the screen when the set scores 5 or more, or has a red score (3 in one
/// parameter): the 2016 red flags that observations carry (respiration 25 or more, systolic 90 or
/// less, pulse over 130, new altered mental state) are each such a red score; the others (mottled
/// skin, non-blanching rash, no urine for 18 hours) are asked by the screen itself.
/// </summary>
public static class SepsisScreen
{
    /// <summary>"Could this be an infection?" answered yes with a set of observations (valueBoolean true): a local code, as no UK Core code says it.</summary>
    public const string SuspectedInfectionSystem = "https://fhir.openward.example/CodeSystem/sepsis";
    public const string SuspectedInfectionCode = "suspected-infection";

    /// <summary>Pregnancy status (LOINC 82810-3) valued "Pregnant" (SNOMED CT 77386006): the adult pathway does not apply (NG51 has its own for pregnancy).</summary>
    public const string PregnancyStatusLoinc = "82810-3";
    public const string PregnantSnomed = "77386006";

    public const int AdultAge = 16;

    public static bool IsSuspectedInfection(Observation observation) =>
        observation.Code?.Coding.Any(c => c.System == SuspectedInfectionSystem && c.Code == SuspectedInfectionCode) == true
        && observation.Value is FhirBoolean { Value: true };

    /// <summary>Whether a scored set calls for the screen (infection suspected, and NEWS2 5 or more or a red score).</summary>
    public static bool Prompted(News2Result result, bool infectionSuspected) =>
        infectionSuspected && (result.Total >= 5 || result.HasRedScore);

    /// <summary>NG51 1.11.5's risk of severe illness or death from sepsis, in words, and the time to first antibiotics the AoMRC statement gives it.</summary>
    public static (string Risk, TimeSpan AntibioticsWithin) RiskOf(int total) => total switch
    {
        >= 7 => ("high", TimeSpan.FromHours(1)),
        >= 5 => ("moderate", TimeSpan.FromHours(3)),
        >= 1 => ("low", TimeSpan.FromHours(6)),
        _ => ("very low", TimeSpan.FromHours(6)),
    };

    /// <summary>The patient's age in whole years at <paramref name="at"/>; null when the birth date is unknown or partial.</summary>
    public static int? AgeAt(Patient? patient, DateTimeOffset at)
    {
        if (patient?.BirthDate is not { Length: 10 } born || !DateOnly.TryParseExact(born, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
            return null;
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }

    public static bool IsPregnant(IEnumerable<Observation> observations) =>
        observations.Where(o => o.Code?.Coding.Any(c => c.System == VitalSigns.Loinc && c.Code == PregnancyStatusLoinc) == true && o.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled))
            .OrderByDescending(o => News2Set.EffectiveTime(o))
            .FirstOrDefault()?.Value is CodeableConcept value && value.Coding.Any(c => c.System == VitalSigns.Snomed && c.Code == PregnantSnomed);

    public static string IdFor(string scoreId) => "sepsis-" + scoreId;

    /// <summary>The Task that prompts the screen, due by the time the first antibiotics would be due if sepsis is likely.</summary>
    public static Hl7.Fhir.Model.Task Prompt(News2Set set, int? age, DateTimeOffset now)
    {
        var (risk, within) = RiskOf(set.Result.Total);
        var notes = new List<string>
        {
            $"Suspected infection with NEWS2 {set.Result.Total}{(set.Result.HasRedScore ? " and a red score (3 in one parameter)" : "")}: {risk} risk of severe illness or death from sepsis (NICE NG51, 2024, 1.11.5).",
            $"If sepsis is likely, give the first antibiotics within {within.TotalHours:0} hour{(within.TotalHours == 1 ? "" : "s")} of the decision (AoMRC 2022; NICE NG51, 2024).",
        };
        if (age is null)
            notes.Add("The patient's date of birth is not recorded in full: screened as an adult.");
        var task = new Hl7.Fhir.Model.Task
        {
            Id = IdFor(News2Set.ScoreId(set.PatientId, set.When)),
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
            Priority = set.Result.Total >= 7 ? RequestPriority.Stat : RequestPriority.Urgent,
            Code = new CodeableConcept(EscalationTasks.CodeSystem, EscalationTasks.SepsisScreenCode, "Screen for sepsis"),
            For = new ResourceReference($"Patient/{set.PatientId}"),
            Focus = new ResourceReference(set.ScoreReference),
            ReasonReference = new ResourceReference(set.ScoreReference),
            AuthoredOn = now.ToString("o", CultureInfo.InvariantCulture),
            LastModified = now.ToString("o", CultureInfo.InvariantCulture),
            Description = $"Sepsis screen: suspected infection and NEWS2 {set.Result.Total} ({risk} risk).",
            PerformerType = [new CodeableConcept { Text = "Clinician caring for the patient" }],
            Restriction = new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { Start = now.ToString("o", CultureInfo.InvariantCulture), End = (now + within).ToString("o", CultureInfo.InvariantCulture) } },
            Note = [.. notes.Select(n => new Annotation { Time = now.ToString("o", CultureInfo.InvariantCulture), Text = n })],
            Input =
            [
                new Hl7.Fhir.Model.Task.ParameterComponent { Type = Concept(RiskInput), Value = new FhirString(risk) },
                new Hl7.Fhir.Model.Task.ParameterComponent { Type = Concept(AntibioticsWithinInput), Value = new Quantity((decimal)within.TotalMinutes, "min") { System = VitalSigns.Ucum } },
            ],
        };
        return task;
    }

    // Task.input and Task.output types (local codes): what the prompt said, and what the screen found.
    public const string RiskInput = "risk";
    public const string AntibioticsWithinInput = "antibiotics-within";
    public const string OutcomeOutput = "outcome";
    public const string DecisionOutput = "decision-time";
    public const string AntibioticsGivenOutput = "antibiotics-given";
    public const string TimeToAntibioticsOutput = "time-to-antibiotics";
    public const string SepsisLikely = "sepsis-likely";
    public const string SepsisUnlikely = "sepsis-unlikely";

    public static CodeableConcept Concept(string code) => new(SuspectedInfectionSystem, code);

    /// <summary>
    /// Brings a screen Task's tracking up to date from what was recorded on it: once sepsis is
    /// judged likely (output <c>outcome</c> = sepsis-likely, at <c>decision-time</c>), the Task is due
    /// when the first antibiotics are (decision + the prompt's <c>antibiotics-within</c>); once they
    /// are given (<c>antibiotics-given</c>), the time from the decision is recorded
    /// (<c>time-to-antibiotics</c>, minutes) and said against the target. Returns false when the
    /// Task records no decision yet.
    /// </summary>
    public static bool Track(Hl7.Fhir.Model.Task task)
    {
        if (Output(task, OutcomeOutput) is not CodeableConcept outcome || Output(task, DecisionOutput) is not FhirDateTime decided || !decided.TryToDateTimeOffset(out var decision))
            return false;
        if (!outcome.Coding.Any(c => c.System == SuspectedInfectionSystem && c.Code == SepsisLikely))
        {
            task.BusinessStatus = new CodeableConcept { Text = $"Screened {decision.UtcDateTime:HH:mm} UTC: sepsis unlikely" };
            return true;
        }

        var within = Input(task, AntibioticsWithinInput) is Quantity { Value: { } minutes } ? TimeSpan.FromMinutes((double)minutes) : TimeSpan.FromHours(1);
        var due = decision + within;
        task.Restriction = new Hl7.Fhir.Model.Task.RestrictionComponent { Period = new Period { Start = decided.Value, End = due.ToString("o", CultureInfo.InvariantCulture) } };
        task.Output.RemoveAll(o => o.Type?.Coding.Any(c => c.Code == TimeToAntibioticsOutput) == true);
        if (Output(task, AntibioticsGivenOutput) is FhirDateTime given && given.TryToDateTimeOffset(out var givenAt))
        {
            var taken = givenAt - decision;
            task.Output.Add(new Hl7.Fhir.Model.Task.OutputComponent { Type = Concept(TimeToAntibioticsOutput), Value = new Quantity((decimal)Math.Round(taken.TotalMinutes), "min") { System = VitalSigns.Ucum } });
            task.BusinessStatus = new CodeableConcept
            {
                Text = taken <= within
                    ? $"Antibiotics {taken.TotalMinutes:0} minutes after the decision (target {within.TotalMinutes:0}): met"
                    : $"Antibiotics {taken.TotalMinutes:0} minutes after the decision (target {within.TotalMinutes:0}): NOT met",
            };
        }
        else
        {
            task.BusinessStatus = new CodeableConcept { Text = $"Sepsis likely: antibiotics due by {due.UtcDateTime:HH:mm} UTC ({within.TotalMinutes:0} minutes from the decision)" };
        }

        return true;
    }

    /// <summary>The screen's outcome so far: <see cref="SepsisLikely"/>, <see cref="SepsisUnlikely"/>, or null before a decision.</summary>
    public static string? OutcomeOf(Hl7.Fhir.Model.Task task) =>
        (Output(task, OutcomeOutput) as CodeableConcept)?.Coding.FirstOrDefault(c => c.System == SuspectedInfectionSystem)?.Code;

    public static bool AntibioticsRecorded(Hl7.Fhir.Model.Task task) => Output(task, AntibioticsGivenOutput) is FhirDateTime;

    /// <summary>Records the decision at <paramref name="now"/>: sepsis likely keeps the Task open until the antibiotics are given; unlikely completes it.</summary>
    public static void RecordDecision(Hl7.Fhir.Model.Task task, bool likely, DateTimeOffset now)
    {
        task.Output.RemoveAll(o => o.Type?.Coding.Any(c => c.Code is OutcomeOutput or DecisionOutput) == true);
        task.Output.Add(new Hl7.Fhir.Model.Task.OutputComponent { Type = Concept(OutcomeOutput), Value = new CodeableConcept(SuspectedInfectionSystem, likely ? SepsisLikely : SepsisUnlikely, likely ? "Sepsis likely" : "Sepsis unlikely") });
        task.Output.Add(new Hl7.Fhir.Model.Task.OutputComponent { Type = Concept(DecisionOutput), Value = new FhirDateTime(now) });
        task.Status = likely ? Hl7.Fhir.Model.Task.TaskStatus.InProgress : Hl7.Fhir.Model.Task.TaskStatus.Completed;
    }

    /// <summary>Records the first antibiotics as given at <paramref name="now"/>, which completes the screen.</summary>
    public static void RecordAntibiotics(Hl7.Fhir.Model.Task task, DateTimeOffset now)
    {
        task.Output.RemoveAll(o => o.Type?.Coding.Any(c => c.Code == AntibioticsGivenOutput) == true);
        task.Output.Add(new Hl7.Fhir.Model.Task.OutputComponent { Type = Concept(AntibioticsGivenOutput), Value = new FhirDateTime(now) });
        task.Status = Hl7.Fhir.Model.Task.TaskStatus.Completed;
    }

    private static DataType? Output(Hl7.Fhir.Model.Task task, string code) =>
        task.Output.FirstOrDefault(o => o.Type?.Coding.Any(c => c.System == SuspectedInfectionSystem && c.Code == code) == true)?.Value;

    private static DataType? Input(Hl7.Fhir.Model.Task task, string code) =>
        task.Input.FirstOrDefault(o => o.Type?.Coding.Any(c => c.System == SuspectedInfectionSystem && c.Code == code) == true)?.Value;
}

using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// Runs every medication check on one draft or active MedicationRequest (issue #18): allergy and
/// cross-sensitivity, route, duplication, interactions, single and daily dose, age, renal function,
/// conditions, laboratory values and monitoring, each from the formulary's rules. Whatever a check
/// could not do (no rule, no weight, no recent eGFR, a record it could not read) is reported as not
/// checked, so nobody takes silence for a pass. A medicine the formulary does not recognise is
/// checked for nothing, and says so. Pure and deterministic: the same order and context give the
/// same result.
/// </summary>
public sealed class MedicationChecks(Formulary formulary)
{
    private readonly MedicineRecognition _recognition = new(formulary);

    public Formulary Formulary => formulary;

    public MedicineRecognition Recognition => _recognition;

    /// <param name="signedWith">Other draft orders signed together with this one, counted as current.</param>
    public MedicationCheckResult Run(MedicationRequest order, PatientContext patient, IEnumerable<MedicationRequest>? signedWith = null)
    {
        var medicine = _recognition.Recognise(order);
        if (!medicine.IsRecognised)
            return new MedicationCheckResult([], [new NotChecked(CheckCategory.NotChecked, $"Nothing was checked: {medicine.NotRecognisedReason}.")], [], formulary);

        var route = MedicineRoutes.Of(order.DosageInstruction.Select(d => d.Route).FirstOrDefault(r => r is not null));
        var input = new CheckInput(order, medicine.Medicine!, route, patient, formulary, CurrentOrders.Of(order, patient, signedWith ?? [], _recognition));
        var findings = new Findings();
        AllergyCheck.Run(input, findings, _recognition);
        RouteCheck.Run(input, findings);
        DuplicationCheck.Run(input, findings);
        InteractionCheck.Run(input, findings);
        try
        {
            DoseCheck.Run(input, findings);
        }
        catch (OverflowException)
        {
            // Numbers too large for decimal arithmetic are never a dose anyone meant.
            findings.Alert(CheckCategory.SingleDose, AlertSeverity.HardStop, $"Implausible dose: the numbers in this {input.Name} order are too large to be a dose", "A dose, frequency or maximum in this order is so large that it cannot be worked out. Check every number of the order.");
        }
        PatientFactorChecks.Age(input, findings);
        PatientFactorChecks.Renal(input, findings);
        PatientFactorChecks.Conditions(input, findings);
        PatientFactorChecks.Labs(input, findings);
        PatientFactorChecks.Monitoring(input, findings);
        return new MedicationCheckResult(findings.Alerts, findings.NotChecked, findings.Passed, formulary);
    }
}

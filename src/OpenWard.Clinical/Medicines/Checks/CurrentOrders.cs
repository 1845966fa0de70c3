using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>Which of a patient's orders are current: active or on hold (or drafts signed together), not the order itself, and not past their end.</summary>
internal static class CurrentOrders
{
    public static List<CurrentOrder> Of(MedicationRequest order, PatientContext patient, IEnumerable<MedicationRequest> drafts, MedicineRecognition recognition) =>
        [.. patient.Orders.Where(o => o.Status is MedicationRequest.MedicationrequestStatus.Active or MedicationRequest.MedicationrequestStatus.OnHold)
            .Concat(drafts)
            .Where(o => !ReferenceEquals(o, order) && (o.Id is null || o.Id != order.Id))
            .Where(o => !HasEnded(o, patient.Now))
            .Select(o => new CurrentOrder(o, recognition.Recognise(o).Medicine))];

    private static bool HasEnded(MedicationRequest order, DateTimeOffset now)
    {
        var ends = order.DosageInstruction.Select(d => (d.Timing?.Repeat?.Bounds as Period)?.EndElement)
            .Append(order.DispenseRequest?.ValidityPeriod?.EndElement)
            .OfType<FhirDateTime>()
            .Select(end => FhirTimes.Moment(end, endOfDay: true))
            .OfType<DateTimeOffset>()
            .ToList();
        return ends.Count > 0 && ends.All(end => end < now);
    }
}

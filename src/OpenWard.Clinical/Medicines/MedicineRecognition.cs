using Hl7.Fhir.Model;

namespace OpenWard.Clinical.Medicines;

/// <summary>
/// Finds the formulary medicine a FHIR R4 MedicationRequest prescribes
/// (https://hl7.org/fhir/R4/medicationrequest-definitions.html#MedicationRequest.medication_x_):
/// first by a dm+d code in medicationCodeableConcept, then by name in its text or any coding's
/// display, case-insensitive, through the formulary's synonyms for salts and brands. A
/// medicationReference to a contained Medication is read by that Medication's code; one to a
/// separate Medication is not fetched, and is reported as not recognised.
/// </summary>
public sealed class MedicineRecognition
{
    /// <summary>
    /// Code systems whose codes are read as dm+d ids: the dm+d URI the NHS England terminology server
    /// and EPS use, and SNOMED CT, which UK Core uses for dm+d concepts (dm+d ids are SNOMED CT ids in
    /// the UK drug extension). A code is only ever matched against the formulary's own list.
    /// </summary>
    public static readonly IReadOnlySet<string> DmdSystems = new HashSet<string>(StringComparer.Ordinal) { "https://dmd.nhs.uk", "http://snomed.info/sct" };

    private readonly Formulary formulary;
    private readonly NameMatcher names;

    public MedicineRecognition(Formulary formulary)
    {
        this.formulary = formulary;
        names = new NameMatcher(formulary.Medicines);
    }

    public Recognition Recognise(MedicationRequest request)
    {
        if (request.Medication is ResourceReference { Reference: { } reference })
        {
            // A contained Medication (medicationReference "#id") is read by its code; a separate one is not fetched.
            return reference.StartsWith('#') && request.Contained.OfType<Medication>().FirstOrDefault(m => m.Id == reference[1..]) is { Code: { } contained }
                ? Recognise(contained)
                : Recognition.NotRecognised($"the medicine is given as medicationReference '{reference}', which OpenWard reads only when it is a contained Medication with a code: give medicationCodeableConcept");
        }

        if (request.Medication is ResourceReference)
            return Recognition.NotRecognised("the medicationReference has no reference");
        if (request.Medication is not CodeableConcept concept)
            return Recognition.NotRecognised("the MedicationRequest names no medicine");
        return Recognise(concept);
    }

    public Recognition Recognise(CodeableConcept concept)
    {
        var byCode = concept.Coding
            .Where(c => c.System is { } system && DmdSystems.Contains(system))
            .Select(c => c.Code)
            .OfType<string>()
            .Select(code => (Code: code, Medicine: formulary.FindByDmdCode(code)))
            .Where(p => p.Medicine is not null)
            .ToList();
        if (byCode.Select(p => p.Medicine!.Id).Distinct(StringComparer.Ordinal).Count() > 1)
            return Recognition.NotRecognised($"its dm+d codes name different medicines ({string.Join(", ", byCode.Select(p => p.Medicine!.Name).Distinct())})");

        var texts = new[] { concept.Text }.Concat(concept.Coding.Select(c => c.Display)).OfType<string>().Where(t => t.Trim().Length > 0).ToList();
        var byName = texts.Select(names.Match).OfType<Recognition>().ToList();

        if (byCode.Count > 0)
        {
            var medicine = byCode[0].Medicine!;
            // A name that says another medicine, or more than the code's medicine holds, contradicts
            // the code: refuse rather than pick one.
            var contradiction = byName.FirstOrDefault(r => r.Medicine?.Id != medicine.Id);
            if (contradiction is null)
                return Recognition.Found(medicine, RecognisedBy.DmdCode, byCode[0].Code);
            return Recognition.NotRecognised(contradiction.IsRecognised
                ? $"dm+d code {byCode[0].Code} is {medicine.Name} but the name says {contradiction.Medicine!.Name}"
                : $"dm+d code {byCode[0].Code} is {medicine.Name} but {contradiction.NotRecognisedReason}");
        }

        if (texts.Count == 0)
            return Recognition.NotRecognised("the medicine has no dm+d code in the formulary and no text or display to read");

        if (byName.Count == 0)
            return Recognition.NotRecognised($"'{texts[0]}' names no medicine in the formulary");
        // Every text that names something must agree: a refused one may say what the others do not.
        var refused = byName.FirstOrDefault(r => !r.IsRecognised);
        if (refused is not null)
            return refused;
        if (byName.Select(r => r.Medicine!.Id).Distinct(StringComparer.Ordinal).Count() > 1)
            return Recognition.NotRecognised($"its text and displays name different medicines ({string.Join(", ", byName.Select(r => r.Medicine!.Name).Distinct())})");
        return byName[0];
    }
}

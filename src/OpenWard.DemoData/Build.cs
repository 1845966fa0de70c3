using System.Globalization;
using Hl7.Fhir.Model;
using OpenWard.DemoData.Vocabulary;

namespace OpenWard.DemoData;

/// <summary>
/// Small factories for FHIR data types. Every call returns new objects: resources handed to the caller
/// share nothing, so a caller may change one without changing another.
/// </summary>
internal static class Build
{
    public static Coding Coding(Concept concept) => new(concept.System, concept.Code, concept.Display);

    public static CodeableConcept Concept(Concept concept) => new() { Coding = [Coding(concept)] };

    public static CodeableConcept Concept(Concept[] concepts)
    {
        var codings = new List<Coding>(concepts.Length);
        foreach (var concept in concepts)
        {
            codings.Add(Coding(concept));
        }

        return new CodeableConcept { Coding = codings };
    }

    public static ResourceReference Reference(string type, string id) => new(type + "/" + id);

    public static Quantity Quantity(decimal value, Measurement measurement) => new()
    {
        Value = value,
        Unit = measurement.UnitDisplay,
        System = ClinicalCodes.Ucum,
        Code = measurement.UcumCode,
    };

    /// <summary>A FHIR dateTime in UTC to the second ("2025-06-30T12:00:00Z").</summary>
    public static string DateTime(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A FHIR date ("2025-06-30").</summary>
    public static string Date(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

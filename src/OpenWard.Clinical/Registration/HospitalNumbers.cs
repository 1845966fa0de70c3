using System.Globalization;

namespace OpenWard.Clinical.Registration;

/// <summary>
/// The hospital numbers OpenWard gives to the patients it registers: "H" and seven digits, as the demo
/// data forms them (so Find a patient reads them as hospital numbers), from H9000000 to H9999999. The
/// demo data numbers its patients H0000001 upwards and makes at most 900,000 of them
/// (<c>DemoPopulation.MaxPatientCount</c>), so it never reaches this range. Chosen at random, not
/// counted up: two OpenWard instances sharing a store need no shared counter, and the create's
/// If-None-Exist on the number makes a clash retry instead of giving one number to two people.
/// </summary>
public static class HospitalNumbers
{
    /// <summary>The identifier system of the trust's hospital numbers (a local system: https://fhir.openward.example is no real address).</summary>
    public const string System = "https://fhir.openward.example/Id/hospital-number";

    public const int First = 9_000_000;

    public const int Last = 9_999_999;

    /// <summary>How many numbers to try before giving up; a clash in a million numbers is rare, five in a row is a fault.</summary>
    public const int Tries = 5;

    public static string Choose(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return "H" + random.Next(First, Last + 1).ToString("D7", CultureInfo.InvariantCulture);
    }
}

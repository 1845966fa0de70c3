using OpenWard.Fhir;

namespace OpenWard.Storage.Tests;

/// <summary>Synthetic NHS numbers (999 range, never a real person), unique across the test run.</summary>
internal static class TestNhsNumbers
{
    private static int _sequence;

    public static string Next()
    {
        while (true)
        {
            var nine = "999" + Interlocked.Increment(ref _sequence).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            if (NhsNumber.TryWithCheckDigit(nine, out var nhsNumber))
            {
                return nhsNumber;
            }
        }
    }
}

using System.Globalization;

namespace OpenWard.Web.Tests;

/// <summary>
/// Valid NHS numbers (Modulus 11) from the 999 range that NHS England keeps for testing, a new one
/// each call within a test run: an NHS number belongs to one live record (NHS_NUMBER_ON_ONE_LIVE_RECORD),
/// so tests that register patients on a shared server each need their own.
/// </summary>
public static class TestNhsNumbers
{
    private static int _next = Random.Shared.Next(0, 900_000);

    public static string Next()
    {
        while (true)
        {
            var nine = "999" + (Interlocked.Increment(ref _next) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            var check = 11 - (nine.Select((c, i) => (c - '0') * (10 - i)).Sum() % 11);
            if (check != 10)
            {
                return nine + (check == 11 ? 0 : check).ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}

using System.Globalization;
using OpenWard.Fhir;

namespace OpenWard.DemoData;

/// <summary>
/// Hands out distinct NHS numbers in the synthetic range: numbers beginning 999 are never issued to
/// real people and are reserved for test data
/// (https://digital.nhs.uk/services/e-referral-service/document-library/synthetic-data-in-live-environments).
/// </summary>
/// <remarks>
/// The six digits after 999 walk a seeded permutation of 0-999,999 (multiply by a unit modulo 10^6 and
/// add an offset), so numbers never repeat and differ between seeds. Candidates whose Modulus 11 check
/// value is 10 are skipped, which leaves 909,091 usable numbers.
/// </remarks>
internal sealed class SyntheticNhsNumbers
{
    private const int SuffixCount = 1_000_000;
    private const int RangeStart = 999_000_000;

    private readonly long _multiplier;
    private readonly long _offset;
    private int _position;

    public SyntheticNhsNumbers(Random random)
    {
        // A multiplier coprime to 10^6 (neither even nor a multiple of 5) makes the walk a permutation.
        var multiplier = random.Next(100_001, SuffixCount);
        while (multiplier % 2 == 0 || multiplier % 5 == 0)
        {
            multiplier++;
        }

        _multiplier = multiplier;
        _offset = random.Next(SuffixCount);
    }

    public string Next()
    {
        while (_position < SuffixCount)
        {
            var suffix = (_multiplier * _position + _offset) % SuffixCount;
            _position++;
            var nineDigits = (RangeStart + suffix).ToString(CultureInfo.InvariantCulture);
            if (NhsNumber.TryWithCheckDigit(nineDigits, out var nhsNumber))
            {
                return nhsNumber;
            }
        }

        throw new InvalidOperationException("The synthetic NHS number range (999...) is used up.");
    }
}

using Hl7.Fhir.Model;

namespace OpenWard.DemoData;

/// <summary>
/// A synthetic hospital population in FHIR R4, shaped after UK Core: made-up English patients with
/// NHS numbers from the 999 test range, their encounters, vital signs, laboratory results, long-term
/// conditions, allergies and medicines, for <c>openward demo-data</c> and for benchmarks.
/// </summary>
/// <remarks>
/// <para>
/// Deterministic: the same seed and count give the same resources, with the same client-assigned ids,
/// serialising to the same bytes; a larger count with the same seed extends a smaller one. Different
/// seeds give different people. Dates are relative to <see cref="ReferenceInstant"/>, never the clock.
/// </para>
/// <para>
/// Resources claim no profile (<c>meta.profile</c> is empty). They follow UK Core 2.0.0's shape (fixed
/// unit texts, codings and mandatory elements), but conformance is not checked by this project's tests,
/// so nothing is claimed. All content is illustrative, not clinical guidance.
/// </para>
/// </remarks>
public sealed class DemoPopulation
{
    /// <summary>
    /// The most patients one run can have: the synthetic NHS number range (999 followed by six digits)
    /// holds 909,091 valid numbers.
    /// </summary>
    public const int MaxPatientCount = 900_000;

    /// <summary>"Now" for the demo population: every date lies before it; admitted patients are in hospital at it.</summary>
    public static readonly DateTimeOffset ReferenceInstant = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly int _seed;

    public DemoPopulation(int seed)
    {
        _seed = seed;
    }

    /// <summary>
    /// The shared resources first (Organizations: the trust and GP practices; Practitioners; Locations:
    /// wards, beds and clinics), then each patient followed by all of its resources, so that every
    /// reference points at a resource already yielded. Lazily generated: memory stays constant however
    /// many patients are asked for. Each enumeration starts again from the seed.
    /// </summary>
    public IEnumerable<Resource> Generate(int patientCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patientCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(patientCount, MaxPatientCount);
        return Enumerate(patientCount);
    }

    private IEnumerable<Resource> Enumerate(int patientCount)
    {
        var random = new Random(_seed);
        var site = new HospitalSite();
        foreach (var resource in site.CreateResources(random))
        {
            yield return resource;
        }

        var patients = new PatientRecordGenerator(random, site, new SyntheticNhsNumbers(random));
        var record = new List<Resource>(64);
        for (var index = 1; index <= patientCount; index++)
        {
            record.Clear();
            patients.Generate(index, record);
            foreach (var resource in record)
            {
                yield return resource;
            }
        }
    }
}

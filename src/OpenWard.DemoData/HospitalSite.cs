using Hl7.Fhir.Model;
using OpenWard.DemoData.Vocabulary;

namespace OpenWard.DemoData;

/// <summary>
/// The resources every patient refers to: the trust, the GP practices, the hospital's doctors, its
/// wards with their beds, and its outpatient clinics. Also keeps the bed census, so that no two
/// patients admitted at the reference instant lie in the same bed.
/// </summary>
internal sealed class HospitalSite
{
    public const string TrustId = "org-trust";
    public const int PractitionerCount = 24;

    /// <summary>Index of the children's clinic in <see cref="Places.Clinics"/>.</summary>
    public const int ChildrensClinic = 2;

    private readonly bool[][] _bedOccupied;
    private readonly int[] _adultWards;

    public HospitalSite()
    {
        _bedOccupied = Array.ConvertAll(Places.Wards, ward => new bool[ward.Beds]);
        _adultWards = Enumerable.Range(0, Places.Wards.Length).Where(w => !Places.Wards[w].ForChildren).ToArray();
        ChildrensWard = Array.FindIndex(Places.Wards, ward => ward.ForChildren);
        ElderlyCareWard = Array.FindIndex(Places.Wards, ward => ward.Name.Contains("Elderly", StringComparison.Ordinal));
    }

    public int ChildrensWard { get; }

    public int ElderlyCareWard { get; }

    public IReadOnlyList<int> AdultWards => _adultWards;

    public static string PracticeId(int practice) => $"org-gp-{practice + 1:D2}";

    public static string PractitionerId(int practitioner) => $"prac-{practitioner + 1:D3}";

    public static string WardId(int ward) => $"loc-ward-{ward + 1:D2}";

    public static string BedId(int ward, int bed) => $"loc-ward-{ward + 1:D2}-bed-{bed + 1:D2}";

    public static string ClinicId(int clinic) => $"loc-clinic-{clinic + 1:D2}";

    /// <summary>Takes the lowest-numbered free bed of the ward, or returns -1 when the ward is full.</summary>
    public int TakeBed(int ward)
    {
        var beds = _bedOccupied[ward];
        for (var bed = 0; bed < beds.Length; bed++)
        {
            if (!beds[bed])
            {
                beds[bed] = true;
                return bed;
            }
        }

        return -1;
    }

    /// <summary>Organizations first, then Practitioners, then Locations (wards before their beds).</summary>
    public IEnumerable<Resource> CreateResources(Random random)
    {
        yield return new Organization
        {
            Id = TrustId,
            Identifier = [new Identifier(ClinicalCodes.OdsOrganizationCode, Places.TrustOdsCode) { Use = Identifier.IdentifierUse.Official }],
            Active = true,
            Type = [Build.Concept(ClinicalCodes.HealthcareProvider)],
            Name = Places.TrustName,
        };

        for (var p = 0; p < Places.Practices.Length; p++)
        {
            var practice = Places.Practices[p];
            yield return new Organization
            {
                Id = PracticeId(p),
                Identifier = [new Identifier(ClinicalCodes.OdsOrganizationCode, practice.OdsCode) { Use = Identifier.IdentifierUse.Official }],
                Active = true,
                Type = [Build.Concept(ClinicalCodes.HealthcareProvider)],
                Name = practice.Name,
                Address = [new Address { Line = [$"{random.Next(1, 120)} {Pick(random, Places.Streets)}"], City = practice.Town, PostalCode = Postcode(random, practice) }],
            };
        }

        for (var i = 0; i < PractitionerCount; i++)
        {
            var female = random.Next(2) == 0;
            yield return new Practitioner
            {
                Id = PractitionerId(i),
                Identifier = [new Identifier(ClinicalCodes.StaffNumberSystem, $"S{i + 1:D5}")],
                Active = true,
                Name =
                [
                    new HumanName
                    {
                        Use = HumanName.NameUse.Official,
                        Family = Pick(random, Names.Family),
                        Given = [Pick(random, female ? Names.FemaleGiven : Names.MaleGiven)],
                        Prefix = ["Dr"],
                    },
                ],
                Gender = female ? AdministrativeGender.Female : AdministrativeGender.Male,
            };
        }

        for (var w = 0; w < Places.Wards.Length; w++)
        {
            yield return HospitalLocation(WardId(w), Places.Wards[w].Name, ClinicalCodes.Ward, partOf: null);
            for (var b = 0; b < Places.Wards[w].Beds; b++)
            {
                yield return HospitalLocation(BedId(w, b), $"{Places.Wards[w].Name} bed {b + 1}", ClinicalCodes.Bed, partOf: WardId(w));
            }
        }

        for (var c = 0; c < Places.Clinics.Length; c++)
        {
            yield return HospitalLocation(ClinicId(c), Places.Clinics[c], ClinicalCodes.Room, partOf: null);
        }
    }

    /// <summary>A real-format postcode: one of the practice's outward codes, then digit, letter, letter.</summary>
    public static string Postcode(Random random, PracticeSite practice)
    {
        var outward = Pick(random, practice.OutwardCodes);
        var letters = Places.InwardLetters;
        var digit = (char)('0' + random.Next(10));
        return $"{outward} {digit}{letters[random.Next(letters.Length)]}{letters[random.Next(letters.Length)]}";
    }

    public static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static Location HospitalLocation(string id, string name, Concept physicalType, string? partOf) => new()
    {
        Id = id,
        Status = Location.LocationStatus.Active,
        Name = name,
        Mode = Location.LocationMode.Instance,
        PhysicalType = Build.Concept(physicalType),
        ManagingOrganization = Build.Reference("Organization", TrustId),
        PartOf = partOf is null ? null : Build.Reference("Location", partOf),
    };
}

namespace OpenWard.DemoData.Vocabulary;

/// <summary>A GP practice of the demonstration catchment and the postcode districts it serves.</summary>
internal sealed record PracticeSite(string Name, string OdsCode, string Town, string[] OutwardCodes);

/// <summary>A ward of the demonstration hospital.</summary>
internal sealed record WardSite(string Name, bool ForChildren, int Beds);

/// <summary>
/// Illustrative places. The catchment is a made-up West Yorkshire trust: town names and postcode
/// outward codes are real districts, but practice names, ODS codes, street addresses and the
/// inward halves of postcodes are invented and may or may not exist.
/// </summary>
internal static class Places
{
    /// <summary>Illustrative ODS-style code of the demonstration trust (ODS trust codes are three characters).</summary>
    public const string TrustOdsCode = "R9X";

    public const string TrustName = "OpenWard Demonstration Hospitals NHS Trust";

    /// <summary>
    /// Illustrative GP practices. ODS codes of GP practices are a letter and five digits
    /// (https://digital.nhs.uk/services/organisation-data-service); these are invented.
    /// </summary>
    public static readonly PracticeSite[] Practices =
    [
        new("Beech Grove Surgery", "X99001", "Leeds", ["LS6", "LS7"]),
        new("Millbrook Health Centre", "X99002", "Leeds", ["LS8", "LS9"]),
        new("Canal Side Medical Practice", "X99003", "Leeds", ["LS11", "LS12"]),
        new("Park View Surgery", "X99004", "Bradford", ["BD3", "BD7", "BD9"]),
        new("Hilltop Family Practice", "X99005", "Halifax", ["HX1", "HX3"]),
        new("Market Street Medical Centre", "X99006", "Huddersfield", ["HD1", "HD2"]),
        new("Oakwood Practice", "X99007", "Wakefield", ["WF1", "WF2"]),
        new("Stonebridge Health Centre", "X99008", "Dewsbury", ["WF12", "WF13"]),
        new("Meadowbank Surgery", "X99009", "Keighley", ["BD20", "BD21"]),
        new("Elm Tree Medical Practice", "X99010", "Otley", ["LS21"]),
        new("Northgate Surgery", "X99011", "Pontefract", ["WF8"]),
        new("Valley Road Practice", "X99012", "Castleford", ["WF10"]),
    ];

    /// <summary>Illustrative street names, common across England.</summary>
    public static readonly string[] Streets =
    [
        "High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road",
        "Park Avenue", "Queens Road", "Mill Lane", "Kings Road", "New Road", "School Lane",
        "The Crescent", "Orchard Close", "Willow Way", "Chapel Street", "Springfield Road", "York Road",
        "North Street", "Albert Road", "Moor Lane", "Beck Side", "Woodland Drive", "Hawthorn Avenue",
    ];

    /// <summary>
    /// Letters allowed in the inward part of a postcode (C, I, K, M, O and V are never used there;
    /// BS 7666 / Royal Mail Postcode Address File conventions).
    /// </summary>
    public const string InwardLetters = "ABDEFGHJLNPQRSTUWXYZ";

    /// <summary>Illustrative wards of the demonstration hospital.</summary>
    public static readonly WardSite[] Wards =
    [
        new("Acute Medical Unit", false, 24),
        new("Ward 8 (Stroke)", false, 16),
        new("Ward 12 (Respiratory)", false, 20),
        new("Ward 14 (Cardiology)", false, 16),
        new("Ward 20 (Elderly Care)", false, 24),
        new("Ward 22 (General Surgery)", false, 20),
        new("Ward 30 (Orthopaedics)", false, 16),
        new("Children's Ward", true, 12),
    ];

    /// <summary>Illustrative outpatient clinics.</summary>
    public static readonly string[] Clinics =
    [
        "Medical Outpatients", "Surgical Outpatients", "Children's Outpatients",
    ];
}

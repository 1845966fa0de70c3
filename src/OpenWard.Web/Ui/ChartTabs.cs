namespace OpenWard.Web.Ui;

/// <summary>One tab of a patient's chart: its key, its label and its address under /patients/{id}.</summary>
public sealed record ChartTab(string Key, string Label, string Path)
{
    public string Href(string patientId) => $"/patients/{Uri.EscapeDataString(patientId)}{Path}";
}

/// <summary>
/// The chart's tabs, in the order clinicians read a record: the summary first, then each part of
/// the record, then the timeline of everything. Each tab is its own page (works without
/// JavaScript, can be bookmarked and opened in a new tab); Pages/Shared/_ChartTabs.cshtml draws them.
/// </summary>
public static class ChartTabs
{
    public static readonly ChartTab Summary = new("summary", "Summary", "");
    public static readonly ChartTab Encounters = new("encounters", "Encounters", "/encounters");
    public static readonly ChartTab Problems = new("problems", "Problems", "/problems");
    public static readonly ChartTab Allergies = new("allergies", "Allergies", "/allergies");
    public static readonly ChartTab Observations = new("observations", "Observations", "/observations");
    public static readonly ChartTab Medicines = new("medicines", "Medicines", "/medicines");
    public static readonly ChartTab Results = new("results", "Results", "/results");
    public static readonly ChartTab Notes = new("notes", "Notes", "/notes");
    public static readonly ChartTab Documents = new("documents", "Documents", "/documents");
    public static readonly ChartTab Timeline = new("timeline", "Timeline", "/timeline");

    public static readonly IReadOnlyList<ChartTab> All = [Summary, Encounters, Problems, Allergies, Observations, Medicines, Results, Notes, Documents, Timeline];
}

/// <summary>The model of the _ChartTabs partial: whose chart, and which tab is showing.</summary>
public sealed record ChartTabsModel(string PatientId, ChartTab Current);

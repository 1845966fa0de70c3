using OpenWard.Clinical.Observations;

namespace OpenWard.Web.Ui;

/// <summary>
/// A NEWS2 response band in words for staff: its name (never only a colour) and what to do, from
/// RCP NEWS2 (2017) chart 4, "Clinical response to the NEWS trigger thresholds".
/// </summary>
public static class News2Advice
{
    /// <summary>The band's name, as written on the page and in the chart's table.</summary>
    public static string Band(News2Response response) => response switch
    {
        News2Response.Routine => "Score 0: routine monitoring",
        News2Response.Low => "Low (score 1 to 4): ward-based response",
        News2Response.LowMedium => "Low to medium (3 in one parameter): urgent ward-based response",
        News2Response.Medium => "Medium (score 5 or 6): urgent response",
        _ => "High (score 7 or more): emergency response",
    };

    /// <summary>Chart 4's minimum monitoring frequency and clinical response for the band.</summary>
    public static IReadOnlyList<string> WhatToDo(News2Response response) => response switch
    {
        News2Response.Routine => ["Continue routine NEWS monitoring: observations at least every 12 hours."],
        News2Response.Low =>
        [
            "Inform a registered nurse, who must assess the patient.",
            "The registered nurse decides whether more frequent monitoring or escalation of care is needed.",
            "Observations at least every 4 to 6 hours.",
        ],
        News2Response.LowMedium =>
        [
            "The registered nurse informs the medical team caring for the patient, who will review and decide whether escalation of care is needed.",
            "Observations at least every hour.",
        ],
        News2Response.Medium =>
        [
            "The registered nurse informs the medical team caring for the patient immediately.",
            "The registered nurse asks for an urgent assessment by a clinician or team with core competencies in the care of acutely ill patients.",
            "Provide clinical care in an environment with monitoring facilities.",
            "Observations at least every hour.",
        ],
        _ =>
        [
            "The registered nurse informs the medical team caring for the patient immediately: at least at specialist registrar level.",
            "Emergency assessment by a team with critical care competencies, including a practitioner with advanced airway management skills.",
            "Consider transfer of care to a level 2 or 3 clinical care facility (a higher-dependency unit or ICU).",
            "Continuous monitoring of vital signs.",
        ],
    };

    /// <summary>The CSS modifier for the band's tag (colour is a second signal: the words say it all).</summary>
    public static string TagClass(News2Response response) => response switch
    {
        News2Response.Routine => "nhsuk-tag--green",
        News2Response.Low => "nhsuk-tag--yellow",
        News2Response.LowMedium or News2Response.Medium => "nhsuk-tag--orange",
        _ => "nhsuk-tag--red",
    };
}

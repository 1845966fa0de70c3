namespace OpenWard.Clinical.Medicines.Checks;

/// <summary>
/// Route: a route the formulary names as wrong for the medicine (vincristine intrathecally, a never
/// event) raises that rule's alert; a route the medicine is not given by in this formulary is a warning.
/// An order whose route cannot be read is reported as not checked.
/// </summary>
internal static class RouteCheck
{
    public static void Run(CheckInput input, Findings findings)
    {
        var medicine = input.Medicine;
        var written = input.Order.DosageInstruction.Select(d => d.Route).FirstOrDefault(r => r is not null);
        if (input.Route is not { } route)
        {
            findings.Unchecked(CheckCategory.Route, MedicineRoutes.IsGiven(written)
                ? $"Route not checked: '{written!.Text ?? written.Coding.FirstOrDefault()?.Display ?? written.Coding.FirstOrDefault()?.Code}' is not a route OpenWard recognises."
                : $"Route not checked: the order for {input.Name} gives no route.");
            return;
        }

        var wrong = medicine.Rules.Routes.Where(r => MedicineRoutes.Find(r.Route) == route).ToList();
        foreach (var rule in wrong)
        {
            findings.Alert(
                CheckCategory.Route,
                rule.Severity,
                $"Wrong route: {input.Name} by the {route} route",
                $"{rule.Message}{Findings.Cite(rule.Source)}");
        }

        if (wrong.Count > 0)
            return;
        // A medicine given by mouth may go down an enteral tube; whether its form can is the pharmacist's question, not a wrong route.
        var enteralTube = route is "nasogastric" or "gastrostomy" && medicine.Routes.Any(r => MedicineRoutes.Find(r) == "oral");
        if (medicine.Routes.Count > 0 && !enteralTube && !medicine.Routes.Any(r => MedicineRoutes.Find(r) == route))
        {
            findings.Alert(
                CheckCategory.Route,
                AlertSeverity.Warning,
                $"Unusual route: {input.Name} is not given by the {route} route in this formulary",
                $"The formulary gives {input.Name} by {string.Join(", ", medicine.Routes)} only. Check the route before signing.");
            return;
        }

        findings.Pass(CheckCategory.Route, $"{input.Name} by the {route} route{(enteralTube ? " (given by mouth in the formulary: check the form can go down the tube)" : "")}");
    }
}

using System.Globalization;
using System.Xml.Linq;
using Hl7.Fhir.Model;
using OpenWard.Clinical.Observations;

namespace OpenWard.Web.Ui;

/// <summary>One set of observations as the NEWS2 chart plots it: the values measured and OpenWard's score for the set.</summary>
public sealed record News2ChartSet(DateTimeOffset When)
{
    public int? Total { get; init; }

    public News2Response? Response { get; init; }

    public bool Complete { get; init; }

    public bool Scale2 { get; init; }

    public decimal? RespirationRate { get; init; }

    public decimal? OxygenSaturation { get; init; }

    public bool? OnOxygen { get; init; }

    public decimal? Systolic { get; init; }

    public decimal? Diastolic { get; init; }

    public decimal? Pulse { get; init; }

    public Acvpu? Consciousness { get; init; }

    public decimal? Temperature { get; init; }
}

/// <summary>
/// The NEWS2 observation chart drawn on the server as inline SVG (no JavaScript), laid out like the
/// RCP NEWS2 (2017) observation chart: one column per set, oldest on the left; one panel per
/// parameter whose rows are the chart 1 score bands, shaded by score and labelled with their range
/// and score in text (so the chart reads in black and white, and colour is never the only signal);
/// each value written beside its point. Rows are equal height, values placed linearly within their
/// row. The page shows the same data as a table for screen readers (<see cref="SetsFrom"/>).
/// </summary>
public static class News2Chart
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>At most this many sets are drawn (the latest), from at most <see cref="Window"/> ago.</summary>
    public const int MaxSets = 30;

    public static readonly TimeSpan Window = TimeSpan.FromDays(3);

    private const int Left = 132;
    private const int Column = 40;
    private const int Header = 36;
    private const int Row = 15;
    private const int TextRow = 22;
    private const int Gap = 8;

    /// <summary>The height of a panel's title line, above its rows.</summary>
    private const int TitleLine = 16;

    /// <summary>Columns drawn even with fewer sets, as on a paper chart, so that one set does not make a thin strip.</summary>
    private const int MinColumns = 12;

    /// <summary>A row of a panel: values above <paramref name="Above"/> up to <paramref name="UpTo"/> score <paramref name="Score"/>.</summary>
    private sealed record Band(decimal Above, decimal UpTo, string Label, int Score);

    private sealed record Panel(string Series, string Title, IReadOnlyList<Band> Bands, Func<News2ChartSet, decimal?> Value);

    // RCP NEWS2 chart 1 bands, lowest first; the outer bands' far edges are only where the chart stops drawing.
    private static readonly Band[] RespirationBands = [new(0, 8, "≤8", 3), new(8, 11, "9–11", 1), new(11, 20, "12–20", 0), new(20, 24, "21–24", 2), new(24, 60, "≥25", 3)];
    private static readonly Band[] Scale1Bands = [new(50, 91, "≤91", 3), new(91, 93, "92–93", 2), new(93, 95, "94–95", 1), new(95, 100, "≥96", 0)];
    private static readonly Band[] Scale2Bands = [new(50, 83, "≤83", 3), new(83, 85, "84–85", 2), new(85, 87, "86–87", 1), new(87, 92, "88–92", 0), new(92, 94, "93–94 O2", 1), new(94, 96, "95–96 O2", 2), new(96, 100, "≥97 O2", 3)];
    private static readonly Band[] SystolicBands = [new(40, 90, "≤90", 3), new(90, 100, "91–100", 2), new(100, 110, "101–110", 1), new(110, 219, "111–219", 0), new(219, 300, "≥220", 3)];
    private static readonly Band[] PulseBands = [new(20, 40, "≤40", 3), new(40, 50, "41–50", 1), new(50, 90, "51–90", 0), new(90, 110, "91–110", 1), new(110, 130, "111–130", 2), new(130, 250, "≥131", 3)];
    private static readonly Band[] TemperatureBands = [new(30, 35, "≤35.0", 3), new(35, 36, "35.1–36.0", 1), new(36, 38, "36.1–38.0", 0), new(38, 39, "38.1–39.0", 1), new(39, 43, "≥39.1", 2)];

    // The total's rows by response band (chart 3): 0, 1–4, 5–6, 7 or more; shaded as sub-scores 0 to 3.
    private static readonly Band[] TotalBands = [new(-1, 0, "0", 0), new(0, 4, "1–4 low", 1), new(4, 6, "5–6 med", 2), new(6, 20, "≥7 high", 3)];

    /// <summary>
    /// The sets among a patient's Observations: inputs grouped by effective time (as
    /// <see cref="News2Set"/> groups them) with OpenWard's score for each; the latest
    /// <see cref="MaxSets"/> from the last <see cref="Window"/> before <paramref name="now"/>, oldest first.
    /// </summary>
    public static IReadOnlyList<News2ChartSet> SetsFrom(IEnumerable<Observation> observations, DateTimeOffset now)
    {
        var sets = new List<News2ChartSet>();
        var groups = observations
            .Where(o => o.Status is not (ObservationStatus.EnteredInError or ObservationStatus.Cancelled))
            .Select(o => (Observation: o, When: News2Set.EffectiveTime(o)))
            .Where(o => o.When is { } at && at >= now - Window && at <= now + TimeSpan.FromMinutes(5))
            .GroupBy(o => o.When!.Value);
        foreach (var group in groups)
        {
            var members = group.Select(g => g.Observation).ToList();
            var score = members.FirstOrDefault(News2Set.IsOwnScore);
            var readings = members.Where(m => !News2Set.IsOwnScore(m) && VitalSigns.IsInput(m)).SelectMany(m => VitalSigns.Read(m, out _)).ToList();
            if (score is null && readings.Count == 0)
                continue;

            decimal? Number(News2Parameter parameter) => readings.FirstOrDefault(r => r.Parameter == parameter && r.Number is not null)?.Number;
            var oxygen = readings.Where(r => r.OnOxygen is not null).Select(r => r.OnOxygen!.Value).ToList();
            sets.Add(new News2ChartSet(group.Key)
            {
                Total = score is null ? null : ObservationsDue.TotalOf(score),
                Response = score is null ? null : ObservationsDue.ResponseOf(score),
                Complete = score?.Status == ObservationStatus.Final,
                Scale2 = score?.Component.Any(c => c.Code.Coding.Any(k => k.Code == VitalSigns.SubScoreCode(News2Parameter.OxygenSaturation, scale2: true))) == true,
                RespirationRate = Number(News2Parameter.RespirationRate),
                OxygenSaturation = Number(News2Parameter.OxygenSaturation),
                OnOxygen = oxygen.Count == 0 ? null : oxygen.Any(o => o),
                Systolic = Number(News2Parameter.SystolicBloodPressure),
                Diastolic = members.SelectMany(m => m.Component).Where(c => c.Code.Coding.Any(k => k.Code is "8462-4" or "1091811000000102")).Select(c => (c.Value as Quantity)?.Value).FirstOrDefault(v => v is not null),
                Pulse = Number(News2Parameter.Pulse),
                Consciousness = readings.Where(r => r.Consciousness is not null).Select(r => r.Consciousness).Max(),
                Temperature = Number(News2Parameter.Temperature),
            });
        }

        return [.. sets.OrderByDescending(s => s.When).Take(MaxSets).OrderBy(s => s.When)];
    }

    /// <summary>The chart as an SVG element (well-formed XML, every text escaped), to be written into the page as it is.</summary>
    /// <param name="title">What the chart is, for its accessible name ("NEWS2 chart for SMITH, Ann").</param>
    public static string Render(IReadOnlyList<News2ChartSet> sets, TimeZoneInfo zone, string title)
    {
        var scale2 = sets.Count > 0 && sets[^1].Scale2;
        var panels = new List<Panel>
        {
            new("RespirationRate", "Respiration rate /min", RespirationBands, s => s.RespirationRate),
            new("OxygenSaturation", $"SpO2 % (scale {(scale2 ? 2 : 1)})", scale2 ? Scale2Bands : Scale1Bands, s => s.OxygenSaturation),
        };
        var width = Left + (Math.Max(sets.Count, MinColumns) * Column) + 8;
        var body = new List<XElement>();
        var y = Header;

        void Numeric(Panel panel)
        {
            body.Add(Label(panel.Title, 4, y + 11, "start", bold: true));
            y += TitleLine;
            body.Add(PanelElement(panel, sets, y, width));
            y += (panel.Bands.Count * Row) + Gap;
        }

        void Text(string series, string label, Func<News2ChartSet, (string Text, int Score)?> cell)
        {
            var group = new XElement(Svg + "g", new XAttribute("class", "openward-news2-chart__panel"), new XAttribute("data-series", series));
            group.Add(Label(label, 4, y + 15, "start", bold: true));
            for (var i = 0; i < sets.Count; i++)
            {
                if (cell(sets[i]) is not { } value)
                    continue;
                var x = Left + (i * Column);
                group.Add(new XElement(Svg + "rect", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("width", Column), new XAttribute("height", TextRow), new XAttribute("fill", Fill(value.Score)), new XAttribute("stroke", "#768692"), new XAttribute("stroke-width", "0.5")));
                group.Add(Label(value.Text, x + (Column / 2), y + 15, "middle", bold: value.Score > 0, cssClass: "openward-news2-cell"));
            }

            group.Add(new XElement(Svg + "rect", new XAttribute("x", Left), new XAttribute("y", y), new XAttribute("width", width - Left - 8), new XAttribute("height", TextRow), new XAttribute("fill", "none"), new XAttribute("stroke", "#425563")));
            body.Add(group);
            y += TextRow + Gap;
        }

        Numeric(panels[0]);
        Numeric(panels[1]);
        Text("AirOrOxygen", "Air or oxygen", s => s.OnOxygen is { } o ? (o ? "O2" : "Air", o ? 2 : 0) : null);
        Numeric(new Panel("Systolic", "Systolic BP mmHg", SystolicBands, s => s.Systolic));
        Numeric(new Panel("Pulse", "Pulse /min", PulseBands, s => s.Pulse));
        Text("Consciousness", "Consciousness", s => s.Consciousness is { } c ? (Letter(c), c == Acvpu.Alert ? 0 : 3) : null);
        Numeric(new Panel("Temperature", "Temperature °C", TemperatureBands, s => s.Temperature));
        Numeric(new Panel("Total", "NEWS2 total", TotalBands, s => s.Total));

        var svg = new XElement(
            Svg + "svg",
            new XAttribute("viewBox", $"0 0 {width} {y}"),
            new XAttribute("width", width),
            new XAttribute("height", y),
            new XAttribute("role", "img"),
            new XAttribute("aria-labelledby", "news2-chart-title news2-chart-desc"),
            new XAttribute("class", "openward-news2-chart"),
            new XAttribute("font-family", "Arial, sans-serif"),
            new XElement(Svg + "title", new XAttribute("id", "news2-chart-title"), title),
            new XElement(Svg + "desc", new XAttribute("id", "news2-chart-desc"), sets.Count == 0
                ? "No observation sets in the last 3 days."
                : $"{sets.Count} observation set{(sets.Count == 1 ? "" : "s")} from {ChartDisplay.When(new FhirDateTime(sets[0].When), zone)} to {ChartDisplay.When(new FhirDateTime(sets[^1].When), zone)}, oldest on the left. Rows are the NEWS2 score bands, labelled with their range and shaded by score. The table below gives the same values."));
        svg.Add(Columns(sets, zone, y));
        svg.Add(body);
        return svg.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement Columns(IReadOnlyList<News2ChartSet> sets, TimeZoneInfo zone, int height)
    {
        var group = new XElement(Svg + "g", new XAttribute("class", "openward-news2-chart__times"));
        group.Add(Label("Date", 4, 14, "start", bold: true), Label("Time", 4, 28, "start", bold: true));
        for (var i = 0; i < sets.Count; i++)
        {
            var local = TimeZoneInfo.ConvertTime(sets[i].When, zone);
            var x = Left + (i * Column);
            group.Add(Label(local.ToString("d MMM", CultureInfo.InvariantCulture), x + (Column / 2), 14, "middle"));
            group.Add(Label(local.ToString("HH:mm", CultureInfo.InvariantCulture), x + (Column / 2), 28, "middle"));
            group.Add(new XElement(Svg + "line", new XAttribute("x1", x), new XAttribute("x2", x), new XAttribute("y1", Header - 4), new XAttribute("y2", height), new XAttribute("stroke", "#d8dde0"), new XAttribute("stroke-width", "1")));
        }

        return group;
    }

    private static XElement PanelElement(Panel panel, IReadOnlyList<News2ChartSet> sets, int top, int width)
    {
        var height = panel.Bands.Count * Row;
        var group = new XElement(Svg + "g", new XAttribute("class", "openward-news2-chart__panel"), new XAttribute("data-series", panel.Series));
        for (var b = 0; b < panel.Bands.Count; b++)
        {
            var band = panel.Bands[b];
            var bandTop = top + height - ((b + 1) * Row);
            group.Add(new XElement(Svg + "rect", new XAttribute("x", Left), new XAttribute("y", bandTop), new XAttribute("width", width - Left - 8), new XAttribute("height", Row), new XAttribute("fill", Fill(band.Score)), new XAttribute("stroke", "#768692"), new XAttribute("stroke-width", "0.5")));
            // The band's range and score in text: what a printed chart in black and white still says.
            group.Add(Label($"{band.Label} [{band.Score}]", Left - 4, bandTop + 11, "end", cssClass: "openward-news2-band"));
        }

        var points = new List<(double X, double Y, decimal Value, News2ChartSet Set)>();
        for (var i = 0; i < sets.Count; i++)
        {
            if (panel.Value(sets[i]) is { } value)
                points.Add((Left + (i * Column) + (Column / 2.0), Place(panel.Bands, value, top, height), value, sets[i]));
        }

        if (panel.Series == "Systolic")
        {
            // Blood pressure as the paper chart draws it: a bar from diastolic up to systolic.
            foreach (var point in points.Where(p => p.Set.Diastolic is not null))
            {
                group.Add(new XElement(Svg + "line", new XAttribute("x1", N(point.X)), new XAttribute("x2", N(point.X)), new XAttribute("y1", N(point.Y)), new XAttribute("y2", N(Place(panel.Bands, point.Set.Diastolic!.Value, top, height))), new XAttribute("stroke", "#212b32"), new XAttribute("stroke-width", "2")));
            }
        }
        else if (points.Count > 1)
        {
            group.Add(new XElement(Svg + "polyline", new XAttribute("points", string.Join(' ', points.Select(p => $"{N(p.X)},{N(p.Y)}"))), new XAttribute("fill", "none"), new XAttribute("stroke", "#212b32"), new XAttribute("stroke-width", "1.5")));
        }

        foreach (var (x, py, value, set) in points)
        {
            var text = panel.Series == "Systolic" && set.Diastolic is { } diastolic ? $"{Number(value)}/{Number(diastolic)}" : Number(value);
            group.Add(new XElement(Svg + "circle", new XAttribute("class", "openward-news2-point"), new XAttribute("data-series", panel.Series), new XAttribute("cx", N(x)), new XAttribute("cy", N(py)), new XAttribute("r", "3.5"), new XAttribute("fill", "#212b32")));
            group.Add(Label(text, x, py - 6 >= top + 9 ? py - 6 : py + 13, "middle", bold: true, cssClass: "openward-news2-value"));
        }

        group.Add(new XElement(Svg + "rect", new XAttribute("x", Left), new XAttribute("y", top), new XAttribute("width", width - Left - 8), new XAttribute("height", height), new XAttribute("fill", "none"), new XAttribute("stroke", "#425563")));
        return group;
    }

    /// <summary>Where a value sits: in its band's row, linearly; outside the drawn range, at the edge (its label still gives the value).</summary>
    private static double Place(IReadOnlyList<Band> bands, decimal value, int top, int height)
    {
        var clamped = Math.Clamp(value, bands[0].Above, bands[^1].UpTo);
        var index = 0;
        while (index < bands.Count - 1 && clamped > bands[index].UpTo)
            index++;
        var band = bands[index];
        var within = band.UpTo == band.Above ? 0.5 : (double)((clamped - band.Above) / (band.UpTo - band.Above));
        return top + height - (index * Row) - (Math.Clamp(within, 0.1, 0.9) * Row);
    }

    private static XElement Label(string text, double x, double y, string anchor, bool bold = false, string? cssClass = null)
    {
        var label = new XElement(Svg + "text", new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("text-anchor", anchor), new XAttribute("font-size", "10"), new XAttribute("fill", "#212b32"), text);
        if (bold)
            label.Add(new XAttribute("font-weight", "bold"));
        if (cssClass is not null)
            label.Add(new XAttribute("class", cssClass));
        return label;
    }

    /// <summary>Light shades, so that black text on them keeps its contrast; the text says the score too.</summary>
    private static string Fill(int score) => score switch
    {
        0 => "#ffffff",
        1 => "#fff3b0",
        2 => "#fdd5a5",
        _ => "#f6b9b9",
    };

    public static string Letter(Acvpu level) => level switch
    {
        Acvpu.Alert => "A",
        Acvpu.NewConfusion => "C",
        Acvpu.Voice => "V",
        Acvpu.Pain => "P",
        _ => "U",
    };

    private static string Number(decimal value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

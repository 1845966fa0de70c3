namespace OpenWard.Web.Ui;

/// <summary>
/// An NHS date input (Pages/Shared/_DateInput.cshtml): day, month and year boxes posted as
/// <c>{Name}Day</c>, <c>{Name}Month</c> and <c>{Name}Year</c> ("Input.BirthDay"), with the question,
/// an optional hint and the values typed. Errors are kept under the day's name, so an error
/// summary link lands on the first box.
/// </summary>
public sealed record DateInputField(string Name, string Legend, string? Hint, string? Day, string? Month, string? Year)
{
    public string ErrorKey => $"{Name}Day";

    /// <summary>The fieldset's id prefix ("Input_BirthDate"), for its hint and error.</summary>
    public string GroupId => $"{Name.Replace('.', '_')}Date";

    public IEnumerable<(string Name, string Id, string Label, string? Value, int Width)> Parts =>
    [
        ($"{Name}Day", $"{Name.Replace('.', '_')}Day", "Day", Day, 2),
        ($"{Name}Month", $"{Name.Replace('.', '_')}Month", "Month", Month, 2),
        ($"{Name}Year", $"{Name.Replace('.', '_')}Year", "Year", Year, 4),
    ];
}

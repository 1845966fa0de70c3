namespace OpenWard.Web.Ui;

/// <summary>
/// A group of NHS radios bound to one form field (Pages/Shared/_Radios.cshtml): the field's name as
/// posted ("Input.Severity"), its question, an optional hint, the choices, and the one selected.
/// The first radio's id is the field's id, so an error summary link lands on it.
/// </summary>
public sealed record RadiosField(string Name, string Legend, string? Hint, IReadOnlyList<(string Code, string Label)> Choices, string? Selected)
{
    public string Id => Name.Replace('.', '_');

    public string RadioId(int index) => index == 0 ? Id : $"{Id}-{Choices[index].Code switch { "" => "none", var code => code }}";
}

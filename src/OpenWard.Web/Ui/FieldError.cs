using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace OpenWard.Web.Ui;

/// <summary>One line of an NHS error summary: the id of the field in error and what to do about it.</summary>
public sealed record FieldError(string FieldId, string Message)
{
    /// <summary>
    /// The model state's errors, with the ids the tag helpers give the fields ("Input.NhsNumber"
    /// becomes "Input_NhsNumber"). The summary lists errors in the order of the fields on the page,
    /// which model state does not keep: name the keys in that order; any others follow by key.
    /// </summary>
    public static IReadOnlyList<FieldError> FromModelState(ModelStateDictionary modelState, params string[] keysInPageOrder) =>
    [
        .. from entry in modelState
           let position = Array.IndexOf(keysInPageOrder, entry.Key)
           orderby position < 0 ? int.MaxValue : position, entry.Key
           from error in entry.Value.Errors
           select new FieldError(TagBuilder.CreateSanitizedId(entry.Key, "_"), error.ErrorMessage),
    ];
}

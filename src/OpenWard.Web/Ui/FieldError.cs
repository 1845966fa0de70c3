using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace OpenWard.Web.Ui;

/// <summary>One line of an NHS error summary: the id of the field in error and what to do about it.</summary>
public sealed record FieldError(string FieldId, string Message)
{
    /// <summary>
    /// The model state's errors in form order, with the ids the tag helpers give the fields
    /// ("Input.NhsNumber" becomes "Input_NhsNumber").
    /// </summary>
    public static IReadOnlyList<FieldError> FromModelState(ModelStateDictionary modelState) =>
    [
        .. from entry in modelState
           from error in entry.Value.Errors
           select new FieldError(TagBuilder.CreateSanitizedId(entry.Key, "_"), error.ErrorMessage),
    ];
}

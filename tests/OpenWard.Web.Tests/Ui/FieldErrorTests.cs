using Microsoft.AspNetCore.Mvc.ModelBinding;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class FieldErrorTests
{
    [Fact]
    public void Model_state_errors_become_summary_lines_in_page_order_linking_to_the_fields_ids()
    {
        var modelState = new ModelStateDictionary();
        modelState.AddModelError("Input.Ward", "Select a ward");
        modelState.AddModelError("Input.NhsNumber", "Enter a 10-digit NHS number");
        modelState.AddModelError("Input.BirthDate", "Date of birth must be in the past");
        modelState.SetModelValue("Input.Name", "Ann", "Ann");

        var errors = FieldError.FromModelState(modelState, "Input.NhsNumber", "Input.BirthDate");

        Assert.Equal(
            [
                new FieldError("Input_NhsNumber", "Enter a 10-digit NHS number"),
                new FieldError("Input_BirthDate", "Date of birth must be in the past"),
                new FieldError("Input_Ward", "Select a ward"),
            ],
            errors);
    }
}

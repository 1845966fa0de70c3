using Hl7.Fhir.Model;
using OpenWard.Fhir.Patch;
using OpenWard.Fhir.Serialization;

namespace OpenWard.Fhir.Tests.Patch;

public class FhirPathPatchTests
{
    // Illustrative patient; 943 476 5919 is the NHS Data Dictionary's worked example of a valid NHS number.
    private static readonly string PatientJson = FhirSerialization.ToJson(new Patient
    {
        Id = "p1",
        Identifier =
        [
            new Identifier("https://fhir.nhs.uk/Id/nhs-number", "9434765919"),
            new Identifier("https://example.org/mrn", "MRN-1"),
        ],
        Active = true,
        Name = [new HumanName { Family = "Smith", Given = ["Ann", "Beth"] }],
        Gender = AdministrativeGender.Female,
        BirthDate = "1980-05-17",
    });

    private static Parameters.ParameterComponent Part(string name, DataType value) => new() { Name = name, Value = value };

    private static Parameters.ParameterComponent Operation(string type, string path, params Parameters.ParameterComponent[] parts)
    {
        var operation = new Parameters.ParameterComponent { Name = "operation" };
        operation.Part.Add(Part("type", new Code(type)));
        operation.Part.Add(Part("path", new FhirString(path)));
        operation.Part.AddRange(parts);
        return operation;
    }

    private static Parameters Patch(params Parameters.ParameterComponent[] operations)
    {
        var parameters = new Parameters();
        parameters.Parameter.AddRange(operations);
        return parameters;
    }

    private static Patient Apply(params Parameters.ParameterComponent[] operations) =>
        (Patient)ResourcePatch.FromResource(Patch(operations)).Apply(PatientJson);

    private static FhirException Fails(params Parameters.ParameterComponent[] operations) =>
        Assert.Throws<FhirException>(() => Apply(operations));

    private static string Code(FhirException e) => e.Outcome.Issue[0].Details!.Coding[0].Code!;

    [Fact]
    public void Add_sets_an_absent_element_as_in_the_specification_example()
    {
        // The example of https://hl7.org/fhir/R4/fhirpatch.html adds Patient.birthDate; here deceased[x] is absent.
        var patient = Apply(
            Operation("add", "Patient", Part("name", new FhirString("deceased")), Part("value", new FhirBoolean(false))),
            Operation("add", "Patient", Part("name", new FhirString("multipleBirthInteger")), Part("value", new Integer(2))));

        Assert.False(((FhirBoolean)patient.Deceased!).Value);
        Assert.Equal(2, ((Integer)patient.MultipleBirth!).Value);
    }

    [Fact]
    public void Add_appends_to_a_list_and_builds_an_anonymous_element_from_parts()
    {
        var contact = new Parameters.ParameterComponent { Name = "value" };
        contact.Part.Add(Part("name", new HumanName { Text = "a name" }));
        contact.Part.Add(Part("gender", new Code("male")));

        var patient = Apply(
            Operation("add", "Patient", Part("name", new FhirString("identifier")), Part("value", new Identifier("https://example.org/other", "O-1"))),
            Operation("add", "Patient", Part("name", new FhirString("contact")), contact));

        Assert.Equal(["9434765919", "MRN-1", "O-1"], patient.Identifier.Select(i => i.Value));
        Assert.Equal("a name", patient.Contact.Single().Name!.Text);
        Assert.Equal(AdministrativeGender.Male, patient.Contact[0].Gender);
    }

    [Fact]
    public void Add_of_an_element_already_present_fails_with_422()
    {
        var error = Fails(Operation("add", "Patient", Part("name", new FhirString("birthDate")), Part("value", new Date("1930-01-01"))));

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.FailedCode, Code(error));
    }

    [Fact]
    public void Insert_places_the_value_at_the_index_including_into_an_empty_list()
    {
        var patient = Apply(
            Operation("insert", "Patient.name[0].given", Part("value", new FhirString("Clare")), Part("index", new Integer(1))),
            Operation("insert", "Patient.telecom", Part("value", new ContactPoint(ContactPoint.ContactPointSystem.Phone, null, "01632 960000")), Part("index", new Integer(0))));

        Assert.Equal(["Ann", "Clare", "Beth"], patient.Name[0].Given);
        Assert.Equal("01632 960000", patient.Telecom.Single().Value);
    }

    [Fact]
    public void Insert_past_the_end_of_the_list_fails_with_422()
    {
        var error = Fails(Operation("insert", "Patient.name[0].given", Part("value", new FhirString("Clare")), Part("index", new Integer(3))));

        Assert.Equal(422, error.Status);
    }

    [Fact]
    public void Delete_removes_the_one_matching_element_and_finding_nothing_is_not_an_error()
    {
        var patient = Apply(
            Operation("delete", "Patient.identifier.where(system = 'https://example.org/mrn')"),
            Operation("delete", "Patient.name[0].given[0]"),
            Operation("delete", "Patient.active"),
            Operation("delete", "Patient.deceased"));

        Assert.Equal("9434765919", patient.Identifier.Single().Value);
        Assert.Equal(["Beth"], patient.Name[0].Given);
        Assert.Null(patient.Active);
    }

    [Fact]
    public void Delete_of_more_than_one_element_fails_with_422()
    {
        var error = Fails(Operation("delete", "Patient.identifier"));

        Assert.Equal(422, error.Status);
        Assert.Contains("matches 2 elements", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_changes_an_element_and_a_list_item_converting_within_a_primitive_family()
    {
        var patient = Apply(
            Operation("replace", "Patient.birthDate", Part("value", new Date("1981-06-18"))),
            Operation("replace", "Patient.gender", Part("value", new Code("male"))),
            Operation("replace", "Patient.name[0].given[1]", Part("value", new FhirString("Bea"))),
            Operation("replace", "Patient.identifier[1]", Part("value", new Identifier("https://example.org/mrn", "MRN-2"))));

        Assert.Equal("1981-06-18", patient.BirthDate);
        Assert.Equal(AdministrativeGender.Male, patient.Gender);
        Assert.Equal(["Ann", "Bea"], patient.Name[0].Given);
        Assert.Equal("MRN-2", patient.Identifier[1].Value);
    }

    [Theory]
    [InlineData("Patient.birthDate")]
    [InlineData("Patient.name.given")]
    [InlineData("Patient.deceased")]
    public void Replace_with_the_wrong_type_or_not_exactly_one_match_fails_with_422(string path)
    {
        var error = Fails(Operation("replace", path, Part("value", new FhirBoolean(true))));

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.FailedCode, Code(error));
    }

    [Fact]
    public void Move_reorders_a_list()
    {
        var patient = Apply(Operation("move", "Patient.name[0].given", Part("source", new Integer(1)), Part("destination", new Integer(0))));

        Assert.Equal(["Beth", "Ann"], patient.Name[0].Given);
    }

    [Fact]
    public void Move_outside_the_list_fails_with_422()
    {
        var error = Fails(Operation("move", "Patient.name[0].given", Part("source", new Integer(0)), Part("destination", new Integer(2))));

        Assert.Equal(422, error.Status);
    }

    [Fact]
    public void Operations_apply_in_order_each_to_the_result_of_the_one_before()
    {
        var patient = Apply(
            Operation("insert", "Patient.name[0].given", Part("value", new FhirString("Clare")), Part("index", new Integer(0))),
            Operation("replace", "Patient.name[0].given[0]", Part("value", new FhirString("Cleo"))));

        Assert.Equal(["Cleo", "Ann", "Beth"], patient.Name[0].Given);
    }

    public static TheoryData<string, Parameters> MalformedPatches() => new()
    {
        { "not an operation", new Parameters { Parameter = [new Parameters.ParameterComponent { Name = "op", Value = new FhirString("x") }] } },
        { "unknown type", Patch(Operation("remove", "Patient.active")) },
        { "missing value", Patch(Operation("replace", "Patient.active")) },
        { "part a delete does not take", Patch(Operation("delete", "Patient.active", Part("index", new Integer(0)))) },
        { "negative index", Patch(Operation("insert", "Patient.identifier", Part("value", new Identifier()), Part("index", new Integer(-1)))) },
        { "bad FHIRPath", Patch(Operation("delete", "Patient.name[0")) },
        { "resolve()", Patch(Operation("delete", "Patient.generalPractitioner.resolve().name")) },
        { "insert path not naming a list", Patch(Operation("insert", "Patient.identifier.first()", Part("value", new Identifier()), Part("index", new Integer(0)))) },
    };

    [Theory]
    [MemberData(nameof(MalformedPatches))]
    public void A_malformed_FHIRPath_Patch_is_400(string why, Parameters patch)
    {
        var error = Assert.Throws<FhirException>(() => ResourcePatch.FromResource(patch));

        Assert.True(error.Status == 400, why);
        Assert.Equal(ResourcePatch.InvalidCode, Code(error));
    }

    [Fact]
    public void A_patch_may_not_change_the_id()
    {
        var error = Fails(Operation("replace", "Patient.id", Part("value", new Id("p2"))));

        Assert.Equal(400, error.Status);
        Assert.Equal(ResourcePatch.IdentityCode, Code(error));
    }

    [Fact]
    public void A_value_the_parser_refuses_is_422_with_the_parser_issues()
    {
        var error = Fails(Operation("replace", "Patient.gender", Part("value", new Code("sometimes"))));

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.ResultInvalidCode, Code(error));
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using OpenWard.Fhir.Patch;

namespace OpenWard.Fhir.Tests.Patch;

public class JsonPatchTests
{
    // Illustrative patient; 943 476 5919 is the NHS Data Dictionary's worked example of a valid NHS number.
    private const string PatientJson = """
        {"resourceType":"Patient","id":"p1","meta":{"versionId":"3","lastUpdated":"2024-01-02T03:04:05.000Z"},
         "identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9434765919"}],
         "active":true,"name":[{"family":"Smith","given":["Ann","Beth"]}],"gender":"female","birthDate":"1980-05-17"}
        """;

    private static JsonPatch Parse(string json) => JsonPatch.Parse(Encoding.UTF8.GetBytes(json));

    private static Patient Apply(string patch, string resource = PatientJson) => (Patient)Parse(patch).Apply(resource);

    private static FhirException Fails(string patch, string resource = PatientJson) =>
        Assert.Throws<FhirException>(() => Apply(patch, resource));

    private static string Code(FhirException e) => e.Outcome.Issue[0].Details!.Coding[0].Code!;

    /// <summary>RFC 6902 on plain JSON: applies <paramref name="patch"/> to <paramref name="document"/>.</summary>
    private static string ApplyRfc(string document, string patch) =>
        Parse(patch).ApplyTo(JsonNode.Parse(document))!.ToJsonString();

    private static void AssertJsonEqual(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected} but got {actual}");

    // The examples of RFC 6902 Appendix A (https://www.rfc-editor.org/rfc/rfc6902#appendix-A), each with its expected result.
    [Theory]
    [InlineData("A.1", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("A.2", """{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("A.3", """{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("A.4", """{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("A.5", """{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("A.6", """{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("A.7", """{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("A.8", """{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("A.10", """{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("A.11", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("A.14", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("A.16", """{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    public void The_examples_of_RFC_6902_give_their_published_results(string example, string document, string patch, string expected)
    {
        Assert.NotEmpty(example);
        AssertJsonEqual(expected, ApplyRfc(document, patch));
    }

    [Theory]
    [InlineData("A.9", """{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", ResourcePatch.TestFailedCode)]
    [InlineData("A.12", """{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", ResourcePatch.FailedCode)]
    [InlineData("A.15", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", ResourcePatch.TestFailedCode)]
    public void The_error_examples_of_RFC_6902_fail_with_422(string example, string document, string patch, string code)
    {
        Assert.NotEmpty(example);
        var error = Assert.Throws<FhirException>(() => ApplyRfc(document, patch));

        Assert.Equal(422, error.Status);
        Assert.Equal(code, Code(error));
    }

    [Theory]
    [InlineData("""[{"op":"add","path":"/","value":{}}]""")]
    [InlineData("""[{"op":"copy","from":"/name","path":"/"}]""")]
    public void A_patch_that_adds_a_member_with_an_empty_name_is_a_422_not_a_crash(string patch)
    {
        var error = Fails(patch);

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.ResultInvalidCode, Code(error));
    }

    [Fact]
    public void Pointer_tokens_decode_tilde_one_then_tilde_zero()
    {
        var pointer = JsonPointer.TryParse("/a~1b/m~0n/~01/")!;

        Assert.Equal(["a/b", "m~n", "~1", ""], pointer.Tokens);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("/name~2")]
    [InlineData("/name~")]
    public void Malformed_pointers_are_refused_with_400(string path)
    {
        var error = Fails($$"""[{"op":"remove","path":"{{path}}"}]""");

        Assert.Equal(400, error.Status);
        Assert.Equal(ResourcePatch.InvalidCode, Code(error));
    }

    [Fact]
    public void Escaped_slash_names_one_member_not_a_path_of_two()
    {
        AssertJsonEqual("""{"a/b":2,"a":{"b":1}}""", ApplyRfc("""{"a/b":1,"a":{"b":1}}""", """[{"op":"replace","path":"/a~1b","value":2}]"""));
    }

    [Fact]
    public void Add_sets_a_new_element()
    {
        var patient = Apply("""[{"op":"add","path":"/deceasedBoolean","value":false}]""");

        Assert.False(((FhirBoolean)patient.Deceased!).Value);
    }

    [Fact]
    public void Add_at_an_index_inserts_and_at_dash_or_the_length_appends()
    {
        var patient = Apply("""
            [{"op":"add","path":"/name/0/given/1","value":"Clare"},
             {"op":"add","path":"/name/0/given/-","value":"Dee"},
             {"op":"add","path":"/name/0/given/4","value":"Eve"}]
            """);

        Assert.Equal(["Ann", "Clare", "Beth", "Dee", "Eve"], patient.Name[0].Given);
    }

    [Theory]
    [InlineData("/name/0/given/3")]
    [InlineData("/name/0/given/01")]
    [InlineData("/name/0/given/-1")]
    [InlineData("/name/0/given/x")]
    public void Add_past_the_end_or_at_a_token_that_is_not_an_index_fails_with_422(string path)
    {
        var error = Fails($$"""[{"op":"add","path":"{{path}}","value":"X"}]""");

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.FailedCode, Code(error));
    }

    [Fact]
    public void Remove_deletes_an_element_and_an_array_item()
    {
        var patient = Apply("""[{"op":"remove","path":"/active"},{"op":"remove","path":"/name/0/given/0"}]""");

        Assert.Null(patient.Active);
        Assert.Equal(["Beth"], patient.Name[0].Given);
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/deceasedBoolean"}]""")]
    [InlineData("""[{"op":"remove","path":"/name/0/given/2"}]""")]
    [InlineData("""[{"op":"remove","path":"/name/0/given/-"}]""")]
    [InlineData("""[{"op":"replace","path":"/deceasedBoolean","value":true}]""")]
    [InlineData("""[{"op":"replace","path":"/name/1","value":{"family":"X"}}]""")]
    [InlineData("""[{"op":"move","from":"/telecom","path":"/contact"}]""")]
    [InlineData("""[{"op":"copy","from":"/name/3","path":"/name/-"}]""")]
    [InlineData("""[{"op":"add","path":"/active/x","value":1}]""")]
    [InlineData("""[{"op":"remove","path":""}]""")]
    public void An_operation_on_something_absent_fails_with_422(string patch)
    {
        var error = Fails(patch);

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.FailedCode, Code(error));
    }

    [Fact]
    public void Replace_changes_a_value_in_place()
    {
        var patient = Apply("""[{"op":"replace","path":"/name/0/family","value":"Jones"},{"op":"replace","path":"/name/0/given/1","value":"Bea"}]""");

        Assert.Equal("Jones", patient.Name[0].Family);
        Assert.Equal(["Ann", "Bea"], patient.Name[0].Given);
    }

    [Fact]
    public void Move_reorders_and_copy_duplicates()
    {
        var patient = Apply("""[{"op":"move","from":"/name/0/given/1","path":"/name/0/given/0"},{"op":"copy","from":"/name/0","path":"/name/-"}]""");

        Assert.Equal(["Beth", "Ann"], patient.Name[0].Given);
        Assert.Equal(2, patient.Name.Count);
        Assert.True(patient.Name[1].IsExactly(patient.Name[0]));
    }

    [Fact]
    public void Move_into_its_own_child_fails_with_422()
    {
        var error = Fails("""[{"op":"move","from":"/name/0","path":"/name/0/period"}]""");

        Assert.Equal(422, error.Status);
        Assert.Contains("own children", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_passing_test_lets_the_patch_apply_and_numbers_compare_by_value()
    {
        var patient = Apply("""
            [{"op":"test","path":"/name/0","value":{"given":["Ann","Beth"],"family":"Smith"}},
             {"op":"test","path":"/multipleBirthInteger","value":2.0},
             {"op":"replace","path":"/active","value":false}]
            """,
            PatientJson.Replace("\"active\":true", "\"active\":true,\"multipleBirthInteger\":2", StringComparison.Ordinal));

        Assert.False(patient.Active);
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/gender","value":"male"}]""")]
    [InlineData("""[{"op":"test","path":"/deceasedBoolean","value":false}]""")]
    [InlineData("""[{"op":"test","path":"/active","value":"true"}]""")]
    [InlineData("""[{"op":"replace","path":"/active","value":false},{"op":"test","path":"/meta/versionId","value":"2"}]""")]
    public void A_failing_test_fails_the_whole_patch_with_422(string patch)
    {
        var error = Fails(patch);

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.TestFailedCode, Code(error));
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/active","value":true}""")]
    [InlineData("""[{"op":"add","path":"/active","value":true""")]
    [InlineData("""["add"]""")]
    [InlineData("""[{"op":"delete","path":"/active"}]""")]
    [InlineData("""[{"path":"/active"}]""")]
    [InlineData("""[{"op":"remove"}]""")]
    [InlineData("""[{"op":"add","path":"/active"}]""")]
    [InlineData("""[{"op":"test","path":"/active"}]""")]
    [InlineData("""[{"op":"move","path":"/active"}]""")]
    [InlineData("""[{"op":"copy","path":"/active","from":3}]""")]
    [InlineData("""[{"op":"remove","path":5}]""")]
    [InlineData("""[{"op":"remove","op":"add","path":"/active","value":1}]""")]
    public void A_malformed_patch_document_is_400_before_anything_is_applied(string patch)
    {
        var error = Assert.Throws<FhirException>(() => Parse(patch));

        Assert.Equal(400, error.Status);
        Assert.Equal(ResourcePatch.InvalidCode, Code(error));
    }

    [Fact]
    public void A_null_value_is_a_value()
    {
        AssertJsonEqual("""{"a":null}""", ApplyRfc("""{"a":1}""", """[{"op":"replace","path":"/a","value":null}]"""));
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/id","value":"p2"}]""")]
    [InlineData("""[{"op":"remove","path":"/id"}]""")]
    [InlineData("""[{"op":"replace","path":"/resourceType","value":"Practitioner"}]""")]
    [InlineData("""[{"op":"replace","path":"","value":{"resourceType":"Patient","id":"p2"}}]""")]
    public void A_patch_may_not_change_the_type_or_id(string patch)
    {
        var error = Fails(patch);

        Assert.Equal(400, error.Status);
        Assert.Equal(ResourcePatch.IdentityCode, Code(error));
    }

    [Fact]
    public void Replacing_the_whole_document_keeping_type_and_id_is_allowed()
    {
        var patient = Apply("""[{"op":"replace","path":"","value":{"resourceType":"Patient","id":"p1","gender":"male"}}]""");

        Assert.Equal(AdministrativeGender.Male, patient.Gender);
        Assert.Empty(patient.Name);
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/gender","value":"sometimes"}]""")]
    [InlineData("""[{"op":"add","path":"/favouriteColour","value":"blue"}]""")]
    [InlineData("""[{"op":"replace","path":"/birthDate","value":"17/05/1980"}]""")]
    [InlineData("""[{"op":"replace","path":"/name","value":{"family":"NotAList"}}]""")]
    public void A_result_that_is_not_valid_FHIR_is_422_with_the_parser_issues(string patch)
    {
        var error = Fails(patch);

        Assert.Equal(422, error.Status);
        Assert.Equal(ResourcePatch.ResultInvalidCode, Code(error));
        Assert.True(error.Outcome.Issue.Count >= 2, "the parser's own issues follow the first");
    }

    [Fact]
    public void A_patch_that_changes_the_data_but_not_the_narrative_removes_the_narrative()
    {
        var withText = PatientJson.Replace("\"active\":true", "\"active\":true,\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">Ann Smith</div>\"}", StringComparison.Ordinal);

        var changed = Apply("""[{"op":"replace","path":"/name/0/family","value":"Jones"}]""", withText);
        var onlyTested = Apply("""[{"op":"test","path":"/name/0/family","value":"Smith"}]""", withText);
        var narrativeToo = Apply("""
            [{"op":"replace","path":"/name/0/family","value":"Jones"},
             {"op":"replace","path":"/text/div","value":"<div xmlns=\"http://www.w3.org/1999/xhtml\">Ann Jones</div>"}]
            """, withText);

        Assert.Null(changed.Text);
        Assert.NotNull(onlyTested.Text);
        Assert.Contains("Ann Jones", narrativeToo.Text!.Div, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Binary_carries_a_JSON_Patch_and_other_bodies_are_refused()
    {
        var binary = new Binary { ContentType = "application/json-patch+json", Data = Encoding.UTF8.GetBytes("""[{"op":"replace","path":"/active","value":false}]""") };
        var wrongType = new Binary { ContentType = "application/json", Data = binary.Data };

        var patch = Assert.IsType<JsonPatch>(ResourcePatch.FromResource(binary));

        Assert.False(((Patient)patch.Apply(PatientJson)).Active);
        Assert.Equal(400, Assert.Throws<FhirException>(() => ResourcePatch.FromResource(wrongType)).Status);
        Assert.Equal(400, Assert.Throws<FhirException>(() => ResourcePatch.FromResource(new Patient())).Status);
    }

    [Theory]
    [InlineData("application/json-patch+json", true)]
    [InlineData("Application/JSON-Patch+JSON; charset=utf-8", true)]
    [InlineData("application/json", false)]
    [InlineData("application/fhir+json", false)]
    [InlineData(null, false)]
    public void The_JSON_Patch_media_type_is_recognised_with_or_without_parameters(string? contentType, bool isJsonPatch)
    {
        Assert.Equal(isJsonPatch, ResourcePatch.IsJsonPatchMediaType(contentType));
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class RegistrationFormTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));

    private static readonly DateOnly Today = new(2026, 12, 2);

    public static TheoryData<string> Profiles => ["http://hl7.org/fhir/StructureDefinition/Patient", RegistrationForm.UkCoreProfile];

    private static RegistrationForm Complete() => new()
    {
        Title = "Mr",
        Given = "Jonah Peter",
        Family = "Quixley",
        BirthDay = "14",
        BirthMonth = "7",
        BirthYear = "1961",
        Sex = "male",
        NhsNumber = "943 476 5919",
        AddressLine = "1 Park Row",
        Town = "Leeds",
        Postcode = "ls14ap",
    };

    [Theory]
    [MemberData(nameof(Profiles))]
    public void A_complete_form_makes_a_conformant_patient_with_nhs_and_hospital_numbers(string profile)
    {
        var form = Complete();
        Assert.Empty(form.Validate(Today));

        var patient = form.ToResource("H1000001");

        AssertValid(patient, profile);
        Assert.Equal([RegistrationForm.UkCoreProfile], patient.Meta!.Profile);
        Assert.Equal("QUIXLEY, Jonah Peter (Mr)", PatientDisplay.Name(patient));
        Assert.Equal("943 476 5919", PatientDisplay.NhsNumber(patient));
        Assert.Equal("H1000001", PatientDisplay.HospitalNumber(patient));
        Assert.Equal("1961-07-14", patient.BirthDate);
        Assert.Equal(AdministrativeGender.Male, patient.Gender);
        Assert.Equal("LS1 4AP", patient.Address[0].PostalCode);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void The_gp_practice_and_next_of_kin_are_recorded_with_their_codes(string profile)
    {
        var practice = new GpPractice("org-gp-01", "Beech Grove Surgery", "X99001");
        var form = Complete();
        form.GpPracticeId = "org-gp-01";
        form.ContactName = " Jane Jackson ";
        form.ContactRelationship = "SPS";
        form.ContactRole = "N";
        form.ContactPhone = "07700 900 982";
        Assert.Empty(form.Validate(Today, [practice]));

        var patient = form.ToResource("H1000003", practice);

        AssertValid(patient, profile);
        var gp = Assert.Single(patient.GeneralPractitioner);
        Assert.Equal(("Organization/org-gp-01", "Beech Grove Surgery", "https://fhir.nhs.uk/Id/ods-organization-code", "X99001"), (gp.Reference, gp.Display, gp.Identifier!.System, gp.Identifier.Value));
        var contact = Assert.Single(patient.Contact);
        Assert.Equal(["http://terminology.hl7.org/CodeSystem/v2-0131|N", "http://terminology.hl7.org/CodeSystem/v3-RoleCode|SPS"], contact.Relationship.Select(r => $"{r.Coding[0].System}|{r.Coding[0].Code}"));
        Assert.Equal(("Jane Jackson", "07700 900 982"), (contact.Name!.Text, contact.Telecom.Single().Value));
        Assert.Equal(["Jane Jackson (Next of kin, spouse), 07700 900 982"], PatientDisplay.Contacts(patient));
        Assert.Equal("Beech Grove Surgery", PatientDisplay.GpPractice(patient));
    }

    [Fact]
    public void A_contact_needs_all_its_details_and_a_gp_practice_must_be_one_listed()
    {
        var form = Complete();
        form.GpPracticeId = "org-somewhere-else";
        form.ContactPhone = "0770 abc";

        Assert.Equal(
            [
                ("GpPracticeId", "Select the patient's GP practice from the list, or Not known"),
                ("ContactName", "Enter the contact's name, or leave all the contact's details empty"),
                ("ContactRelationship", "Select who the contact is to the patient"),
                ("ContactRole", "Select whether the contact is the patient's next of kin"),
                ("ContactPhone", "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"),
            ],
            form.Validate(Today, [new GpPractice("org-gp-01", "Beech Grove Surgery", "X99001")]));
        Assert.Empty(Complete().ToResource("H1000004").Contact);
    }

    [Theory]
    [InlineData("X99001", true)]
    [InlineData("A81001", true)]
    [InlineData("R9X", false)]
    [InlineData("RR801", false)]
    [InlineData("x99001", false)]
    public void Only_organisations_with_a_gp_practice_ods_code_are_offered(string code, bool offered)
    {
        var organization = new Organization { Id = "org-1", Name = "Somewhere", Identifier = [new Identifier(GpPractice.OdsSystem, code)] };

        Assert.Equal(offered, GpPractice.From(organization) is not null);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Without_an_nhs_number_the_reason_is_recorded_in_the_uk_core_extension(string profile)
    {
        var form = Complete();
        form.NhsNumber = " ";
        form.NhsNumberUnavailableReason = "overseas-patient";
        Assert.Empty(form.Validate(Today));

        var patient = form.ToResource("H1000002");

        AssertValid(patient, profile);
        Assert.DoesNotContain(patient.Identifier, i => i.System == OpenWard.Fhir.NhsNumber.IdentifierSystem);
        var reason = Assert.IsType<CodeableConcept>(Assert.Single(patient.Extension, e => e.Url == RegistrationForm.NhsNumberUnavailableReasonExtension).Value);
        Assert.Equal("overseas-patient", reason.Coding[0].Code);
        Assert.Equal(RegistrationForm.NhsNumberUnavailableReasonSystem, reason.Coding[0].System);
    }

    [Fact]
    public void An_empty_form_asks_for_each_required_field_in_page_order()
    {
        Assert.Equal(
            [
                ("Given", "Enter the patient's given name"),
                ("Family", "Enter the patient's family name"),
                ("BirthDay", "Enter the patient's date of birth"),
                ("Sex", "Select the patient's sex"),
                ("NhsNumberUnavailableReason", "Enter the NHS number, or select why it is not known"),
                ("AddressLine", "Enter the first line of the address"),
                ("Town", "Enter the town or city"),
                ("Postcode", "Enter the postcode"),
            ],
            new RegistrationForm().Validate(Today));
    }

    [Theory]
    [InlineData("31", "2", "1961", "Date of birth must be a real date, for example 27 3 1957")]
    [InlineData("29", "2", "1961", "Date of birth must be a real date, for example 27 3 1957")]
    [InlineData("3", "12", "2026", "Date of birth must be today or in the past")]
    [InlineData("1", "1", "1890", "Date of birth must be after 2-Dec-1896: check the year")]
    [InlineData("14", "", "1961", "Date of birth must include a day, month and year")]
    [InlineData("14", "7", "61", "Year must include 4 numbers")]
    [InlineData("fourteen", "7", "1961", "Date of birth must be a real date, for example 27 3 1957")]
    public void An_impossible_date_of_birth_is_explained(string day, string month, string year, string message)
    {
        var form = Complete();
        form.BirthDay = day;
        form.BirthMonth = month;
        form.BirthYear = year;

        Assert.Equal([("BirthDay", message)], form.Validate(Today));
    }

    [Fact]
    public void A_birth_on_29_february_of_a_leap_year_and_today_are_accepted()
    {
        var leap = Complete();
        (leap.BirthDay, leap.BirthMonth, leap.BirthYear) = ("29", "2", "1960");
        var newborn = Complete();
        (newborn.BirthDay, newborn.BirthMonth, newborn.BirthYear) = ("2", "12", "2026");

        Assert.Empty(leap.Validate(Today));
        Assert.Empty(newborn.Validate(Today));
    }

    [Theory]
    [InlineData("943 476 5918", "943 476 5918 is not a valid NHS number: its last digit (the check digit) does not match the others. Check the number")]
    [InlineData("943 476 591", "Enter an NHS number of 10 digits, for example 943 476 5919")]
    [InlineData("943476591X", "Enter an NHS number of 10 digits, for example 943 476 5919")]
    public void A_wrong_nhs_number_is_explained(string typed, string message)
    {
        var form = Complete();
        form.NhsNumber = typed;

        Assert.Equal([("NhsNumber", message)], form.Validate(Today));
    }

    [Theory]
    [InlineData("LS1")]
    [InlineData("12345")]
    [InlineData("LS1 4A")]
    public void A_postcode_that_cannot_be_real_is_refused(string typed)
    {
        var form = Complete();
        form.Postcode = typed;

        Assert.Equal([("Postcode", "Enter a real postcode, for example LS1 4AP")], form.Validate(Today));
    }

    [Theory]
    [InlineData("ls14ap", "LS1 4AP")]
    [InlineData("SW1A 1AA", "SW1A 1AA")]
    [InlineData("m1 1ae", "M1 1AE")]
    public void A_postcode_is_written_in_capitals_with_the_space_before_the_inward_code(string typed, string written) =>
        Assert.Equal(written, RegistrationForm.FormatPostcode(typed));

    [Fact]
    public void The_duplicate_check_sees_what_was_typed()
    {
        var details = Complete().ToDuplicateDetails();

        Assert.Equal(new DuplicateCheck.Details("Jonah Peter", "Quixley", new DateOnly(1961, 7, 14), "ls14ap", "9434765919"), details);
    }

    private static void AssertValid(Patient patient, string profile)
    {
        var outcome = Validator.Value.Validate(patient, profile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}

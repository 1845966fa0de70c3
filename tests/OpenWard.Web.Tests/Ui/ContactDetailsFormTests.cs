using Hl7.Fhir.Model;
using OpenWard.Fhir.Validation;
using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class ContactDetailsFormTests
{
    private static readonly Lazy<ProfileValidator> Validator = new(() => new ProfileValidator(ProfileValidator.DefaultProfilesDirectory));

    private static readonly GpPractice Leeds = new("org-gp-1", "Park Row Surgery", "B82001");

    private static readonly GpPractice York = new("org-gp-2", "Minster Practice", "B82002");

    /// <summary>A registered patient with a practice, a named GP at it, and two contacts.</summary>
    private static Patient Registered()
    {
        var patient = new RegistrationForm
        {
            Given = "Jonah",
            Family = "Quixley",
            BirthDay = "14",
            BirthMonth = "7",
            BirthYear = "1961",
            Sex = "male",
            NhsNumber = "943 476 5919",
            AddressLine = "1 Park Row",
            Town = "Leeds",
            Postcode = "LS1 4AP",
            ContactName = "Jane Jackson",
            ContactRelationship = "SPS",
            ContactRole = "N",
            ContactPhone = "07700 900 982",
        }.ToResource("H1000001", Leeds);
        patient.GeneralPractitioner.Add(new ResourceReference("Practitioner/gp-1", "Dr Gupta"));
        patient.Contact.Add(PatientContacts.Component("Sam Jackson", "CHILD", "C", "07700 900 111"));
        return patient;
    }

    [Fact]
    public void The_form_opens_on_the_current_practice_and_changes_nothing_until_told()
    {
        var patient = Registered();

        var form = ContactDetailsForm.For(patient);

        Assert.Equal("org-gp-1", form.GpPracticeId);
        Assert.Empty(form.Validate(patient, [Leeds, York]));
        Assert.True(form.ChangesNothing(patient));
        Assert.True(patient.IsExactly(form.Apply(patient, Leeds)));
    }

    [Fact]
    public void A_new_practice_replaces_every_GP_reference_and_keeps_the_rest_of_the_record()
    {
        var patient = Registered();
        var form = new ContactDetailsForm { GpPracticeId = York.Id };

        var changed = form.Apply(patient, York);

        var gp = Assert.Single(changed.GeneralPractitioner);
        Assert.Equal("Organization/org-gp-2", gp.Reference);
        Assert.Equal("B82002", gp.Identifier!.Value);
        Assert.Equal(2, changed.Contact.Count);
        Assert.Equal(patient.Identifier.Count, changed.Identifier.Count);
        Assert.Equal(2, patient.GeneralPractitioner.Count); // the current version is not touched
        AssertValid(changed);
    }

    [Fact]
    public void Not_known_removes_the_practice_and_its_GP()
    {
        var patient = Registered();

        var changed = new ContactDetailsForm { GpPracticeId = "" }.Apply(patient, null);

        Assert.Empty(changed.GeneralPractitioner);
        AssertValid(changed);
    }

    [Fact]
    public void Contacts_are_removed_by_position_and_a_new_one_is_added_last()
    {
        var patient = Registered();
        var form = new ContactDetailsForm
        {
            GpPracticeId = Leeds.Id,
            Remove = [0],
            ContactName = " Priya Jackson ",
            ContactRelationship = "Carer",
            ContactRole = "C",
            ContactPhone = "+44 808 157 0192",
        };
        Assert.Empty(form.Validate(patient, [Leeds]));
        Assert.False(form.ChangesNothing(patient));

        var changed = form.Apply(patient, Leeds);

        Assert.Equal(
            ["Sam Jackson (Emergency Contact, child), 07700 900 111", "Priya Jackson (Emergency Contact, Carer of patient), +44 808 157 0192"],
            PatientDisplay.Contacts(changed));
        Assert.Equal(2, changed.GeneralPractitioner.Count);
        AssertValid(changed);
    }

    [Fact]
    public void A_half_given_contact_an_unknown_practice_or_a_contact_not_listed_is_refused()
    {
        var patient = Registered();
        var form = new ContactDetailsForm { GpPracticeId = "org-elsewhere", Remove = [2], ContactPhone = "07700 900 982" };

        var errors = form.Validate(patient, [Leeds, York]);

        Assert.Equal(
            [
                ("GpPracticeId", "Select the patient's GP practice from the list, or Not known"),
                ("Remove", "Select only contacts listed here"),
                ("ContactName", "Enter the contact's name, or leave all the contact's details empty"),
                ("ContactRelationship", "Select who the contact is to the patient"),
                ("ContactRole", "Select whether the contact is the patient's next of kin"),
            ],
            errors);
    }

    [Fact]
    public void A_current_practice_outside_the_list_may_be_kept()
    {
        var patient = Registered();

        Assert.Empty(ContactDetailsForm.For(patient).Validate(patient, [York]));
    }

    private static void AssertValid(Patient patient)
    {
        var outcome = Validator.Value.Validate(patient, RegistrationForm.UkCoreProfile);
        Assert.True(
            ProfileValidator.IsValid(outcome),
            string.Join("; ", outcome.Issue.Where(i => i.Severity <= OperationOutcome.IssueSeverity.Error).Select(i => i.Details?.Text ?? i.Diagnostics)));
    }
}

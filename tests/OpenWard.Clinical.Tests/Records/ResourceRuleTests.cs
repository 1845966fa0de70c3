using Hl7.Fhir.Model;
using OpenWard.Clinical.Encounters;
using OpenWard.Clinical.Notes;
using OpenWard.Clinical.Records;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Tests.Records;

/// <summary>The rules about a resource itself (before and after), without a store: each refuses what it must and lets the rest through.</summary>
public sealed class ResourceRuleTests
{
    [Theory]
    [InlineData("confirmed", true)]
    [InlineData("unconfirmed", true)]
    [InlineData("entered-in-error", false)]
    public async System.Threading.Tasks.Task An_allergy_entered_in_error_may_only_stay_entered_in_error(string next, bool refused)
    {
        var write = Write(Allergy("entered-in-error"), Allergy(next));

        var violation = await Record.ExceptionAsync(() => new EnteredInErrorIsFinal().CheckAsync(write, NoStore.Instance, default).AsTask());

        Assert.Equal(refused, violation is WriteRuleViolation { Rule.Id: "ENTERED_IN_ERROR_IS_FINAL", Status: 422 });
        Assert.Equal(refused, violation is not null);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_current_allergy_may_be_marked_entered_in_error_and_that_is_final()
    {
        await new EnteredInErrorIsFinal().CheckAsync(Write(Allergy("confirmed"), Allergy("entered-in-error")), NoStore.Instance, default);

        await Assert.ThrowsAsync<WriteRuleViolation>(() => new EnteredInErrorIsFinal().CheckAsync(Write(Allergy("entered-in-error"), null), NoStore.Instance, default).AsTask());
    }

    [Theory]
    [InlineData(CompositionStatus.Preliminary, CompositionStatus.Final, DocumentReferenceStatus.Current, false)] // signing a draft
    [InlineData(CompositionStatus.Final, CompositionStatus.Amended, DocumentReferenceStatus.Current, false)]
    [InlineData(CompositionStatus.Amended, CompositionStatus.Amended, DocumentReferenceStatus.Current, false)]
    [InlineData(CompositionStatus.Final, CompositionStatus.EnteredInError, DocumentReferenceStatus.EnteredInError, false)]
    [InlineData(CompositionStatus.Final, CompositionStatus.Final, DocumentReferenceStatus.Current, true)]
    [InlineData(CompositionStatus.Final, CompositionStatus.Preliminary, DocumentReferenceStatus.Current, true)]
    [InlineData(CompositionStatus.Amended, CompositionStatus.Final, DocumentReferenceStatus.Current, true)]
    public async System.Threading.Tasks.Task A_signed_note_changes_only_by_amendment_or_entered_in_error(CompositionStatus before, CompositionStatus after, DocumentReferenceStatus status, bool refused)
    {
        var write = Write(Note(before, "Chest clear."), Note(after, "Chest clear, now with more detail.", status));

        var violation = await Record.ExceptionAsync(() => new SignedNoteChangesOnlyByAmendment().CheckAsync(write, NoStore.Instance, default).AsTask());

        Assert.Equal(refused, violation is WriteRuleViolation { Rule.Id: "SIGNED_NOTE_AMEND_ONLY" });
        Assert.Equal(refused, violation is not null);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_signed_note_may_gain_a_label_without_being_amended()
    {
        var labelled = Note(CompositionStatus.Final, "Chest clear.");
        labelled.Meta = new Meta { Security = [new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "R")] };

        await new SignedNoteChangesOnlyByAmendment().CheckAsync(Write(Note(CompositionStatus.Final, "Chest clear."), labelled), NoStore.Instance, default);
    }

    [Theory]
    [InlineData(Encounter.EncounterStatus.Arrived, true)]
    [InlineData(Encounter.EncounterStatus.Triaged, true)]
    [InlineData(Encounter.EncounterStatus.InProgress, true)]
    [InlineData(Encounter.EncounterStatus.Onleave, true)]
    [InlineData(Encounter.EncounterStatus.Planned, false)]
    [InlineData(Encounter.EncounterStatus.Finished, false)]
    [InlineData(Encounter.EncounterStatus.Cancelled, false)]
    [InlineData(Encounter.EncounterStatus.EnteredInError, false)]
    public void A_current_encounter_is_one_definition_for_status_and_search(Encounter.EncounterStatus status, bool current)
    {
        var encounter = new Encounter { Status = status };

        Assert.Equal(current, EncounterStates.IsCurrent(encounter));
        Assert.Equal(current, EncounterStates.CurrentSearchValue.Split(',').Contains(Hl7.Fhir.Utility.EnumUtility.GetLiteral(status)));
    }

    [Fact]
    public void An_encounter_holds_its_active_and_status_less_locations_only_while_current()
    {
        var encounter = new Encounter
        {
            Status = Encounter.EncounterStatus.InProgress,
            Location =
            [
                new Encounter.LocationComponent { Location = new ResourceReference("Location/old-bed"), Status = Encounter.EncounterLocationStatus.Completed },
                new Encounter.LocationComponent { Location = new ResourceReference("Location/ward") },
                new Encounter.LocationComponent { Location = new ResourceReference("Location/bed"), Status = Encounter.EncounterLocationStatus.Active },
            ],
        };

        Assert.Equal(["Location/ward", "Location/bed"], EncounterStates.HeldLocations(encounter));
        encounter.Status = Encounter.EncounterStatus.Finished;
        Assert.Empty(EncounterStates.HeldLocations(encounter));
    }

    private static ProposedWrite Write(Resource before, Resource? after) =>
        new(before.TypeName, "x", () => before, after, "p", "p");

    private static AllergyIntolerance Allergy(string verification) => new()
    {
        Id = "x",
        VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", verification),
        Code = new CodeableConcept { Text = "Penicillin" },
        Patient = new ResourceReference("Patient/p"),
    };

    private static DocumentReference Note(CompositionStatus docStatus, string text, DocumentReferenceStatus status = DocumentReferenceStatus.Current) => new()
    {
        Id = "x",
        Status = status,
        DocStatus = docStatus,
        Subject = new ResourceReference("Patient/p"),
        Content = [new DocumentReference.ContentComponent { Attachment = new Attachment { ContentType = "text/plain", Data = System.Text.Encoding.UTF8.GetBytes(text) } }],
    };

    /// <summary>These rules read nothing: any read is a fault in the test.</summary>
    private sealed class NoStore : IWriteRuleContext
    {
        public static readonly NoStore Instance = new();

        public Task<Resource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken) => throw new InvalidOperationException("read");

        public Task<IReadOnlyList<Resource>> FindAsync(string resourceType, IReadOnlyList<KeyValuePair<string, string>> criteria, int limit, CancellationToken cancellationToken) => throw new InvalidOperationException("find");

        public System.Threading.Tasks.Task LockAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("lock");

        public void WriteAlongside(Resource resource) => throw new InvalidOperationException("write alongside");

        public void MarkWriteAmended() => throw new InvalidOperationException("amend");

        public void DeferUntilCommit(string key, Func<IWriteRuleContext, CancellationToken, System.Threading.Tasks.Task> work) => throw new InvalidOperationException("defer");

        public System.Threading.Tasks.Task EnqueueJobAsync(OpenWard.Storage.JobRequest job, CancellationToken cancellationToken) => throw new InvalidOperationException("enqueue");
    }
}

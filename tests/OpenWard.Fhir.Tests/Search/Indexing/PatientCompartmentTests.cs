using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using OpenWard.Fhir.Search;
using OpenWard.Fhir.Search.Indexing;
using SearchParamType = OpenWard.Fhir.Search.SearchParamType;

namespace OpenWard.Fhir.Tests.Search.Indexing;

public class PatientCompartmentTests
{
    private static Observation Weight() => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept("http://snomed.info/sct", "27113001"),
    };

    [Fact]
    public void A_Patient_is_in_its_own_compartment()
    {
        var indexes = SharedIndexer.Instance.Extract(new Patient { Id = "p1" });

        Assert.Equal("p1", indexes.PatientCompartment);
    }

    [Fact]
    public void An_Observation_is_in_the_compartment_of_its_subject()
    {
        var observation = Weight();
        observation.Subject = new ResourceReference("Patient/p1");

        Assert.Equal("p1", SharedIndexer.Instance.Extract(observation).PatientCompartment);
    }

    [Fact]
    public void A_later_compartment_parameter_counts_when_the_first_names_no_patient()
    {
        var observation = Weight();
        observation.Subject = new ResourceReference("Group/g1");
        observation.Performer = [new ResourceReference("Practitioner/dr1"), new ResourceReference("Patient/p2")];

        Assert.Equal("p2", SharedIndexer.Instance.Extract(observation).PatientCompartment);
    }

    [Fact]
    public void Absolute_and_bundle_local_references_put_nothing_in_a_compartment()
    {
        var absolute = Weight();
        absolute.Subject = new ResourceReference("https://other.example.org/fhir/Patient/p9");
        var bundleLocal = Weight();
        bundleLocal.Subject = new ResourceReference("urn:uuid:c8225cc8-8026-466f-80f8-fc2832a4b9d5");

        Assert.Null(SharedIndexer.Instance.Extract(absolute).PatientCompartment);
        Assert.Null(SharedIndexer.Instance.Extract(bundleLocal).PatientCompartment);
    }

    [Fact]
    public void A_reference_outside_the_compartment_parameters_does_not_count()
    {
        // Observation.focus is not a Patient-compartment parameter (CompartmentDefinition patient, R4).
        var observation = Weight();
        observation.Focus = [new ResourceReference("Patient/p3")];

        Assert.Null(SharedIndexer.Instance.Extract(observation).PatientCompartment);
    }

    [Fact]
    public void Resources_of_types_outside_the_compartment_have_none()
    {
        var practitioner = new Practitioner { Id = "dr1" };

        Assert.Null(SharedIndexer.Instance.Extract(practitioner).PatientCompartment);
    }

    [Fact]
    public void The_table_matches_the_R4_compartment_definition_shipped_with_the_SDK()
    {
        var source = ZipSource.CreateValidationSource();
        var definition = Assert.IsType<CompartmentDefinition>(source.ResolveByCanonicalUri("http://hl7.org/fhir/CompartmentDefinition/patient"));
        var fromSpecification = definition.Resource
            .Where(r => r.Param.Any() && r.Code.ToString() != "Patient") // a Patient is in its own compartment
            .ToDictionary(r => r.Code.ToString()!, r => r.Param.Select(p => p!).ToArray());

        foreach (var type in SearchParameterRegistry.SupportedResourceTypes.Where(t => t != "Patient" && !PatientCompartment.Additions.Contains(t)))
        {
            var expected = fromSpecification.GetValueOrDefault(type);
            var actual = PatientCompartment.ParametersByType.GetValueOrDefault(type);
            Assert.True(expected is null ? actual is null : actual is not null && expected.SequenceEqual(actual), $"{type}: specification [{Join(expected)}], table [{Join(actual)}]");
        }

        static string Join(string[]? codes) => codes is null ? "none" : string.Join(", ", codes);
    }

    [Fact]
    public void The_documented_additions_are_the_only_types_outside_the_R4_definition()
    {
        var source = ZipSource.CreateValidationSource();
        var definition = Assert.IsType<CompartmentDefinition>(source.ResolveByCanonicalUri("http://hl7.org/fhir/CompartmentDefinition/patient"));
        var inSpecification = definition.Resource.Where(r => r.Param.Any()).Select(r => r.Code.ToString()!).ToHashSet();

        Assert.Equal(new[] { "Device", "Task" }, PatientCompartment.ParametersByType.Keys.Where(t => !inSpecification.Contains(t)).Order());
        Assert.Equal(new[] { "Device", "Task" }, PatientCompartment.Additions.Order());
    }

    [Fact]
    public void A_Task_is_in_the_compartment_of_the_patient_it_is_for_and_a_Device_in_its_patient_s()
    {
        var task = new Hl7.Fhir.Model.Task { Status = Hl7.Fhir.Model.Task.TaskStatus.Requested, Intent = Hl7.Fhir.Model.Task.TaskIntent.Order, For = new ResourceReference("Patient/p4") };
        var device = new Device { Patient = new ResourceReference("Patient/p5") };

        Assert.Equal("p4", SharedIndexer.Instance.Extract(task).PatientCompartment);
        Assert.Equal("p5", SharedIndexer.Instance.Extract(device).PatientCompartment);
    }

    [Fact]
    public void Every_patient_a_resource_names_is_listed_local_or_absolute_its_compartment_first()
    {
        var appointment = new Appointment
        {
            Status = Appointment.AppointmentStatus.Booked,
            Participant =
            [
                new Appointment.ParticipantComponent { Actor = new ResourceReference("Practitioner/dr1"), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = new ResourceReference("Patient/p1"), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = new ResourceReference("Patient/p2"), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = new ResourceReference("https://elsewhere.example.org/fhir/Patient/p3"), Status = ParticipationStatus.Accepted },
            ],
        };
        var indexes = SharedIndexer.Instance.Extract(appointment);

        Assert.Equal(new[] { "p1", "p2", "p3" }, PatientCompartment.Named(appointment, indexes.References));
    }

    [Fact]
    public void A_Patient_names_only_itself_not_the_records_it_links_to()
    {
        var patient = new Patient { Id = "p1", Link = [new Patient.LinkComponent { Other = new ResourceReference("Patient/p2"), Type = Patient.LinkType.ReplacedBy }] };

        Assert.Equal(new[] { "p1" }, PatientCompartment.Named(patient, SharedIndexer.Instance.Extract(patient).References));
    }

    [Fact]
    public void Every_compartment_parameter_is_an_indexed_reference_parameter()
    {
        foreach (var (type, codes) in PatientCompartment.ParametersByType)
        {
            foreach (var code in codes)
            {
                Assert.True(SearchParameterRegistry.Default.TryGet(type, code, out var definition), $"{type}.{code} is not registered");
                Assert.Equal(SearchParamType.Reference, definition.Type);
            }
        }
    }
}

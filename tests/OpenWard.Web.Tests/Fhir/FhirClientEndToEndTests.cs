using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;

namespace OpenWard.Web.Tests.Fhir;

/// <summary>
/// A standard FHIR client (Firely's <see cref="FhirClient"/>) drives the running server through a
/// whole record's life: create, read, update with version check, search, history, transaction, delete.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FhirClientEndToEndTests(ServerFixture server)
{
    private async Task<FhirClient> ClientAsync()
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await server.TokenAsync("system/*.cruds"));
        return new FhirClient(server.FhirUrl, http, new FhirClientSettings { PreferredFormat = ResourceFormat.Json, VerifyFhirVersion = true });
    }

    [Fact]
    public async System.Threading.Tasks.Task A_FHIR_client_can_create_read_update_search_version_and_delete()
    {
        var client = await ClientAsync();
        var family = "Client" + Guid.NewGuid().ToString("N")[..6];

        var created = await client.CreateAsync(new Patient
        {
            Identifier = [new Identifier("https://fhir.nhs.uk/Id/nhs-number", TestNhsNumbers.Next())],
            Name = [new HumanName { Family = family, Given = ["Cleo"] }],
            BirthDate = "1975-09-30",
        });
        Assert.Equal("1", created!.Meta!.VersionId);

        var read = await client.ReadAsync<Patient>($"Patient/{created.Id}");
        read!.Name[0].Given = ["Cleopatra"];
        var updated = await client.UpdateAsync(read, versionAware: true);
        Assert.Equal("2", updated!.Meta!.VersionId);

        var stale = await Assert.ThrowsAsync<FhirOperationException>(() => client.UpdateAsync(read, versionAware: true));
        Assert.Equal(System.Net.HttpStatusCode.PreconditionFailed, stale.Status);

        var found = await client.SearchAsync<Patient>([$"family={family}", "given=cleopat"]);
        Assert.Equal(created.Id, Assert.Single(found!.Entry).Resource!.Id);

        var history = await client.HistoryAsync($"Patient/{created.Id}");
        Assert.Equal(2, history!.Entry.Count);

        await client.DeleteAsync($"Patient/{created.Id}");
        var gone = await Assert.ThrowsAsync<FhirOperationException>(() => client.ReadAsync<Patient>($"Patient/{created.Id}"));
        Assert.Equal(System.Net.HttpStatusCode.Gone, gone.Status);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_FHIR_client_can_post_a_transaction_with_internal_references()
    {
        var client = await ClientAsync();
        var bundle = new TransactionBuilder(server.FhirUrl)
            .Create(new Patient { Name = [new HumanName { Family = "Transact" }] })
            .ToBundle();
        bundle.Type = Bundle.BundleType.Transaction; // the builder makes a batch, where entries may not refer to each other
        bundle.Entry[0].FullUrl = "urn:uuid:3b1a4c1e-7a0e-4c55-9b31-2f1f0b7a0001";
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Observation
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept("http://loinc.org", "8310-5", "Body temperature"),
                Subject = new ResourceReference("urn:uuid:3b1a4c1e-7a0e-4c55-9b31-2f1f0b7a0001"),
                Value = new Quantity(37.2m, "Cel") { System = "http://unitsofmeasure.org", Code = "Cel" },
            },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
        });

        var response = await client.TransactionAsync(bundle);

        Assert.Equal(2, response!.Entry.Count);
        var patientLocation = response.Entry[0].Response!.Location!;
        var observationLocation = response.Entry[1].Response!.Location!;
        var observation = await client.ReadAsync<Observation>(observationLocation.Replace("/_history/1", "", StringComparison.Ordinal));
        Assert.Equal(patientLocation.Replace("/_history/1", "", StringComparison.Ordinal), observation!.Subject!.Reference);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Hl7.Fhir.Model;
using OpenWard.Fhir;
using OpenWard.Fhir.Serialization;

namespace OpenWard.LoadTool;

/// <summary>The HTTP scenarios: each is one request per operation against the FHIR API.</summary>
public sealed class HttpScenarios(HttpClient http, KnownRecords known, FreshResources fresh)
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>Resources per transaction Bundle.</summary>
    public const int TransactionSize = 100;

    private readonly byte[] _patientBody = WithoutId(known.SamplePatient);

    /// <summary>The client the scenarios share (FHIR base address, bearer token).</summary>
    public HttpClient Http => http;
    private readonly byte[] _observationBody = WithoutId(known.SampleObservation);

    public static HttpClient CreateClient(Uri fhirBase, string token, int clients)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { BaseAddress = fhirBase, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(FhirJson));
        return client;
    }

    /// <summary>Read by id: a random known Patient or Observation.</summary>
    public Task<int> ReadAsync(int client, CancellationToken cancellationToken)
    {
        var path = Random.Shared.Next(2) == 0
            ? "Patient/" + Pick(known.Patients).Id
            : "Observation/" + Pick(known.Observations).Id;
        return GetAsync(path, cancellationToken);
    }

    /// <summary>Find a patient by NHS number (https://hl7.org/fhir/R4/search.html#token).</summary>
    public Task<int> SearchNhsNumberAsync(int client, CancellationToken cancellationToken) =>
        GetAsync($"Patient?identifier={Uri.EscapeDataString(NhsNumber.IdentifierSystem + "|" + Pick(known.Patients).NhsNumber)}", cancellationToken);

    /// <summary>Patients whose family name starts with three letters of a known one (the server's default page size).</summary>
    public Task<int> SearchNamePrefixAsync(int client, CancellationToken cancellationToken)
    {
        var family = Pick(known.Patients).Family;
        return GetAsync($"Patient?family={Uri.EscapeDataString(family[..Math.Min(3, family.Length)].ToLowerInvariant())}", cancellationToken);
    }

    /// <summary>One patient's observations of one code since a day: what a chart asks for.</summary>
    public Task<int> SearchObservationAsync(int client, CancellationToken cancellationToken)
    {
        var observation = Pick(known.Observations);
        return GetAsync($"Observation?subject=Patient/{observation.PatientId}&code={Uri.EscapeDataString(observation.Code)}&date=ge{observation.Date}", cancellationToken);
    }

    /// <summary>POST a new Patient or Observation (alternately); the server assigns the id.</summary>
    public async Task<int> CreateAsync(int client, CancellationToken cancellationToken)
    {
        var (type, body) = Random.Shared.Next(2) == 0 ? ("Patient", _patientBody) : ("Observation", _observationBody);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(FhirJson);
        using var response = await http.PostAsync(type, content, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.Created, cancellationToken);
        return 1;
    }

    /// <summary>POST a transaction Bundle of <see cref="TransactionSize"/> new resources (PUT with their ids).</summary>
    public async Task<int> TransactionAsync(ChannelReader<byte[]> bundles, CancellationToken cancellationToken)
    {
        var body = await bundles.ReadAsync(cancellationToken);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(FhirJson);
        using var response = await http.PostAsync("", content, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.OK, cancellationToken);
        return TransactionSize;
    }

    /// <summary>
    /// Transaction Bundles built ahead of the clock by one producer, so the clients measure the
    /// server, not the building. Each entry PUTs a new resource with its id (update as create).
    /// </summary>
    public Channel<byte[]> StartTransactionProducer(int capacity, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleWriter = true });
        _ = System.Threading.Tasks.Task.Run(
            async () =>
            {
                try
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
                        foreach (var resource in fresh.Take(TransactionSize))
                        {
                            bundle.Entry.Add(new Bundle.EntryComponent
                            {
                                FullUrl = $"urn:uuid:{Guid.NewGuid()}",
                                Resource = resource,
                                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}" },
                            });
                        }

                        await channel.Writer.WriteAsync(FhirSerialization.ToJsonBytes(bundle), cancellationToken);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The scenario is over.
                }

                channel.Writer.TryComplete();
            },
            CancellationToken.None);
        return channel;
    }

    private async Task<int> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        await ExpectAsync(response, HttpStatusCode.OK, cancellationToken);
        return 1;
    }

    private static async System.Threading.Tasks.Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        // Read the whole body: a response is not served until its last byte is.
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != expected)
        {
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {text}");
        }
    }

    private static T Pick<T>(IReadOnlyList<T> items) => items[Random.Shared.Next(items.Count)];

    private static byte[] WithoutId(Resource resource)
    {
        var copy = (Resource)resource.DeepCopy();
        copy.Id = null;
        return FhirSerialization.ToJsonBytes(copy);
    }
}

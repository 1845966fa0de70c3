using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenWard.Web.Tests;

/// <summary>The generated-input tests' tools: mutate a JSON document at random, and check an answer is a clear status with a JSON body.</summary>
public static class GeneratedInput
{
    /// <summary>Replaces (with one of <paramref name="replacements"/>) or removes one member somewhere in <paramref name="root"/>, except members named in <paramref name="kept"/>.</summary>
    public static void Mutate(JsonObject root, Random random, JsonNode?[] replacements, IReadOnlySet<string> kept)
    {
        var members = new List<(JsonObject Parent, string Name)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (name, child) in o.ToList())
                    {
                        if (!kept.Contains(name))
                            members.Add((o, name));
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a.ToList())
                        Walk(child);
                    break;
            }
        }

        Walk(root);
        var (parent, member) = members[random.Next(members.Count)];
        if (random.Next(5) == 0)
        {
            parent.Remove(member);
            return;
        }

        parent[member] = replacements[random.Next(replacements.Length)]?.DeepClone();
    }

    /// <summary>Adds to <paramref name="failures"/> an answer whose status is not one of <paramref name="allowed"/> or whose body is not JSON.</summary>
    public static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode[] allowed, string what, List<string> failures)
    {
        var body = await response.Content.ReadAsStringAsync();
        var isJson = true;
        try
        {
            JsonDocument.Parse(body).Dispose();
        }
        catch (JsonException)
        {
            isJson = false;
        }

        if (!allowed.Contains(response.StatusCode) || !isJson)
            failures.Add($"{(int)response.StatusCode} for {what[..Math.Min(what.Length, 900)]}: {body[..Math.Min(body.Length, 400)]}");
    }
}

using Hl7.Fhir.Model;
using OpenWard.Fhir.Rest.Rules;

namespace OpenWard.Clinical.Encounters;

/// <summary>
/// A bed (a Location with physical type <c>bd</c>) holds at most one patient: no two current
/// Encounters hold it as an active location. Checked under a lock on the bed, so when many
/// admissions race for one free bed exactly one gets it.
/// </summary>
public sealed class OnePatientPerBed : IWriteRule
{
    public static readonly WriteRuleInfo Rule = new(
        "BED_HOLDS_ONE_PATIENT",
        "A bed holds one patient, so the bed board, the nurse at the bedside and the next admission all know who is in it.",
        "R4 Location.physicalType bd (http://terminology.hl7.org/CodeSystem/location-physical-type); the admission and transfer pages",
        409);

    public WriteRuleInfo Info => Rule;

    public IReadOnlySet<string>? ResourceTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "Encounter" };

    public async ValueTask CheckAsync(ProposedWrite write, IWriteRuleContext context, CancellationToken cancellationToken)
    {
        if (write.After is not Encounter after)
        {
            return;
        }

        var heldBefore = write.Before is Encounter before ? EncounterStates.HeldLocations(before).ToHashSet(StringComparer.Ordinal) : [];
        // Sorted, so two writes taking the same two beds lock them in one order and cannot deadlock.
        foreach (var location in EncounterStates.HeldLocations(after).Where(l => !heldBefore.Contains(l)).Order(StringComparer.Ordinal))
        {
            if (!location.StartsWith("Location/", StringComparison.Ordinal)
                || await context.ReadAsync("Location", location["Location/".Length..], cancellationToken) is not Location { } place
                || !Admissions.IsBed(place))
            {
                continue;
            }

            await context.LockAsync($"bed|{location}", cancellationToken);
            var holders = await context.FindAsync("Encounter", [new("location", location), new("status", EncounterStates.CurrentSearchValue)], limit: 20, cancellationToken);
            if (holders.OfType<Encounter>().Any(e => e.Id != write.Id && EncounterStates.HeldLocations(e).Contains(location)))
            {
                throw new WriteRuleViolation(
                    Rule,
                    $"{location} ({place.Name ?? "a bed"}) is occupied by another patient: choose a free bed, or move that patient first.",
                    "Encounter.location");
            }
        }
    }
}

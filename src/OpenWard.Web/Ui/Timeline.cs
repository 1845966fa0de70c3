using System.Globalization;

namespace OpenWard.Web.Ui;

/// <summary>One dated thing on the timeline: what kind, what, when, and where to read more.</summary>
public sealed record TimelineEntry(DateTimeOffset? At, string When, string Kind, string What, string Detail, string? Href);

/// <summary>
/// One page of a source's entries, newest first as the server sorted them, and whether the server has
/// more after them (its Bundle had a next link).
/// </summary>
public sealed record TimelineSourcePage(IReadOnlyList<TimelineEntry> Entries, int Requested, bool More);

/// <summary>
/// The timeline of everything dated for a patient, newest first, built without $everything: each
/// source (encounters, observations, problems...) is one date-sorted search of at most a page, and the
/// pages are merged. The cursor of the next page is, for each source, how far into its sorted results
/// the timeline has got: no dates are compared across pages, so readings sharing a time (a round of
/// vital signs) are never lost at a page boundary.
/// </summary>
public static class Timeline
{
    public const int PageSize = 25;

    /// <summary>
    /// Reads a cursor ("0.25.3...", one offset per source); a missing, malformed or wrong-length one
    /// is the first page. Offsets are capped so that a made-up cursor cannot ask for absurd pages.
    /// </summary>
    public static int[] ParseCursor(string? cursor, int sources)
    {
        var offsets = new int[sources];
        var parts = cursor?.Split('.') ?? [];
        if (parts.Length != sources)
        {
            return offsets;
        }

        for (var i = 0; i < sources; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || offset > 1_000_000)
            {
                return new int[sources];
            }

            offsets[i] = offset;
        }

        return offsets;
    }

    public static string FormatCursor(IEnumerable<int> offsets) => string.Join('.', offsets.Select(o => o.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Merges the sources' pages newest first (undated entries last; ties in source order, so the same
    /// data always gives the same page) and takes at most <paramref name="pageSize"/>. The next cursor
    /// advances each source by what was taken from it; a source whose whole page was taken advances by
    /// the page it asked for, because the policy may have hidden some of it. When hidden entries sit in
    /// a partly taken page, the next page can repeat an entry, but never skips one. Null next cursor: nothing more.
    /// </summary>
    public static (IReadOnlyList<TimelineEntry> Entries, int[]? Next) Merge(IReadOnlyList<TimelineSourcePage> sources, int[] offsets, int pageSize = PageSize)
    {
        var taken = new int[sources.Count];
        var entries = new List<TimelineEntry>(pageSize);
        while (entries.Count < pageSize)
        {
            var best = -1;
            for (var i = 0; i < sources.Count; i++)
            {
                if (taken[i] < sources[i].Entries.Count
                    && (best < 0 || Key(sources[i].Entries[taken[i]]) > Key(sources[best].Entries[taken[best]])))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                break;
            }

            entries.Add(sources[best].Entries[taken[best]++]);
        }

        var next = new int[sources.Count];
        var more = false;
        for (var i = 0; i < sources.Count; i++)
        {
            var whole = taken[i] == sources[i].Entries.Count;
            next[i] = offsets[i] + (whole && sources[i].More ? sources[i].Requested : taken[i]);
            more |= !whole || sources[i].More;
        }

        return (entries, more ? next : null);
    }

    private static DateTimeOffset Key(TimelineEntry entry) => entry.At ?? DateTimeOffset.MinValue;
}

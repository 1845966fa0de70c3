using OpenWard.Web.Ui;

namespace OpenWard.Web.Tests.Ui;

public sealed class TimelineTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sources_are_merged_newest_first_with_undated_entries_last()
    {
        var encounters = Page([Entry("admitted", 0), Entry("clinic", -48)], more: false);
        var observations = Page([Entry("pulse", -1), Entry("undated", null)], more: false);

        var (entries, next) = Timeline.Merge([encounters, observations], [0, 0], pageSize: 10);

        Assert.Equal(["admitted", "pulse", "clinic", "undated"], entries.Select(e => e.What));
        Assert.Null(next);
    }

    [Fact]
    public void Paging_through_sources_loses_and_repeats_nothing_even_when_entries_share_a_time()
    {
        // Two sources with many entries at the same instant (a round of vital signs), paged 3 at a time.
        var vitals = Enumerable.Range(0, 7).Select(i => Entry($"vital {i}", -(i / 3))).ToList();
        var notes = Enumerable.Range(0, 4).Select(i => Entry($"note {i}", -i)).ToList();
        var offsets = new[] { 0, 0 };
        var seen = new List<string>();
        for (var pages = 0; offsets is not null && pages < 20; pages++)
        {
            var (entries, next) = Timeline.Merge([Slice(vitals, offsets[0], 3), Slice(notes, offsets[1], 3)], offsets, pageSize: 3);
            seen.AddRange(entries.Select(e => e.What));
            offsets = next!;
        }

        Assert.Equal(11, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal(["vital 0", "vital 1", "vital 2", "note 0"], seen.Take(4));
    }

    [Fact]
    public void A_source_whose_whole_page_was_shown_moves_on_by_the_page_it_asked_for()
    {
        // The policy hid one of the three entries asked for: the next page starts after all three.
        var (_, next) = Timeline.Merge([Page([Entry("a", 0), Entry("b", -1)], more: true, requested: 3)], [6], pageSize: 5);

        Assert.Equal([9], next!);
    }

    [Theory]
    [InlineData(null, new[] { 0, 0, 0 })]
    [InlineData("3.0.25", new[] { 3, 0, 25 })]
    [InlineData("3.0", new[] { 0, 0, 0 })]
    [InlineData("3.-1.2", new[] { 0, 0, 0 })]
    [InlineData("a.b.c", new[] { 0, 0, 0 })]
    [InlineData("99999999.0.0", new[] { 0, 0, 0 })]
    public void A_cursor_that_is_missing_or_made_up_starts_at_the_newest(string? cursor, int[] offsets)
    {
        Assert.Equal(offsets, Timeline.ParseCursor(cursor, 3));
        Assert.Equal("3.0.25", Timeline.FormatCursor([3, 0, 25]));
    }

    private static TimelineEntry Entry(string what, int? hours) =>
        new(hours is null ? null : Noon.AddHours(hours.Value), "", "Kind", what, "", null);

    private static TimelineSourcePage Page(IReadOnlyList<TimelineEntry> entries, bool more, int requested = 25) => new(entries, requested, more);

    private static TimelineSourcePage Slice(List<TimelineEntry> all, int offset, int count) =>
        new([.. all.Skip(offset).Take(count)], count, offset + count < all.Count);
}

namespace OpenWard.Clinical.Medicines;

// Finds formulary medicines named in free text. Every medicine name, synonym and ingredient name is
// looked for as a whole run of words; the longest runs win where they overlap ("amoxicillin and
// clavulanic acid" names co-amoxiclav, not amoxicillin). The text is refused, not guessed at, when
// it names two medicines, or names an ingredient the matched medicine does not contain ("paracetamol
// with codeine" when only paracetamol matched), since then some ingredient would go unchecked.
internal sealed class NameMatcher
{
    private sealed record Term(string[] Words, string Text, FormularyMedicine? Medicine, string? IngredientName);

    private sealed record Hit(Term Term, int Start)
    {
        public int End => Start + Term.Words.Length;
    }

    // Terms by their first word: a text is compared only with terms that could start at each word.
    private readonly Dictionary<string, Term[]> termsByFirstWord;

    public NameMatcher(IEnumerable<FormularyMedicine> medicines)
    {
        var list = medicines.ToList();
        List<Term> terms =
        [
            .. list.SelectMany(m => MedicineNames.Of(m).Select(w => new Term(w, string.Join(' ', w), m, null))),
            .. list.SelectMany(m => m.Ingredients).Select(i => i.Name).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(n => MedicineNames.Words(n)).Where(w => w.Length > 0)
                .Select(w => new Term(w, string.Join(' ', w), null, string.Join(' ', w))),
        ];
        termsByFirstWord = terms.GroupBy(t => t.Words[0], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The medicine the text names, why it is refused, or null when it names nothing the formulary knows.</summary>
    public Recognition? Match(string text)
    {
        var words = MedicineNames.Words(text);
        var chosen = new List<Hit>();
        foreach (var hit in AllHits(words).OrderByDescending(h => h.Term.Words.Length).ThenBy(h => h.Term.Medicine is null))
        {
            if (!chosen.Any(c => Overlaps(c, hit)))
                chosen.Add(hit);
        }

        var medicines = chosen.Where(h => h.Term.Medicine is not null).Select(h => h.Term.Medicine!).DistinctBy(m => m.Id).ToList();
        if (medicines.Count == 0)
        {
            return chosen.Count == 0
                ? null
                : Recognition.NotRecognised($"'{text}' names the ingredient {chosen[0].Term.Text} but no formulary medicine");
        }

        // "Co-amoxiclav (amoxicillin and clavulanic acid)" spells out a combination's own ingredients:
        // one medicine containing every other one named is that medicine. Any other pair is refused.
        var medicine = medicines.FirstOrDefault(m => medicines.All(other => IngredientWords(other).IsSubsetOf(IngredientWords(m))));
        if (medicine is null)
            return Recognition.NotRecognised($"'{text}' names more than one medicine ({string.Join(", ", medicines.Select(m => m.Name))})");

        var contained = IngredientWords(medicine);
        var stray = chosen.FirstOrDefault(h => h.Term.IngredientName is { } name && !contained.Contains(name));
        if (stray is not null)
            return Recognition.NotRecognised($"'{text}' names {medicine.Name} and also {stray.Term.Text}, which {medicine.Name} does not contain");

        return Recognition.Found(medicine, RecognisedBy.Name, chosen.First(h => h.Term.Medicine == medicine).Term.Text);
    }

    private IEnumerable<Hit> AllHits(string[] words)
    {
        for (var start = 0; start < words.Length; start++)
        {
            foreach (var term in termsByFirstWord.GetValueOrDefault(words[start]) ?? [])
            {
                if (start + term.Words.Length <= words.Length && term.Words.AsSpan().SequenceEqual(words.AsSpan(start, term.Words.Length)))
                    yield return new Hit(term, start);
            }
        }
    }

    private static HashSet<string> IngredientWords(FormularyMedicine medicine) =>
        medicine.Ingredients.Select(i => string.Join(' ', MedicineNames.Words(i.Name))).ToHashSet(StringComparer.Ordinal);

    private static bool Overlaps(Hit a, Hit b) => a.Start < b.End && b.Start < a.End;
}

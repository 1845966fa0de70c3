namespace OpenWard.Web.Terminology;

/// <summary>What an RF2 import found: the problem concepts, and how many active concepts it read.</summary>
public sealed record Rf2ImportResult(IReadOnlyList<ProblemConcept> Concepts, int ActiveConcepts, int FilesRead);

/// <summary>
/// Reads the problems and diagnoses out of a SNOMED CT release in RF2 (the SNOMED CT Release File
/// Specification, https://confluence.ihtsdotools.org/display/DOCRELFMT): the Snapshot concept,
/// description and language reference set files found anywhere under a folder, so the UK Clinical
/// Edition's folders (international and UK extension side by side, or the monolith) are read as they
/// unzip. Kept: active concepts whose active fully specified name has the semantic tag "(disorder)" or
/// "(finding)", the two tags of the Clinical finding hierarchy (SNOMED CT Editorial Guide, semantic
/// tags). The preferred term is the synonym preferred in the UK language reference sets, the UK
/// clinical one first; the other terms are its synonyms acceptable there.
/// </summary>
public static class Rf2ProblemImport
{
    // SNOMED CT metadata concepts (Release File Specification, description and language refset).
    private const string FullySpecifiedName = "900000000000003001";
    private const string Synonym = "900000000000013009";
    private const string Preferred = "900000000000548007";

    /// <summary>
    /// The language reference sets used, best first: 999001261000000100 |National Health Service realm
    /// language reference set (clinical part)| and 900000000000508004 |Great Britain English language reference set|.
    /// </summary>
    private static readonly string[] LanguageRefsets = ["999001261000000100", "900000000000508004"];

    private static readonly string[] ProblemTags = ["(disorder)", "(finding)"];

    public static async Task<Rf2ImportResult> ReadAsync(DirectoryInfo release, CancellationToken cancellationToken)
    {
        if (!release.Exists)
        {
            throw new FormatException($"{release.FullName} does not exist: give the folder the SNOMED CT release was unzipped into.");
        }

        var conceptFiles = Find(release, "sct2_Concept_Snapshot*.txt");
        var descriptionFiles = Find(release, "sct2_Description_Snapshot*.txt");
        if (conceptFiles.Count == 0 || descriptionFiles.Count == 0)
        {
            throw new FormatException($"No RF2 Snapshot concept and description files (sct2_Concept_Snapshot*.txt, sct2_Description_Snapshot*.txt) under {release.FullName}.");
        }

        var languageFiles = Find(release, "der2_cRefset_LanguageSnapshot*.txt");

        // Concept: id effectiveTime active moduleId definitionStatusId.
        var active = new Dictionary<string, (string Time, bool Active)>(StringComparer.Ordinal);
        await ReadRowsAsync(conceptFiles, 5, row => Latest(active, row[0], row[1], row[2] == "1"), cancellationToken);
        var activeConcepts = active.Where(c => c.Value.Active).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

        // Description: id effectiveTime active moduleId conceptId languageCode typeId term caseSignificanceId.
        var descriptions = new Dictionary<string, (string Time, bool Active, string Concept, string Type, string Term)>(StringComparer.Ordinal);
        await ReadRowsAsync(descriptionFiles, 9, row =>
        {
            if (activeConcepts.Contains(row[4]) && (row[6] == FullySpecifiedName || row[6] == Synonym)
                && (!descriptions.TryGetValue(row[0], out var known) || string.CompareOrdinal(row[1], known.Time) > 0))
            {
                descriptions[row[0]] = (row[1], row[2] == "1", row[4], row[6], row[7]);
            }
        }, cancellationToken);

        // Language refset member: id effectiveTime active moduleId refsetId referencedComponentId acceptabilityId.
        var acceptability = new Dictionary<(string Refset, string Description), (string Time, bool Active, bool Preferred)>();
        await ReadRowsAsync(languageFiles, 7, row =>
        {
            if (LanguageRefsets.Contains(row[4]) && descriptions.ContainsKey(row[5])
                && (!acceptability.TryGetValue((row[4], row[5]), out var known) || string.CompareOrdinal(row[1], known.Time) > 0))
            {
                acceptability[(row[4], row[5])] = (row[1], row[2] == "1", row[6] == Preferred);
            }
        }, cancellationToken);

        var concepts = new List<ProblemConcept>();
        foreach (var group in descriptions.Where(d => d.Value.Active).GroupBy(d => d.Value.Concept))
        {
            var fsn = group.FirstOrDefault(d => d.Value.Type == FullySpecifiedName).Value.Term;
            if (fsn is null || !ProblemTags.Any(tag => fsn.EndsWith(tag, StringComparison.Ordinal)))
            {
                continue;
            }

            var synonyms = group.Where(d => d.Value.Type == Synonym).ToList();
            var refset = LanguageRefsets.FirstOrDefault(r => synonyms.Any(s => acceptability.TryGetValue((r, s.Key), out var a) && a.Active));
            string term;
            List<string> others;
            if (refset is null)
            {
                // No UK language refset covers it: the fully specified name without its tag, and every synonym.
                term = fsn[..fsn.LastIndexOf('(')].TrimEnd();
                others = [.. synonyms.Select(s => s.Value.Term).Where(t => t != term).Order(StringComparer.Ordinal)];
            }
            else
            {
                var accepted = synonyms.Where(s => acceptability.TryGetValue((refset, s.Key), out var a) && a.Active)
                    .Select(s => (s.Value.Term, acceptability[(refset, s.Key)].Preferred)).ToList();
                term = accepted.FirstOrDefault(a => a.Preferred).Term ?? accepted[0].Term;
                others = [.. accepted.Select(a => a.Term).Where(t => t != term).Order(StringComparer.Ordinal)];
            }

            concepts.Add(new ProblemConcept(group.Key, term, others));
        }

        concepts.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return new Rf2ImportResult(concepts, activeConcepts.Count, conceptFiles.Count + descriptionFiles.Count + languageFiles.Count);
    }

    /// <summary>Writes the result where <see cref="ProblemTerminology.Load"/> finds it, replacing an earlier import only once the new file is complete.</summary>
    public static async Task WriteAsync(Rf2ImportResult result, string dataDirectory, string comment, CancellationToken cancellationToken)
    {
        var target = Path.Combine(dataDirectory, ProblemTerminology.ImportedFile);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".partial";
        await using (var writer = new StreamWriter(partial, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            ProblemTerminology.Write(result.Concepts, comment, writer);
            await writer.FlushAsync(cancellationToken);
        }

        File.Move(partial, target, overwrite: true);
    }

    private static List<FileInfo> Find(DirectoryInfo release, string pattern) =>
        [.. release.EnumerateFiles(pattern, SearchOption.AllDirectories).OrderBy(f => f.FullName, StringComparer.Ordinal)];

    private static void Latest(Dictionary<string, (string Time, bool Active)> rows, string id, string time, bool isActive)
    {
        if (!rows.TryGetValue(id, out var known) || string.CompareOrdinal(time, known.Time) > 0)
        {
            rows[id] = (time, isActive);
        }
    }

    /// <summary>Each data row of each file (the header row is checked and skipped); a row with the wrong number of columns names its file and line.</summary>
    private static async Task ReadRowsAsync(List<FileInfo> files, int columns, Action<string[]> row, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            using var reader = new StreamReader(file.FullName);
            var line = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } text)
            {
                line++;
                var fields = text.Split('\t');
                if (fields.Length != columns)
                {
                    throw new FormatException($"{file.FullName}, line {line}: {fields.Length} tab-separated columns where RF2 has {columns}.");
                }

                if (line == 1)
                {
                    if (fields[0] != "id")
                    {
                        throw new FormatException($"{file.FullName}: the first line is not an RF2 header (it should start with \"id\").");
                    }

                    continue;
                }

                row(fields);
            }
        }
    }
}

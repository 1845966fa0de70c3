using OpenWard.Web.Terminology;

namespace OpenWard.Web.Tests.Terminology;

/// <summary>
/// The RF2 import on a release folder laid out as the UK Clinical Edition unzips (international and UK
/// parts in separate folders). The rows are test fixtures in the RF2 layout; their concept ids are the
/// repository subset's, their extra terms illustrative.
/// </summary>
public sealed class Rf2ProblemImportTests : IDisposable
{
    private const string ConceptHeader = "id\teffectiveTime\tactive\tmoduleId\tdefinitionStatusId";
    private const string DescriptionHeader = "id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\tcaseSignificanceId";
    private const string LanguageHeader = "id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\tacceptabilityId";
    private const string Fsn = "900000000000003001";
    private const string Synonym = "900000000000013009";
    private const string Preferred = "900000000000548007";
    private const string Acceptable = "900000000000549004";
    private const string UkClinical = "999001261000000100";

    private readonly DirectoryInfo _release = Directory.CreateTempSubdirectory("openward-rf2-");

    public void Dispose() => _release.Delete(recursive: true);

    [Fact]
    public async Task Disorders_and_findings_are_kept_with_the_UK_preferred_term_and_acceptable_synonyms()
    {
        WriteRelease();

        var result = await Rf2ProblemImport.ReadAsync(_release, default);

        Assert.Equal(["22298006", "26322001", "840539006"], result.Concepts.Select(c => c.Code));
        var infarction = result.Concepts[0];
        Assert.Equal("Myocardial infarction", infarction.Term);
        // The inactive synonym and the one not in the UK refset are left out.
        Assert.Equal(["Heart attack"], infarction.OtherTerms);
        // No language refset row: the fully specified name without its tag.
        Assert.Equal("Bleeding from ear", result.Concepts[1].Term);
        // A later row in the UK folder changed the preferred term.
        Assert.Equal("COVID-19", result.Concepts[2].Term);
        Assert.Equal(4, result.ActiveConcepts);
        Assert.Equal(5, result.FilesRead);
    }

    [Fact]
    public async Task The_written_file_is_what_the_problem_search_loads()
    {
        WriteRelease();
        var data = _release.CreateSubdirectory("data");

        await Rf2ProblemImport.WriteAsync(await Rf2ProblemImport.ReadAsync(_release, default), data.FullName, "from a test", default);
        var terms = ProblemTerminology.Load(data.FullName);

        Assert.Equal(3, terms.Count);
        Assert.Equal("22298006", Assert.Single(terms.Search("heart attack", 5)).Concept.Code);
        Assert.False(File.Exists(Path.Combine(data.FullName, ProblemTerminology.ImportedFile + ".partial")));
    }

    [Fact]
    public async Task A_folder_without_a_release_or_with_a_broken_file_is_refused_clearly()
    {
        var missing = await Assert.ThrowsAsync<FormatException>(() => Rf2ProblemImport.ReadAsync(_release, default));
        Assert.Contains("sct2_Concept_Snapshot", missing.Message, StringComparison.Ordinal);

        WriteRelease();
        File.AppendAllText(Path.Combine(_release.FullName, "Int", "sct2_Concept_Snapshot_INT_20250101.txt"), "123\t20250101\t1\n");
        var broken = await Assert.ThrowsAsync<FormatException>(() => Rf2ProblemImport.ReadAsync(_release, default));
        Assert.Contains("line 7", broken.Message, StringComparison.Ordinal);
    }

    private void WriteRelease()
    {
        Write("Int/sct2_Concept_Snapshot_INT_20250101.txt", ConceptHeader,
            "22298006\t20020131\t1\t900000000000207008\t900000000000074008",
            "26322001\t20020131\t1\t900000000000207008\t900000000000074008",
            "840539006\t20200309\t1\t900000000000207008\t900000000000074008",
            // A procedure: not a problem.
            "73761001\t20020131\t1\t900000000000207008\t900000000000074008",
            // An inactive disorder.
            "195967001\t20240101\t0\t900000000000207008\t900000000000074008");
        Write("Int/sct2_Description_Snapshot-en_INT_20250101.txt", DescriptionHeader,
            $"d1\t20020131\t1\tm\t22298006\ten\t{Fsn}\tMyocardial infarction (disorder)\tc",
            $"d2\t20020131\t1\tm\t22298006\ten\t{Synonym}\tMyocardial infarction\tc",
            $"d3\t20020131\t1\tm\t22298006\ten\t{Synonym}\tHeart attack\tc",
            $"d4\t20020131\t0\tm\t22298006\ten\t{Synonym}\tCardiac infarction\tc",
            $"d5\t20020131\t1\tm\t22298006\ten\t{Synonym}\tMI - myocardial infarction\tc",
            $"d6\t20020131\t1\tm\t26322001\ten\t{Fsn}\tBleeding from ear (finding)\tc",
            $"d7\t20200309\t1\tm\t840539006\ten\t{Fsn}\tDisease caused by severe acute respiratory syndrome coronavirus 2 (disorder)\tc",
            $"d8\t20200309\t1\tm\t840539006\ten\t{Synonym}\tCOVID-19\tc",
            $"d9\t20200309\t1\tm\t840539006\ten\t{Synonym}\tDisease caused by 2019-nCoV\tc",
            $"d10\t20020131\t1\tm\t73761001\ten\t{Fsn}\tColonoscopy (procedure)\tc",
            $"d11\t20240101\t1\tm\t195967001\ten\t{Fsn}\tAsthma (disorder)\tc");
        Write("Int/der2_cRefset_LanguageSnapshot-en_INT_20250101.txt", LanguageHeader,
            $"l2\t20020131\t1\tm\t{UkClinical}\td2\t{Preferred}",
            $"l3\t20020131\t1\tm\t{UkClinical}\td3\t{Acceptable}",
            $"l9\t20200309\t1\tm\t{UkClinical}\td9\t{Preferred}",
            $"l8\t20200309\t1\tm\t{UkClinical}\td8\t{Acceptable}");
        Write("UK/sct2_Concept_Snapshot_GB1000000_20250101.txt", ConceptHeader);
        Write("UK/der2_cRefset_LanguageSnapshot-en_GB1000000_20250101.txt", LanguageHeader,
            $"l9\t20210101\t1\tm\t{UkClinical}\td9\t{Acceptable}",
            $"l8\t20210101\t1\tm\t{UkClinical}\td8\t{Preferred}");
    }

    private void Write(string path, string header, params string[] rows)
    {
        var file = Path.Combine(_release.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, string.Join("\r\n", [header, .. rows]) + "\r\n");
    }
}

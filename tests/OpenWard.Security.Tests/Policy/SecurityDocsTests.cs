using OpenWard.Security.Policy;

namespace OpenWard.Security.Tests.Policy;

/// <summary>docs/security.md shows the permission table the code enforces, row for row.</summary>
public class SecurityDocsTests
{
    [Fact]
    public void The_documented_permission_table_is_the_one_in_the_code()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "OpenWard.slnx")))
        {
            folder = folder.Parent;
        }

        Assert.NotNull(folder);
        var documented = File.ReadAllLines(Path.Combine(folder.FullName, "docs", "security.md"))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(cells => cells.Length == 3 && Enum.TryParse<StaffRole>(cells[0], out _))
            .Select(cells => $"{cells[0]} | {cells[1]} | {cells[2]}")
            .ToList();

        Assert.Equal(AccessPolicy.PermissionTable.Select(row => row.ToString()), documented);
    }
}

using System.Reflection;
using OpenWard.Storage;
using OpenWard.Web.Security;

namespace OpenWard.Web.Tests.Ui;

/// <summary>
/// Page code never holds the store: it writes and reads through FhirRestService with the user's
/// access, and reads past that access only through <see cref="SystemReads"/>, which audits each use.
/// </summary>
public sealed class PageLayerTests
{
    private static readonly Type[] StoreTypes = [typeof(IResourceStore), typeof(SqlResourceStore), typeof(IStoreTransaction)];

    [Fact]
    public void No_page_takes_or_keeps_the_store()
    {
        var pages = typeof(SystemReads).Assembly.GetTypes().Where(t => t.Namespace?.StartsWith("OpenWard.Web.Pages", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(pages);

        var holding = pages
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).SelectMany(c => c.GetParameters()).Any(p => StoreTypes.Contains(p.ParameterType))
                || t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Any(f => StoreTypes.Contains(f.FieldType))
                || t.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static).Any(p => StoreTypes.Contains(p.PropertyType))
                || t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).SelectMany(m => m.GetParameters()).Any(p => StoreTypes.Contains(p.ParameterType)))
            .Select(t => t.FullName)
            .ToList();

        Assert.True(holding.Count == 0, $"These page types reach the store: {string.Join(", ", holding)}");
    }
}

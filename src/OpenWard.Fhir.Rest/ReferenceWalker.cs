using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Rest;

/// <summary>Finds every Reference element in a resource (contained resources included).</summary>
public static class ReferenceWalker
{
    public static List<ResourceReference> All(Base root)
    {
        var found = new List<ResourceReference>();
        Walk(root, found);
        return found;
    }

    private static void Walk(Base node, List<ResourceReference> found)
    {
        if (node is ResourceReference reference)
        {
            found.Add(reference);
        }

        foreach (var (_, value) in node.EnumerateElements())
        {
            switch (value)
            {
                case Base child:
                    Walk(child, found);
                    break;
                case System.Collections.IEnumerable list and not string:
                    foreach (var item in list)
                    {
                        if (item is Base element)
                        {
                            Walk(element, found);
                        }
                    }

                    break;
            }
        }
    }
}

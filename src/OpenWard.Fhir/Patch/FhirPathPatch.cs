using System.Collections;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Introspection;
using Hl7.Fhir.Model;
using Hl7.FhirPath;
using Hl7.FhirPath.Expressions;
using OpenWard.Fhir.Serialization;
using FhirPathExpression = Hl7.FhirPath.Expressions.Expression;

namespace OpenWard.Fhir.Patch;

/// <summary>
/// A FHIRPath Patch (https://hl7.org/fhir/R4/fhirpatch.html): a Parameters resource whose every
/// parameter is an <c>operation</c> with parts <c>type</c> (add, insert, delete, replace, move),
/// <c>path</c> (FHIRPath), and <c>name</c>, <c>value</c>, <c>index</c>, <c>source</c>,
/// <c>destination</c> as the type needs. Elements are found with Firely's FHIRPath on the POCO and
/// changed in place; operations apply in order, each to the result of the one before.
/// </summary>
/// <remarks>
/// <c>resolve()</c> is refused in paths: the spec allows it only to reach contained resources, and
/// <c>Patient.contained</c> reaches them without it. A value may be given as a primitive of the
/// same family as the target (a <c>valueString</c> for a <c>code</c> or <c>markdown</c>, a
/// <c>valueInteger</c> for a <c>positiveInt</c>); the final parse checks its format.
/// </remarks>
public sealed class FhirPathPatch : ResourcePatch
{
    private static readonly FhirPathCompiler Compiler = new(new SymbolTable().AddStandardFP().AddFhirExtensions());
    private static readonly ModelInspector Inspector = ModelInfo.ModelInspector;

    private static readonly HashSet<string> StringFamily = new(StringComparer.Ordinal) { "string", "code", "id", "markdown", "uri", "url", "canonical", "oid", "uuid" };
    private static readonly HashSet<string> IntegerFamily = new(StringComparer.Ordinal) { "integer", "unsignedInt", "positiveInt" };

    private static readonly Dictionary<string, string[]> PartsByType = new(StringComparer.Ordinal)
    {
        ["add"] = ["type", "path", "name", "value"],
        ["insert"] = ["type", "path", "value", "index"],
        ["delete"] = ["type", "path"],
        ["replace"] = ["type", "path", "value"],
        ["move"] = ["type", "path", "source", "destination"],
    };

    private readonly IReadOnlyList<Operation> _operations;

    private FhirPathPatch(IReadOnlyList<Operation> operations)
    {
        _operations = operations;
    }

    /// <summary>How many operations the patch holds.</summary>
    public int Count => _operations.Count;

    /// <summary>Reads the operations; a malformed one (missing or unknown part, bad FHIRPath) is a 400 naming it.</summary>
    public static FhirPathPatch Parse(Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var operations = new List<Operation>();
        foreach (var parameter in parameters.Parameter)
        {
            operations.Add(ReadOperation(operations.Count, parameter));
        }

        return new FhirPathPatch(operations);
    }

    protected override byte[] ApplyCore(string currentJson, Resource current)
    {
        var resource = (Resource)current.DeepCopy();
        foreach (var operation in _operations)
        {
            operation.ApplyTo(resource);
        }

        return FhirSerialization.ToJsonBytes(resource);
    }

    private static Operation ReadOperation(int number, Parameters.ParameterComponent parameter)
    {
        if (parameter.Name != "operation" || parameter.Value is not null || parameter.Resource is not null)
        {
            throw Invalid($"Parameter {number} must be named 'operation' and hold only parts (https://hl7.org/fhir/R4/fhirpatch.html).");
        }

        var parts = new Dictionary<string, Parameters.ParameterComponent>(StringComparer.Ordinal);
        foreach (var part in parameter.Part)
        {
            if (!parts.TryAdd(part.Name ?? "", part))
            {
                throw Invalid($"Operation {number} has more than one '{part.Name}' part.");
            }
        }

        var type = parts.TryGetValue("type", out var typePart) ? Text(typePart) : null;
        if (type is null || !PartsByType.TryGetValue(type, out var expected))
        {
            throw Invalid($"Operation {number}: type must be one of add, insert, delete, replace, move, not '{type}'.");
        }

        foreach (var extra in parts.Keys.Where(part => !expected.Contains(part)))
        {
            throw Invalid($"Operation {number} ({type}) has a '{extra}' part, which a {type} does not take.");
        }

        foreach (var missing in expected.Where(part => !parts.ContainsKey(part)))
        {
            throw Invalid($"Operation {number} ({type}) needs a '{missing}' part.");
        }

        var path = Text(parts["path"]) ?? throw Invalid($"Operation {number} ({type}): path must be a valueString holding a FHIRPath expression.");
        var expression = ParsePath(number, type, path);
        var operation = new Operation(number, type, path)
        {
            Name = parts.TryGetValue("name", out var name) ? Text(name) ?? throw Invalid($"Operation {number} ({type}): name must be a valueString.") : null,
            Value = parts.GetValueOrDefault("value"),
            Index = ReadIndex(number, type, parts, "index"),
            Source = ReadIndex(number, type, parts, "source"),
            Destination = ReadIndex(number, type, parts, "destination"),
        };
        if (operation.Value is { } value && (value.Value is not null ? 1 : 0) + (value.Resource is not null ? 1 : 0) + (value.Part.Count > 0 ? 1 : 0) != 1)
        {
            throw Invalid($"Operation {number} ({type}): the value part must hold exactly one of a value[x], a resource, or parts (for an element with no data type of its own).");
        }

        if (type is "insert" or "move")
        {
            // The path names a list, which may be empty: find the element that holds it, then the list by name.
            if (expression is not ChildExpression { Focus: { } holder } list)
            {
                throw Invalid($"Operation {number} ({type}): path must end with the name of a list, as in Patient.identifier, not '{path}'.");
            }

            return operation with { Holder = Compile(number, type, path, holder), ListName = list.ChildName };
        }

        return operation with { Target = Compile(number, type, path, expression) };
    }

    private static FhirPathExpression ParsePath(int number, string type, string path)
    {
        FhirPathExpression expression;
        try
        {
            expression = Compiler.Parse(path);
        }
        catch (Exception e)
        {
            throw Invalid($"Operation {number} ({type}): '{path}' is not a FHIRPath expression: {e.Message}");
        }

        if (CallsResolve(expression))
        {
            throw Invalid($"Operation {number} ({type}): '{path}' uses resolve(); a patch changes only the resource it is sent to (https://hl7.org/fhir/R4/fhirpatch.html).");
        }

        return expression;
    }

    private static CompiledExpression Compile(int number, string type, string path, FhirPathExpression expression)
    {
        try
        {
            return Compiler.Compile(expression);
        }
        catch (Exception e)
        {
            throw Invalid($"Operation {number} ({type}): '{path}' cannot be evaluated: {e.Message}");
        }
    }

    private static bool CallsResolve(FhirPathExpression expression) =>
        expression is FunctionCallExpression call
        && (call.FunctionName == "resolve" || (call.Focus is { } focus && CallsResolve(focus)) || call.Arguments.Any(CallsResolve));

    private static string? Text(Parameters.ParameterComponent part) => part.Value switch
    {
        Code code => code.Value,
        FhirString text => text.Value,
        _ => null,
    };

    private static int? ReadIndex(int number, string type, Dictionary<string, Parameters.ParameterComponent> parts, string name)
    {
        if (!parts.TryGetValue(name, out var part))
        {
            return null;
        }

        return part.Value is Integer { Value: >= 0 and var value }
            ? value
            : throw Invalid($"Operation {number} ({type}): {name} must be a valueInteger of 0 or more.");
    }

    private static FhirException Invalid(string message) =>
        FhirException.BadRequest(InvalidCode, message);

    private sealed record Operation(int Number, string Type, string Path)
    {
        public string? Name { get; init; }
        public Parameters.ParameterComponent? Value { get; init; }
        public int? Index { get; init; }
        public int? Source { get; init; }
        public int? Destination { get; init; }

        /// <summary>add, delete, replace: the compiled path.</summary>
        public CompiledExpression? Target { get; init; }

        /// <summary>insert, move: the element holding the list, and the list's name.</summary>
        public CompiledExpression? Holder { get; init; }
        public string? ListName { get; init; }

        public void ApplyTo(Resource resource)
        {
            var root = resource.ToPocoNode(Inspector);
            switch (Type)
            {
                case "add":
                    {
                        var holder = Single(Evaluate(Target!, root), resource);
                        var property = Property(holder.Poco, Name!);
                        var value = BuildValue(Value!, property);
                        if (property.IsCollection)
                        {
                            List(holder.Poco, property).Add(value);
                        }
                        else if (Native(property).GetValue(holder.Poco) is not null)
                        {
                            throw Failed($"{holder.Poco.TypeName} already has a {Name}; add is for elements not yet present (use replace).");
                        }
                        else
                        {
                            Native(property).SetValue(holder.Poco, value);
                        }

                        break;
                    }

                case "insert":
                    {
                        var (list, property) = NamedList(Single(Evaluate(Holder!, root), resource).Poco);
                        if (Index > list.Count)
                        {
                            throw Failed($"index {Index} is past the end of a list of {list.Count}.");
                        }

                        list.Insert(Index!.Value, BuildValue(Value!, property));
                        break;
                    }

                case "delete":
                    {
                        // "Path of the element to delete (if found)": finding nothing is not an error.
                        var matches = Evaluate(Target!, root);
                        if (matches.Count == 0)
                        {
                            break;
                        }

                        var element = InResource(Single(matches, resource), resource);
                        var property = Property(element.Parent!.Poco, element.Name);
                        if (property.IsCollection && element.Index is { } index)
                        {
                            List(element.Parent.Poco, property).RemoveAt(index);
                        }
                        else
                        {
                            Native(property).SetValue(element.Parent.Poco, null);
                        }

                        break;
                    }

                case "replace":
                    {
                        var element = InResource(Single(Evaluate(Target!, root), resource), resource);
                        var property = Property(element.Parent!.Poco, element.Name);
                        var value = BuildValue(Value!, property);
                        if (property.IsCollection && element.Index is { } index)
                        {
                            List(element.Parent.Poco, property)[index] = value;
                        }
                        else
                        {
                            Native(property).SetValue(element.Parent.Poco, value);
                        }

                        break;
                    }

                case "move":
                    {
                        var (list, _) = NamedList(Single(Evaluate(Holder!, root), resource).Poco);
                        if (Source >= list.Count || Destination >= list.Count)
                        {
                            throw Failed($"source {Source} and destination {Destination} must both be indexes in a list of {list.Count}.");
                        }

                        var item = list[Source!.Value];
                        list.RemoveAt(Source.Value);
                        list.Insert(Destination!.Value, item);
                        break;
                    }
            }
        }

        private List<PocoNode> Evaluate(CompiledExpression expression, PocoNode root)
        {
            try
            {
                return expression([root], new FhirEvaluationContext { Resource = root, RootResource = root }).ToList();
            }
            catch (Exception e)
            {
                throw Failed($"the path could not be evaluated: {e.Message}");
            }
        }

        /// <summary>"The FHIRPath statement must return a single element"; except for delete, none is an error too.</summary>
        private PocoNode Single(List<PocoNode> matches, Resource resource)
        {
            if (matches.Count != 1)
            {
                throw Failed(matches.Count == 0 ? "the path matches nothing." : $"the path matches {matches.Count} elements; it must match exactly one.");
            }

            var match = matches[0];
            return ReferenceEquals(match.Poco, resource) || match.Parent is not null
                ? match
                : throw Failed("the path gives a computed value, not an element of the resource.");
        }

        private PocoNode InResource(PocoNode element, Resource resource) =>
            element.Parent is not null ? element : throw Failed($"the {resource.TypeName} itself cannot be deleted or replaced by a patch.");

        private PropertyMapping Property(Base holder, string name) =>
            Inspector.FindClassMapping(holder.GetType()) is { } mapping
            && (mapping.FindMappedElementByName(name) ?? mapping.FindMappedElementByChoiceName(name)) is { } property
                ? property
                : throw Failed($"{holder.TypeName} has no element '{name}'.");

        /// <summary>insert, move: the list the path names, which may be empty.</summary>
        private (IList List, PropertyMapping Property) NamedList(Base holder)
        {
            var property = Property(holder, ListName!);
            return property.IsCollection ? (List(holder, property), property) : throw Failed($"{holder.TypeName}.{ListName} is not a list.");
        }

        private static System.Reflection.PropertyInfo Native(PropertyMapping property) =>
            property.NativeProperty ?? throw new InvalidOperationException($"{property.DeclaringClass.Name}.{property.Name} has no CLR property.");

        private static IList List(Base holder, PropertyMapping property) =>
            (IList)Native(property).GetValue(holder)!;

        /// <summary>The value to place in <paramref name="property"/>: a value[x] (converted within its primitive family), a resource, or an anonymous element built from parts.</summary>
        private Base BuildValue(Parameters.ParameterComponent part, PropertyMapping property)
        {
            var target = property.ImplementingType;
            if (part.Resource is { } resource)
            {
                return target.IsInstanceOfType(resource) ? resource.DeepCopy() : throw Mismatch(resource.TypeName, property);
            }

            if (part.Value is { } value)
            {
                return Convert((DataType)value.DeepCopy(), property);
            }

            if (Inspector.FindClassMapping(target) is not { IsFhirPrimitive: false, IsAbstract: not true } mapping)
            {
                throw Failed($"{property.Name} takes a {Describe(property)}, which must be given as a value[x], not as parts.");
            }

            var element = mapping.CreateInstance();
            foreach (var child in part.Part)
            {
                var childProperty = Property(element, child.Name ?? "");
                var childValue = BuildValue(child, childProperty);
                if (childProperty.IsCollection)
                {
                    List(element, childProperty).Add(childValue);
                }
                else if (Native(childProperty).GetValue(element) is not null)
                {
                    throw Failed($"the value gives {mapping.Name}.{childProperty.Name} more than once, but it is not a list.");
                }
                else
                {
                    Native(childProperty).SetValue(element, childValue);
                }
            }

            return element;
        }

        private DataType Convert(DataType value, PropertyMapping property)
        {
            if (property.Choice == ChoiceType.DatatypeChoice)
            {
                return property.FhirType.Any(allowed => allowed.IsInstanceOfType(value)) ? value : throw Mismatch(value.TypeName, property);
            }

            var target = property.ImplementingType;
            if (target.IsInstanceOfType(value))
            {
                return value;
            }

            // A code with a required binding is a Code<T> in the POCO, whose FHIR type is plain code.
            if (value is PrimitiveType primitive && typeof(PrimitiveType).IsAssignableFrom(target)
                && property.FhirType.Any(type => Inspector.FindClassMapping(type)?.Name is { } name && SameFamily(primitive.TypeName, name)))
            {
                var converted = (PrimitiveType)Activator.CreateInstance(target)!;
                converted.JsonValue = primitive.JsonValue;
                converted.ElementId = primitive.ElementId;
                converted.Extension.AddRange(primitive.Extension);
                return converted;
            }

            throw Mismatch(value.TypeName, property);
        }

        private static bool SameFamily(string a, string b) =>
            (StringFamily.Contains(a) && StringFamily.Contains(b)) || (IntegerFamily.Contains(a) && IntegerFamily.Contains(b));

        private FhirException Mismatch(string given, PropertyMapping property) =>
            Failed($"a {given} cannot be placed in {property.DeclaringClass.Name}.{property.Name}, which takes {Describe(property)}.");

        private static string Describe(PropertyMapping property) =>
            string.Join(" or ", property.FhirType.Select(t => Inspector.FindClassMapping(t)?.Name ?? t.Name));

        private FhirException Failed(string reason) =>
            FhirException.Unprocessable(FailedCode, $"Operation {Number} ({Type} {Path}) cannot be applied: {reason}");
    }
}

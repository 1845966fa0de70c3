using Hl7.Fhir.Model;

namespace OpenWard.Fhir.Search.Indexing;

/// <summary>
/// Turns the FHIRPath results of one search parameter into index entries by parameter type and FHIR
/// datatype (https://hl7.org/fhir/R4/search.html#ptypes), without duplicates. A value that cannot be
/// an entry of the parameter's type (a Range for a quantity, a string for a date, a Resource for a
/// reference) is skipped.
/// </summary>
internal sealed class IndexCollector(ResourceIndexes indexes)
{
    // https://hl7.org/fhir/R4/datatypes.html#Money: currency codes are ISO 4217.
    private const string CurrencySystem = "urn:iso:std:iso:4217";

    private string _param = string.Empty;
    private int _firstOfParam;

    public ResourceIndexes Indexes { get; } = indexes;

    /// <summary>Starts collecting for <paramref name="param"/>; duplicates are looked for among its own entries only.</summary>
    public void BeginParameter(string param, SearchParamType type)
    {
        _param = param;
        _firstOfParam = type switch
        {
            SearchParamType.Token => Indexes.Tokens.Count,
            SearchParamType.String => Indexes.Strings.Count,
            SearchParamType.Date => Indexes.Dates.Count,
            SearchParamType.Reference => Indexes.References.Count,
            SearchParamType.Quantity => Indexes.Quantities.Count,
            SearchParamType.Number => Indexes.Numbers.Count,
            SearchParamType.Uri => Indexes.Uris.Count,
            _ => 0,
        };
    }

    public void Add(SearchParamType type, Base value)
    {
        switch (type)
        {
            case SearchParamType.Token:
                AddToken(value);
                break;
            case SearchParamType.String:
                AddString(value);
                break;
            case SearchParamType.Date:
                AddDate(value);
                break;
            case SearchParamType.Reference:
                AddReference(value);
                break;
            case SearchParamType.Quantity:
                AddQuantity(value);
                break;
            case SearchParamType.Number:
                AddNumber(value);
                break;
            case SearchParamType.Uri:
                AddUri(value);
                break;
            default:
                break; // composite and special parameters have no index table
        }
    }

    // https://hl7.org/fhir/R4/search.html#token
    private void AddToken(Base value)
    {
        switch (value)
        {
            case Coding coding:
                AddCoding(coding);
                break;
            case CodeableConcept concept:
                AddConcept(concept);
                break;
            case Identifier identifier:
                AddIdentifier(identifier);
                break;
            case ContactPoint contact:
                if (!string.IsNullOrEmpty(contact.Value))
                {
                    AddUnique(Indexes.Tokens, new TokenIndex(_param, null, contact.Value, null));
                }

                break;
            case PrimitiveType primitive:
                var code = primitive.JsonValue switch
                {
                    bool flag => flag ? "true" : "false",
                    string text => text,
                    _ => null,
                };
                if (!string.IsNullOrEmpty(code))
                {
                    AddUnique(Indexes.Tokens, new TokenIndex(_param, null, code, null));
                }

                break;
            default:
                break;
        }
    }

    private void AddConcept(CodeableConcept concept)
    {
        var conceptText = NormalizeOrNull(concept.Text);
        var textIsADisplay = false;
        foreach (var coding in concept.Coding)
        {
            var display = AddCoding(coding);
            textIsADisplay |= conceptText is not null && conceptText == display;
        }

        // The concept's own text is for :text; it gets an entry without system or code unless a coding already carries it.
        if (conceptText is not null && !textIsADisplay)
        {
            AddUnique(Indexes.Tokens, new TokenIndex(_param, null, null, conceptText));
        }
    }

    /// <summary>Adds the coding's entry; returns its normalised display.</summary>
    private string? AddCoding(Coding? coding)
    {
        if (coding is null)
        {
            return null;
        }

        var text = NormalizeOrNull(coding.Display);
        if (coding.System is null && coding.Code is null && text is null)
        {
            return null;
        }

        AddUnique(Indexes.Tokens, new TokenIndex(_param, coding.System, coding.Code, text));
        return text;
    }

    // One entry per Identifier.type coding, so :of-type can match type and value in one entry.
    private void AddIdentifier(Identifier identifier)
    {
        if (identifier.System is null && identifier.Value is null)
        {
            return;
        }

        var text = NormalizeOrNull(identifier.Type?.Text);
        var typed = false;
        if (identifier.Type is { } identifierType)
        {
            foreach (var typeCoding in identifierType.Coding)
            {
                if (typeCoding?.Code is null)
                {
                    continue;
                }

                AddUnique(Indexes.Tokens, new TokenIndex(_param, identifier.System, identifier.Value, text, typeCoding.System, typeCoding.Code));
                typed = true;
            }
        }

        if (!typed)
        {
            AddUnique(Indexes.Tokens, new TokenIndex(_param, identifier.System, identifier.Value, text));
        }
    }

    // https://hl7.org/fhir/R4/search.html#string
    private void AddString(Base value)
    {
        switch (value)
        {
            case HumanName name:
                AddStringText(name.Family);
                AddStringElements(name.GivenElement);
                AddStringElements(name.PrefixElement);
                AddStringElements(name.SuffixElement);
                AddStringText(name.Text);
                break;
            case Address address:
                AddStringElements(address.LineElement);
                AddStringText(address.City);
                AddStringText(address.District);
                AddStringText(address.State);
                AddStringText(address.PostalCode);
                AddStringText(address.Country);
                AddStringText(address.Text);
                break;
            case PrimitiveType { JsonValue: string text }:
                AddStringText(text);
                break;
            default:
                break;
        }
    }

    private void AddStringElements(List<FhirString> elements)
    {
        foreach (var element in elements)
        {
            AddStringText(element?.Value);
        }
    }

    private void AddStringText(string? exact)
    {
        if (NormalizeOrNull(exact) is { } normalized)
        {
            AddUnique(Indexes.Strings, new StringIndex(_param, normalized, exact!));
        }
    }

    // https://hl7.org/fhir/R4/search.html#date
    private void AddDate(Base value)
    {
        switch (value)
        {
            case Date or FhirDateTime or Instant:
                if (((PrimitiveType)value).JsonValue is string text && FhirDateRange.TryParse(text, out var range))
                {
                    AddUnique(Indexes.Dates, new DateIndex(_param, range.Low, range.High));
                }

                break;
            case Period period:
                AddPeriod(period);
                break;
            case Timing timing:
                foreach (var moment in timing.EventElement)
                {
                    if (FhirDateRange.TryParse(moment?.Value, out var eventRange))
                    {
                        AddUnique(Indexes.Dates, new DateIndex(_param, eventRange.Low, eventRange.High));
                    }
                }

                break;
            default:
                break;
        }
    }

    // An open start or end reaches to the beginning or end of time (https://hl7.org/fhir/R4/datatypes.html#Period).
    private void AddPeriod(Period period)
    {
        if (period.Start is null && period.End is null)
        {
            return;
        }

        var low = DateTimeOffset.MinValue;
        var high = DateTimeOffset.MaxValue;
        if (period.Start is not null)
        {
            if (!FhirDateRange.TryParse(period.Start, out var start))
            {
                return;
            }

            low = start.Low;
        }

        if (period.End is not null)
        {
            if (!FhirDateRange.TryParse(period.End, out var end))
            {
                return;
            }

            high = end.High;
        }

        AddUnique(Indexes.Dates, new DateIndex(_param, low, high));
    }

    // https://hl7.org/fhir/R4/search.html#reference; Reference.identifier is matched by :identifier on token rows, not here.
    private void AddReference(Base value)
    {
        switch (value)
        {
            case ResourceReference { Reference: { } reference }:
                if (ReferenceText.ToIndex(_param, reference) is { } entry)
                {
                    AddUnique(Indexes.References, entry);
                }

                break;
            case Canonical or FhirUri or FhirUrl:
                if (((PrimitiveType)value).JsonValue is string { Length: > 0 } url)
                {
                    AddUnique(Indexes.References, new ReferenceIndex(_param, null, null, url));
                }

                break;
            default:
                break;
        }
    }

    // https://hl7.org/fhir/R4/search.html#quantity. A Range is skipped: one value cannot stand for it.
    private void AddQuantity(Base value)
    {
        switch (value)
        {
            case Quantity { Value: { } amount } quantity:
                AddUnique(Indexes.Quantities, new QuantityIndex(_param, amount, quantity.System, quantity.Code, quantity.Unit));
                break;
            case Money { Value: { } amount } money:
                var currency = money.CurrencyElement?.JsonValue as string;
                AddUnique(Indexes.Quantities, new QuantityIndex(_param, amount, currency is null ? null : CurrencySystem, currency, null));
                break;
            case SampledData { Origin: { Value: { } origin } originQuantity }:
                AddUnique(Indexes.Quantities, new QuantityIndex(_param, origin, originQuantity.System, originQuantity.Code, originQuantity.Unit));
                break;
            default:
                break;
        }
    }

    // https://hl7.org/fhir/R4/search.html#number
    private void AddNumber(Base value)
    {
        decimal? number = value switch
        {
            FhirDecimal d => d.Value,
            Integer i => i.Value,
            PositiveInt p => p.Value,
            UnsignedInt u => u.Value,
            Integer64 l => l.Value,
            _ => null,
        };
        if (number is { } n)
        {
            AddUnique(Indexes.Numbers, new NumberIndex(_param, n));
        }
    }

    // https://hl7.org/fhir/R4/search.html#uri
    private void AddUri(Base value)
    {
        if (value is FhirUri or FhirUrl or Canonical or Oid or Uuid && ((PrimitiveType)value).JsonValue is string { Length: > 0 } uri)
        {
            AddUnique(Indexes.Uris, new UriIndex(_param, uri));
        }
    }

    private static string? NormalizeOrNull(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var normalized = SearchText.Normalize(text);
        return normalized.Length == 0 ? null : normalized;
    }

    // A parameter has few entries, so a scan of its own entries beats allocating a set per write.
    private void AddUnique<T>(List<T> list, T entry)
        where T : struct, IEquatable<T>
    {
        for (var i = _firstOfParam; i < list.Count; i++)
        {
            if (list[i].Equals(entry))
            {
                return;
            }
        }

        list.Add(entry);
    }
}

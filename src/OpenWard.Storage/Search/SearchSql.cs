using OpenWard.Fhir.Search;

namespace OpenWard.Storage.Search;

/// <summary>
/// Translates a parsed FHIR search into SQL over the typed index tables
/// (https://hl7.org/fhir/R4/search.html). The most selective criterion drives:
/// <c>r.resource_key IN (SELECT resource_key FROM idx_... WHERE value ...)</c> walks the value index;
/// every other criterion is a correlated <c>EXISTS</c> probe on (resource_key, param) for each
/// candidate. Written as plain IN-lists, SQLite (which has no statistics unless ANALYZE has run)
/// materialised every list in full: "heart rates of this patient in May" read every heart rate.
/// </summary>
internal static class SearchSql
{
    /// <summary>Appends <c>FROM ... WHERE ...</c> for the query's matches (current, not deleted), aliasing the resource row <c>r</c>.</summary>
    /// <param name="driver">
    /// The criterion that drives (an index into the query's criteria), as <see cref="DriverCandidates"/>
    /// and the store's estimates chose it; null for the best guess by kind of criterion.
    /// </param>
    public static void AppendFromWhere(SqlBuilder b, SearchQuery query, int? driver = null)
    {
        // Within a compartment the patient index already narrows to one patient's rows.
        driver = query.PatientCompartment is null ? driver ?? ChooseDriver(query.Criteria) : -1;
        if (driver >= 0)
        {
            // A join from the driver's keys, not "r.resource_key IN (...)": given the IN form,
            // SQLite preferred walking every resource of the type and testing membership.
            b.Append("FROM (");
            AppendDriverKeys(b, query.ResourceType, query.Criteria[driver.Value], "d");
            b.Append(") d JOIN resource r ON r.resource_key = d.resource_key WHERE r.resource_type = ");
        }
        else
        {
            b.Append("FROM resource r WHERE r.resource_type = ");
        }

        b.Append(b.Bind(query.ResourceType)).Append(" AND r.is_deleted = 0");
        if (query.PatientCompartment is not null)
        {
            b.Append(" AND r.patient_id = ").Append(b.Bind(query.PatientCompartment));
        }

        for (var i = 0; i < query.Criteria.Count; i++)
        {
            if (i != driver)
            {
                b.Append(" AND ");
                AppendProbe(b, query.ResourceType, query.Criteria[i], "r");
            }
        }
    }

    /// <summary>
    /// <c>SELECT DISTINCT resource_key ...</c> of the resources matching <paramref name="criterion"/>,
    /// walking its value index (only for criteria whose <see cref="Selectivity"/> is above zero).
    /// </summary>
    private static void AppendDriverKeys(SqlBuilder b, string resourceType, SearchCriterion criterion, string alias)
    {
        switch (criterion)
        {
            case ParameterCriterion p:
                b.Append($"SELECT DISTINCT resource_key FROM {TableOf(p.Parameter.Type)} WHERE resource_type = {b.Bind(resourceType)} AND param = {b.Bind(p.Parameter.Code)}");
                AppendValues(b, p);
                break;
            case ChainCriterion chain:
                // subject:Patient.identifier=X: the Patients matching X, then the references to them.
                var inner = alias + "i";
                b.Append("SELECT DISTINCT ref.resource_key FROM idx_reference ref WHERE ref.resource_type = ").Append(b.Bind(resourceType))
                    .Append(" AND ref.param = ").Append(b.Bind(chain.Reference.Code))
                    .Append(" AND ref.target_type = ").Append(b.Bind(chain.TargetType))
                    .Append(" AND ref.target_id IN (SELECT t.id FROM (");
                AppendDriverKeys(b, chain.TargetType, chain.Inner, inner);
                b.Append($") {inner} JOIN resource t ON t.resource_key = {inner}.resource_key WHERE t.is_deleted = 0)");
                break;
            default:
                throw new NotSupportedException(criterion.GetType().Name);
        }
    }

    /// <summary>
    /// The criteria worth measuring before choosing a driver: those that can drive, best guess
    /// first, when the best guess is not already an identifier or id (which names one resource).
    /// Fewer than two means there is nothing to choose.
    /// </summary>
    public static IReadOnlyList<int> DriverCandidates(SearchQuery query)
    {
        if (query.PatientCompartment is not null)
        {
            return [];
        }

        var candidates = Enumerable.Range(0, query.Criteria.Count)
            .Where(i => Selectivity(query.Criteria[i]) > 0)
            .OrderByDescending(i => Selectivity(query.Criteria[i]))
            .Take(MaxMeasuredCandidates)
            .ToList();
        return candidates.Count > 1 && Selectivity(query.Criteria[candidates[0]]) < IdentifierSelectivity ? candidates : [];
    }

    /// <summary>How many candidates are measured at most (each estimate is one short index walk).</summary>
    private const int MaxMeasuredCandidates = 3;

    /// <summary>The guess for an identifier or id: one resource, nothing to measure.</summary>
    private const int IdentifierSelectivity = 100;

    /// <summary>
    /// <c>SELECT COUNT(*)</c> of at most <paramref name="limit"/> keys matching the criterion: how
    /// many rows it would drive, cut off where the answer no longer matters.
    /// </summary>
    public static void AppendDriverEstimate(SqlBuilder b, SearchQuery query, int criterion, int limit)
    {
        b.Append("SELECT COUNT(*) FROM (");
        AppendDriverKeys(b, query.ResourceType, query.Criteria[criterion], "e");
        b.Append(" LIMIT ").Append(b.Bind(limit)).Append(") e");
    }

    /// <summary>
    /// The candidate with the fewest estimated rows; ties go to the earlier (better-guessed) one.
    /// SQLite keeps no statistics, and a guess by kind goes wrong on real data: "in-progress
    /// encounters at this ward" guessed the ward (12,000 encounters over the years with 100,000
    /// patients) over the status (149 in progress).
    /// </summary>
    public static int PickDriver(IReadOnlyList<int> candidates, IReadOnlyList<long> estimates)
    {
        var best = 0;
        for (var i = 1; i < candidates.Count; i++)
        {
            if (estimates[i] < estimates[best])
            {
                best = i;
            }
        }

        return candidates[best];
    }

    /// <summary>The criterion expected to match fewest rows, or -1 when none should drive.</summary>
    private static int ChooseDriver(List<SearchCriterion> criteria)
    {
        var best = -1;
        var bestScore = 0;
        for (var i = 0; i < criteria.Count; i++)
        {
            var score = Selectivity(criteria[i]);
            if (score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        return best;
    }

    // A rough order of how few rows a criterion matches: identifiers and references name one
    // resource or patient; codes and dates name many. Negations cannot drive an index walk.
    private static int Selectivity(SearchCriterion criterion) => criterion switch
    {
        ParameterCriterion { Modifier: SearchModifier.Not or SearchModifier.Missing } => 0,
        ParameterCriterion { Parameter.Code: "_id" or "identifier" } => IdentifierSelectivity,
        ParameterCriterion { Parameter.Type: SearchParamType.Reference } p => p.Values.All(v => v.ReferenceId is not null) ? 90 : 60,
        ParameterCriterion { Parameter.Type: SearchParamType.String, Modifier: SearchModifier.Exact } => 70,
        ParameterCriterion { Parameter.Type: SearchParamType.String, Modifier: SearchModifier.Contains } => 0,
        ParameterCriterion { Parameter.Type: SearchParamType.String } => 50,
        ParameterCriterion { Parameter.Type: SearchParamType.Uri } => 60,
        ChainCriterion chain => Selectivity(chain.Inner) > 0 ? 45 : 0,
        ParameterCriterion { Parameter.Type: SearchParamType.Token, Modifier: SearchModifier.Text } => 10,
        ParameterCriterion { Parameter.Type: SearchParamType.Token } => 35,
        HasCriterion => 0, // probed per row: reverse references are walked from the row's id
        ParameterCriterion { Parameter.Type: SearchParamType.Date } => 20,
        _ => 15,
    };

    public static void AppendOrderBy(SqlBuilder b, SearchQuery query)
    {
        b.Append(" ORDER BY ");
        foreach (var key in query.Sort)
        {
            var expression = SortExpression(b, key);
            var direction = key.Descending ? " DESC" : " ASC";
            // NULLS LAST on both engines, whatever their default.
            b.Append("(").Append(expression).Append(") IS NULL, ").Append(expression).Append(direction).Append(", ");
        }

        b.Append("r.resource_key");
    }

    private static string SortExpression(SqlBuilder b, SortKey key)
    {
        var p = key.Parameter;
        if (p.Code == "_lastUpdated")
        {
            return "r.last_updated";
        }

        if (p.Code == "_id")
        {
            return "r.id";
        }

        var aggregate = key.Descending ? "MAX" : "MIN";
        var (table, column) = p.Type switch
        {
            SearchParamType.String => ("idx_string", "value_normalized"),
            SearchParamType.Date => ("idx_date", key.Descending ? "high" : "low"),
            SearchParamType.Token => ("idx_token", "code"),
            SearchParamType.Number => ("idx_number", "value"),
            SearchParamType.Quantity => ("idx_quantity", "value"),
            SearchParamType.Reference => ("idx_reference", "target_id"),
            SearchParamType.Uri => ("idx_uri", "value"),
            _ => throw new NotSupportedException($"Sorting by {p.Code} is not supported."),
        };
        return $"(SELECT {aggregate}(s.{column}) FROM {table} s WHERE s.resource_key = r.resource_key AND s.param = {b.Bind(p.Code)})";
    }

    /// <summary>A boolean SQL condition probing the resource row aliased <paramref name="alias"/> (correlated on its key).</summary>
    private static void AppendProbe(SqlBuilder b, string resourceType, SearchCriterion criterion, string alias)
    {
        switch (criterion)
        {
            case ParameterCriterion p:
                var present = p.Modifier == SearchModifier.Missing ? p.Missing != true : p.Modifier != SearchModifier.Not;
                b.Append(present ? "EXISTS" : "NOT EXISTS")
                    .Append($" (SELECT 1 FROM {TableOf(p.Parameter.Type)} WHERE resource_key = {alias}.resource_key AND param = {b.Bind(p.Parameter.Code)}");
                AppendValues(b, p);
                b.Append(')');
                break;
            case ChainCriterion chain:
                // subject:Patient.identifier=X: does this row's reference point at a Patient matching X?
                b.Append("EXISTS (SELECT 1 FROM idx_reference ref JOIN resource t ON t.resource_type = ref.target_type AND t.id = ref.target_id WHERE ref.resource_key = ")
                    .Append(alias).Append(".resource_key AND ref.param = ").Append(b.Bind(chain.Reference.Code))
                    .Append(" AND ref.target_type = ").Append(b.Bind(chain.TargetType))
                    .Append(" AND t.is_deleted = 0 AND ");
                AppendProbe(b, chain.TargetType, chain.Inner, "t");
                b.Append(')');
                break;
            case HasCriterion has:
                // _has:Observation:patient:code=X: does some Observation that points at this row match X?
                b.Append("EXISTS (SELECT 1 FROM idx_reference ref JOIN resource s ON s.resource_key = ref.resource_key WHERE ref.target_id = ")
                    .Append(alias).Append(".id AND ref.target_type = ").Append(b.Bind(resourceType))
                    .Append(" AND ref.resource_type = ").Append(b.Bind(has.SourceType)).Append(" AND ref.param = ").Append(b.Bind(has.Reference.Code))
                    .Append(" AND s.is_deleted = 0 AND ");
                AppendProbe(b, has.SourceType, has.Inner, "s");
                b.Append(')');
                break;
            default:
                throw new NotSupportedException(criterion.GetType().Name);
        }
    }

    /// <summary><c> AND ((value) OR (value)...)</c>; nothing for <c>:missing</c>, which tests presence only.</summary>
    private static void AppendValues(SqlBuilder b, ParameterCriterion p)
    {
        if (p.Modifier == SearchModifier.Missing)
        {
            return;
        }

        b.Append(" AND (");
        for (var i = 0; i < p.Values.Count; i++)
        {
            b.Append(i > 0 ? " OR (" : "(");
            AppendValue(b, p, p.Values[i]);
            b.Append(')');
        }

        b.Append(')');
    }

    private static string TableOf(SearchParamType type) => type switch
    {
        SearchParamType.Token => "idx_token",
        SearchParamType.String => "idx_string",
        SearchParamType.Date => "idx_date",
        SearchParamType.Reference => "idx_reference",
        SearchParamType.Quantity => "idx_quantity",
        SearchParamType.Number => "idx_number",
        SearchParamType.Uri => "idx_uri",
        _ => throw new NotSupportedException($"Search parameters of type {type} are not indexed."),
    };

    private static void AppendValue(SqlBuilder b, ParameterCriterion p, SearchValue v)
    {
        switch (p.Parameter.Type)
        {
            case SearchParamType.Token:
                AppendToken(b, p.Modifier, v);
                break;
            case SearchParamType.String:
                AppendString(b, p.Modifier, v);
                break;
            case SearchParamType.Date:
                AppendDate(b, v);
                break;
            case SearchParamType.Reference:
                AppendReference(b, p, v);
                break;
            case SearchParamType.Quantity:
                AppendNumber(b, v);
                if (!string.IsNullOrEmpty(v.System))
                {
                    b.Append(" AND system = ").Append(b.Bind(v.System));
                }

                if (!string.IsNullOrEmpty(v.Code))
                {
                    b.Append(" AND code = ").Append(b.Bind(v.Code));
                }

                break;
            case SearchParamType.Number:
                AppendNumber(b, v);
                break;
            case SearchParamType.Uri:
                b.Append("value = ").Append(b.Bind(v.Url ?? v.Raw));
                break;
            default:
                throw new NotSupportedException(p.Parameter.Type.ToString());
        }
    }

    private static void AppendToken(SqlBuilder b, SearchModifier modifier, SearchValue v)
    {
        if (modifier == SearchModifier.Text)
        {
            AppendPrefix(b, "text", v.Text ?? v.Raw);
            return;
        }

        if (modifier == SearchModifier.OfType)
        {
            b.Append("type_system = ").Append(b.Bind(v.TypeSystem)).Append(" AND type_code = ").Append(b.Bind(v.TypeCode))
                .Append(" AND code = ").Append(b.Bind(v.Code));
            return;
        }

        var clauses = new List<string>();
        if (v.Code is not null)
        {
            clauses.Add("code = " + b.Bind(v.Code));
        }

        if (v.System is { Length: 0 })
        {
            clauses.Add("system IS NULL");
        }
        else if (v.System is not null)
        {
            clauses.Add("system = " + b.Bind(v.System));
        }

        b.Append(clauses.Count == 0 ? "1 = 1" : string.Join(" AND ", clauses));
    }

    private static void AppendString(SqlBuilder b, SearchModifier modifier, SearchValue v)
    {
        switch (modifier)
        {
            case SearchModifier.Exact:
                b.Append("value_exact = ").Append(b.Bind(v.Text ?? v.Raw));
                break;
            case SearchModifier.Contains:
                b.Append("value_normalized LIKE ").Append(b.Bind("%" + EscapeLike(v.Text ?? v.Raw) + "%")).Append(" ESCAPE '\\'");
                break;
            default:
                AppendPrefix(b, "value_normalized", v.Text ?? v.Raw);
                break;
        }
    }

    /// <summary>Starts-with as a byte-order range, so the index on the column is used.</summary>
    private static void AppendPrefix(SqlBuilder b, string column, string prefix)
    {
        b.Append(column).Append(" >= ").Append(b.Bind(prefix)).Append(" AND ").Append(column).Append(" < ").Append(b.Bind(prefix + "\U0010FFFF"));
    }

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    // https://hl7.org/fhir/R4/search.html#prefix: the search value and the indexed value are both ranges.
    private static void AppendDate(SqlBuilder b, SearchValue v)
    {
        var low = b.Bind((v.Low ?? DateTimeOffset.MinValue).UtcTicks);
        var high = b.Bind((v.High ?? DateTimeOffset.MaxValue).UtcTicks);
        b.Append(v.Prefix switch
        {
            SearchPrefix.Eq => $"low >= {low} AND high <= {high}",
            SearchPrefix.Ne => $"NOT (low >= {low} AND high <= {high})",
            SearchPrefix.Gt => $"high > {high}",
            SearchPrefix.Lt => $"low < {low}",
            SearchPrefix.Ge => $"high >= {low}",
            SearchPrefix.Le => $"low <= {high}",
            SearchPrefix.Sa => $"low > {high}",
            SearchPrefix.Eb => $"high < {low}",
            SearchPrefix.Ap => $"low <= {high} AND high >= {low}",
            _ => throw new NotSupportedException(v.Prefix.ToString()),
        });
    }

    // A number is a range by its precision: 100 means [99.5, 100.5) (https://hl7.org/fhir/R4/search.html#number).
    private static void AppendNumber(SqlBuilder b, SearchValue v)
    {
        var value = v.Number ?? 0m;
        var scale = (decimal.GetBits(value)[3] >> 16) & 0xFF;
        var half = 0.5m / (decimal)Math.Pow(10, scale);
        var exact = b.Bind((double)value);
        switch (v.Prefix)
        {
            case SearchPrefix.Eq:
                b.Append($"value >= {b.Bind((double)(value - half))} AND value < {b.Bind((double)(value + half))}");
                break;
            case SearchPrefix.Ne:
                b.Append($"NOT (value >= {b.Bind((double)(value - half))} AND value < {b.Bind((double)(value + half))})");
                break;
            case SearchPrefix.Gt or SearchPrefix.Sa:
                b.Append($"value > {exact}");
                break;
            case SearchPrefix.Lt or SearchPrefix.Eb:
                b.Append($"value < {exact}");
                break;
            case SearchPrefix.Ge:
                b.Append($"value >= {exact}");
                break;
            case SearchPrefix.Le:
                b.Append($"value <= {exact}");
                break;
            case SearchPrefix.Ap:
                // "approximately": within 10% of the value, the spec's suggested default.
                var margin = Math.Abs(value) * 0.1m;
                b.Append($"value >= {b.Bind((double)(value - margin))} AND value <= {b.Bind((double)(value + margin))}");
                break;
            default:
                throw new NotSupportedException(v.Prefix.ToString());
        }
    }

    private static void AppendReference(SqlBuilder b, ParameterCriterion p, SearchValue v)
    {
        var type = v.ReferenceType ?? p.ReferenceType;
        if (v.ReferenceId is not null)
        {
            b.Append("target_id = ").Append(b.Bind(v.ReferenceId));
            if (type is not null)
            {
                b.Append(" AND target_type = ").Append(b.Bind(type));
            }

            if (v.Url is not null)
            {
                // An absolute URL may name a resource here (stored as Type/id) or elsewhere (stored as url).
                b.Append(" OR url = ").Append(b.Bind(v.Url));
            }

            return;
        }

        b.Append("url = ").Append(b.Bind(v.Url ?? v.Raw));
    }
}

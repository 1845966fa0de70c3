using System.Data.Common;
using System.Text;

namespace OpenWard.Storage.Search;

/// <summary>SQL text plus its parameters; values are always bound, never spliced into the text.</summary>
internal sealed class SqlBuilder
{
    private readonly List<object?> _values = [];

    public StringBuilder Sql { get; } = new();

    /// <summary>Adds a bound value and returns its placeholder.</summary>
    public string Bind(object? value)
    {
        _values.Add(value);
        return "@p" + (_values.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public SqlBuilder Append(string text)
    {
        Sql.Append(text);
        return this;
    }

    public SqlBuilder Append(char c)
    {
        Sql.Append(c);
        return this;
    }

    public void ApplyTo(DbCommand command)
    {
        command.CommandText = Sql.ToString();
        for (var i = 0; i < _values.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameter.Value = _values[i] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }
}

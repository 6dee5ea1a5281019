using System.Globalization;
using System.Text;

namespace Lb.Actors.Admin;

/// <summary>'show table [NAME [data.X op V] [key K]]' and 'clear table NAME [...]', over <see cref="IStickTableAdmin"/>.</summary>
public static class TableCommands
{
    private static IReadOnlyList<StickTableInfo> Tables(CliContext ctx) =>
        StickTableAdmin.Current?.Tables() ?? StickTableAdmin.Declared(ctx.Node);

    public static string Show(CliContext ctx, string[] words)
    {
        var tables = Tables(ctx);
        var sb = new StringBuilder();
        if (words.Length <= 2)
        {
            foreach (var t in tables) Head(sb, t);
            return sb.ToString();
        }
        var table = tables.FirstOrDefault(t => t.Name == words[2]);
        if (table is null) return "No such table\n";
        if (ParseFilter(words, 3, out var filter) is { } error) return error;
        Head(sb, table);
        if (StickTableAdmin.Current is { } store)
            foreach (var line in store.Entries(table.Name, filter)) sb.Append(line).Append('\n');
        return sb.ToString();
    }

    public static Task<string> Clear(CliContext ctx, string[] words)
    {
        if (words.Length <= 2) return Task.FromResult("Optional table name expected\n");
        var table = Tables(ctx).FirstOrDefault(t => t.Name == words[2]);
        if (table is null) return Task.FromResult("No such table\n");
        if (ParseFilter(words, 3, out var filter) is { } error) return Task.FromResult(error);
        StickTableAdmin.Current?.Clear(table.Name, filter);
        return Task.FromResult("");
    }

    private static void Head(StringBuilder sb, StickTableInfo t) =>
        sb.Append("# table: ").Append(t.Name).Append(", type: ").Append(t.Type).Append(", size:").Append(t.Size).Append(", used:").Append(t.Used).Append('\n');

    private static readonly string[] Operators = ["eq", "ne", "le", "ge", "lt", "gt"];

    /// <summary>'data.NAME OP VALUE' and 'key K', with haproxy's complaints.</summary>
    public static string? ParseFilter(string[] words, int at, out TableFilter filter)
    {
        string? data = null, op = null, key = null;
        long value = 0;
        for (int i = at; i < words.Length; i++)
        {
            if (words[i] == "key")
            {
                if (i + 1 >= words.Length) { filter = new TableFilter(null, null, 0, null); return "Key value expected\n"; }
                key = words[++i];
            }
            else if (words[i].StartsWith("data.", StringComparison.Ordinal))
            {
                data = words[i][5..];
                if (i + 1 >= words.Length || !Operators.Contains(words[i + 1]))
                {
                    filter = new TableFilter(null, null, 0, null);
                    return "Require an operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n";
                }
                op = words[++i];
                if (i + 1 >= words.Length || !long.TryParse(words[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                {
                    filter = new TableFilter(null, null, 0, null);
                    return "Require a valid integer value to compare against\n";
                }
                i++;
            }
            else
            {
                filter = new TableFilter(null, null, 0, null);
                return "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n";
            }
        }
        filter = new TableFilter(data, op, value, key);
        return null;
    }
}

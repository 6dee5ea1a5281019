using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Lb.Actors.Persistence;

namespace Lb.Actors.Admin;

/// <summary>A filter of 'show table' / 'clear table': 'data.TYPE OP VALUE' and/or 'key K'.</summary>
public sealed record TableFilter(StickDataType? Data, string? Operator, long Value, string? Key);

/// <summary>
/// 'show table [NAME [data.TYPE OP V] [key K]]' and 'clear table NAME [...]' over the node's stick
/// tables (Persistence/StickTableRegistry), with haproxy's lines and messages: a header
/// "# table: NAME, type: T, size:S, used:N", then "0xID: key=K use=0 exp=MS server_id=N
/// TYPE=V ... server_key=NAME" per entry.
/// </summary>
public static class TableCommands
{
    private static IEnumerable<IStickTable> Tables(CliContext ctx) =>
        ctx.Node.Backends.StickTables.All.OrderBy(t => t.Definition.Name, StringComparer.Ordinal);

    public static string Show(CliContext ctx, string[] words)
    {
        var sb = new StringBuilder();
        if (words.Length <= 2)
        {
            foreach (var t in Tables(ctx)) Head(sb, t);
            return sb.ToString();
        }
        var table = ctx.Node.Backends.StickTables.Find(words[2]);
        if (table is null) return "No such table\n";
        if (ParseFilter(words, 3, out var filter) is { } error) return error;
        var entries = Matching(table, filter).ToList();
        if (filter.Key != null && entries.Count == 0) return "";
        Head(sb, table);
        long now = Environment.TickCount64;
        foreach (var e in entries) Line(sb, ctx, table, e, now);
        return sb.ToString();
    }

    public static Task<string> Clear(CliContext ctx, string[] words)
    {
        if (words.Length <= 2) return Task.FromResult("Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key>\n");
        var table = ctx.Node.Backends.StickTables.Find(words[2]);
        if (table is null) return Task.FromResult("No such table\n");
        if (ParseFilter(words, 3, out var filter) is { } error) return Task.FromResult(error);
        if (filter.Key is null && filter.Data is null) table.Clear();
        else foreach (var e in Matching(table, filter).ToList()) table.Remove(e.Key);
        return Task.FromResult("");
    }

    private static IEnumerable<StickEntry> Matching(IStickTable table, TableFilter filter)
    {
        long now = Environment.TickCount64;
        byte[]? key = null;
        if (filter.Key is { } k)
        {
            var buf = new byte[Math.Max(64, table.Definition.KeySize)];
            int len = StickKeys.FromText(Encoding.Latin1.GetBytes(k), table.Definition, buf);
            if (len < 0) yield break;
            key = buf[..len];
        }
        foreach (var e in table.Snapshot())
        {
            if (key != null && !e.Key.SequenceEqual(key)) continue;
            if (filter.Data is { } type && !Compare(e.Get(type, now), filter.Operator!, filter.Value)) continue;
            yield return e;
        }
    }

    private static bool Compare(long v, string op, long value) => op switch
    {
        "eq" => v == value,
        "ne" => v != value,
        "le" => v <= value,
        "ge" => v >= value,
        "lt" => v < value,
        _ => v > value,
    };

    private static void Head(StringBuilder sb, IStickTable t) =>
        sb.Append("# table: ").Append(t.Definition.Name).Append(", type: ").Append(t.Definition.TypeName)
          .Append(", size:").Append(t.Definition.Size).Append(", used:").Append(t.Count).Append('\n');

    private static void Line(StringBuilder sb, CliContext ctx, IStickTable t, StickEntry e, long now)
    {
        var def = t.Definition;
        sb.Append("0x").Append(RuntimeHelpers.GetHashCode(e).ToString("x", CultureInfo.InvariantCulture))
          .Append(": key=").Append(StickKeys.Format(e.Key, def)).Append(" use=0 exp=")
          .Append(def.ExpireMs is null ? 0 : Math.Max(0, e.ExpireMs - now));
        if (e.ServerId != 0) sb.Append(" server_id=").Append(e.ServerId);
        foreach (var type in def.Data.Stored)
        {
            if (type == StickDataType.ServerId) continue;
            sb.Append(' ').Append(StickDataTypes.Name(type));
            if (StickDataTypes.IsRate(type)) sb.Append('(').Append(def.Data.PeriodMs(type)).Append(')');
            sb.Append('=').Append(e.Get(type, now));
        }
        if (e.ServerId != 0 && ctx.Node.Backends.Find(def.Name)?.Snapshot.All.FirstOrDefault(s => s.Id == e.ServerId) is { } server)
            sb.Append(" server_key=").Append(server.Name);
        sb.Append('\n');
    }

    private static readonly string[] Operators = ["eq", "ne", "le", "ge", "lt", "gt"];

    /// <summary>'data.TYPE OP VALUE' and 'key K', with haproxy's complaints.</summary>
    public static string? ParseFilter(string[] words, int at, out TableFilter filter)
    {
        StickDataType? data = null;
        string? op = null, key = null;
        long value = 0;
        filter = new TableFilter(null, null, 0, null);
        for (int i = at; i < words.Length; i++)
        {
            if (words[i] == "key")
            {
                if (i + 1 >= words.Length) return "Key value expected\n";
                key = words[++i];
            }
            else if (words[i].StartsWith("data.", StringComparison.Ordinal))
            {
                if (!StickDataTypes.TryParse(words[i][5..], out var type)) return "Filter entry #1: Unknown data type\n";
                data = type;
                if (i + 1 >= words.Length || !Operators.Contains(words[i + 1]))
                    return "Filter entry #1: Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n";
                op = words[++i];
                if (i + 1 >= words.Length || !long.TryParse(words[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
                    return "Filter entry #1: Require a valid integer value to compare against\n";
                i++;
            }
            else return "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n";
        }
        filter = new TableFilter(data, op, value, key);
        return null;
    }
}

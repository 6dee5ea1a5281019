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

    /// <summary>
    /// 'set table NAME key K [data.TYPE V]*': creates the entry or refreshes its expiry, then sets
    /// each value (a rate restarts with V events now). haproxy checks the arguments as it applies
    /// them; Lb checks them all first, so a bad one changes nothing.
    /// </summary>
    public static Task<string> Set(CliContext ctx, string[] words) => Task.FromResult(SetEntry(ctx, words));

    private static string SetEntry(CliContext ctx, string[] words)
    {
        if (words.Length <= 2) return "Required arguments: <table> key <key> [data.<store_data_type> <value>]*\n";
        var table = ctx.Node.Backends.StickTables.Find(words[2]);
        if (table is null) return "No such table\n";
        if (words.Length <= 3) return "";
        if (words[3] != "key") return "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n";
        if (words.Length <= 4) return "Key value expected\n";
        var def = table.Definition;
        var buf = new byte[Math.Max(64, def.KeySize)];
        int len = StickKeys.FromText(Encoding.Latin1.GetBytes(words[4]), def, buf);
        if (len < 0) return $"Lb: '{words[4]}' is not a valid key for a table of type {def.TypeName}; nothing was changed.\n";
        var values = new List<(StickDataType Type, long Value)>();
        for (int i = 5; i < words.Length; i += 2)
        {
            if (!words[i].StartsWith("data.", StringComparison.Ordinal)) return "\"data.<type>\" followed by a value expected\n";
            if (!StickDataTypes.TryParse(words[i][5..], out var type)) return "Unknown data type\n";
            if (type == StickDataType.ServerId ? !def.StoresServer : !def.Data.Stored.Contains(type)) return "Data type not stored in this table\n";
            if (i + 1 >= words.Length || !long.TryParse(words[i + 1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
                return "Require a valid integer value to store\n";
            values.Add((type, StickDataTypes.IsStoredAs32Bits(type) ? (long)(uint)v : v));
        }
        var entry = table.GetOrCreate(buf.AsSpan(0, len));
        if (entry is null) return "Unable to allocate a new entry\n";
        table.Touch(entry);
        long now = Environment.TickCount64;
        foreach (var (type, value) in values) entry.Assign(type, value, now);
        return "";
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
        // haproxy walks its key tree: entries in the order of their key bytes.
        var entries = table.Snapshot().ToArray();
        Array.Sort(entries, static (a, b) => a.Key.SequenceCompareTo(b.Key));
        foreach (var e in entries)
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
        if (def.StoresServer) sb.Append(" server_id=").Append(e.ServerId);
        bool keyDone = !def.StoresServer;
        foreach (var type in DisplayOrder(def))
        {
            if (!keyDone && StickDataTypes.HaproxyRank(type) > ServerKeyRank) { ServerKey(sb, ctx, def, e); keyDone = true; }
            sb.Append(' ').Append(StickDataTypes.Name(type));
            if (StickDataTypes.IsRate(type)) sb.Append('(').Append(def.Data.PeriodMs(type)).Append(')');
            sb.Append('=');
            long v = e.Get(type, now);
            if (type is StickDataType.BytesInCnt or StickDataType.BytesOutCnt) sb.Append((ulong)v); else sb.Append(v);
        }
        if (!keyDone) ServerKey(sb, ctx, def, e);
        sb.Append('\n');
    }

    // haproxy numbers server_key between gpc1_rate and http_fail_cnt.
    private static readonly int ServerKeyRank = StickDataTypes.HaproxyRank(StickDataType.Gpc1Rate);

    private static void ServerKey(StringBuilder sb, CliContext ctx, StickTableDefinition def, StickEntry e)
    {
        var server = e.ServerId == 0 || !e.ServerKeyStored ? null : ctx.Node.Backends.Find(def.Name)?.Snapshot.All.FirstOrDefault(s => s.Id == e.ServerId);
        sb.Append(" server_key=").Append(server?.Name ?? "-");
    }

    private static IEnumerable<StickDataType> DisplayOrder(StickTableDefinition def) =>
        def.Data.Stored.Where(t => t != StickDataType.ServerId).OrderBy(StickDataTypes.HaproxyRank);

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

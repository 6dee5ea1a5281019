using System.Text;

namespace Lb.Actors.Stats;

/// <summary>The three 'show stat' encodings of the same rows: CSV, typed and JSON (haproxy 2.6's).</summary>
public static class StatsFormats
{
    /// <summary>The CSV: header line, one line per row, and the final empty line haproxy prints.</summary>
    public static string Csv(IEnumerable<StatRow> rows)
    {
        var sb = new StringBuilder(StatFields.CsvHeader).Append('\n');
        foreach (var r in rows) CsvLine(sb, r);
        return sb.Append('\n').ToString();
    }

    public static void CsvLine(StringBuilder sb, StatRow r)
    {
        foreach (var v in r.Values)
        {
            if (!string.IsNullOrEmpty(v)) AppendCsvCell(sb, v);
            sb.Append(',');
        }
        sb.Append('\n');
    }

    // A cell is quoted only when it holds a comma or a quote; quotes inside are doubled.
    private static void AppendCsvCell(StringBuilder sb, string v)
    {
        if (v.AsSpan().IndexOfAny(',', '"') < 0) { sb.Append(v); return; }
        sb.Append('"').Append(v.Replace("\"", "\"\"")).Append('"');
    }

    /// <summary>'show stat typed': one "F.iid.sid.pos.name.1:tags:type:value" line per filled cell.</summary>
    public static string Typed(IEnumerable<StatRow> rows)
    {
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            char t = r.Type switch { StatObject.Frontend => 'F', StatObject.Backend => 'B', StatObject.Listener => 'L', _ => 'S' };
            for (int i = 0; i < r.Values.Length; i++)
            {
                if (i == StatFields.Separator || string.IsNullOrEmpty(r.Values[i])) continue;
                var tags = StatFields.All[i].TagsFor(r.Type);
                if (tags is null) continue;
                sb.Append(t).Append('.').Append(r.ProxyId).Append('.').Append(r.ServerId).Append('.')
                    .Append(StatFields.Position(i)).Append('.').Append(StatFields.All[i].Name).Append(".1:")
                    .Append(tags).Append(':').Append(r.Values[i]).Append('\n');
            }
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>'show stat json' and ';json': an array of rows, each an array of field objects.</summary>
    public static string Json(IEnumerable<StatRow> rows)
    {
        var sb = new StringBuilder("[");
        bool firstRow = true;
        foreach (var r in rows)
        {
            if (!firstRow) sb.Append(',');
            firstRow = false;
            sb.Append('[');
            bool first = true;
            var objType = r.Type switch { StatObject.Frontend => "Frontend", StatObject.Backend => "Backend", StatObject.Listener => "Listener", _ => "Server" };
            for (int i = 0; i < r.Values.Length; i++)
            {
                if (i == StatFields.Separator || string.IsNullOrEmpty(r.Values[i])) continue;
                var tags = StatFields.All[i].TagsFor(r.Type);
                if (tags is null) continue;
                if (!first) sb.Append(',');
                first = false;
                sb.Append("{\"objType\":\"").Append(objType).Append("\",\"proxyId\":").Append(r.ProxyId)
                    .Append(",\"id\":").Append(r.ServerId)
                    .Append(",\"field\":{\"pos\":").Append(StatFields.Position(i)).Append(",\"name\":\"").Append(StatFields.All[i].Name).Append("\"}")
                    .Append(",\"processNum\":1,\"tags\":");
                AppendTags(sb, tags);
                sb.Append(",\"value\":");
                AppendValue(sb, tags, r.Values[i]!);
                sb.Append('}');
            }
            sb.Append(']');
        }
        return sb.Append("]\n").ToString();
    }

    /// <summary>{"origin":...,"nature":...,"scope":...} from the three tag letters.</summary>
    public static void AppendTags(StringBuilder sb, string tags)
    {
        sb.Append("{\"origin\":\"").Append(tags[0] switch
        {
            'M' => "Metric", 'S' => "Status", 'K' => "Key", 'C' => "Config", 'P' => "Product", _ => "Unknown",
        }).Append("\",\"nature\":\"").Append(tags[1] switch
        {
            'A' => "Age", 'a' => "Avg", 'C' => "Counter", 'D' => "Duration", 'G' => "Gauge", 'L' => "Limit",
            'M' => "Max", 'N' => "Name", 'O' => "Output", 'R' => "Rate", 'T' => "Time", _ => "Unknown",
        }).Append("\",\"scope\":\"").Append(tags[2] switch
        {
            'C' => "Cluster", 'P' => "Process", 'S' => "Service", 's' => "System", _ => "Unknown",
        }).Append("\"}");
    }

    /// <summary>{"type":"u32","value":N} or {"type":"str","value":"..."}.</summary>
    public static void AppendValue(StringBuilder sb, string tags, string value)
    {
        var type = tags[(tags.IndexOf(':') + 1)..];
        sb.Append("{\"type\":\"").Append(type).Append("\",\"value\":");
        if (type == "str") AppendJsonString(sb, value);
        else sb.Append(value);
        sb.Append('}');
    }

    public static void AppendJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (ch < 0x20) sb.Append("\\u").Append(((int)ch).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else sb.Append(ch);
                    break;
            }
        }
        sb.Append('"');
    }
}

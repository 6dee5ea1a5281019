namespace Lb.Actors.Stats;

/// <summary>What a stats-page URI asks for, after the 'stats uri' prefix: ';csv', ';json',
/// ';norefresh', ';up', ';no-maint', ';st=STATUS' and '?scope=NAME'.</summary>
public sealed record StatsRequest(StatsFormat Format, bool NoRefresh, bool UpOnly, bool NoMaint, string? ActionStatus, string? Scope)
{
    public static StatsRequest Parse(string rest)
    {
        var format = StatsFormat.Html;
        bool noRefresh = false, up = false, noMaint = false;
        string? st = null, scope = null;
        string path = rest, query = "";
        int q = rest.IndexOf('?');
        if (q >= 0) { path = rest[..q]; query = rest[(q + 1)..]; }
        foreach (var part in path.Split(';', StringSplitOptions.RemoveEmptyEntries).Concat(query.Split(';', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (part == "csv") format = StatsFormat.Csv;
            else if (part == "json") format = StatsFormat.Json;
            else if (part == "typed") format = StatsFormat.Typed;
            else if (part == "norefresh") noRefresh = true;
            else if (part == "up") up = true;
            else if (part == "no-maint") noMaint = true;
            else if (part.StartsWith("st=", StringComparison.Ordinal)) st = part[3..];
        }
        foreach (var kv in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = kv.IndexOf('=');
            if (eq > 0 && kv[..eq] == "scope")
            {
                var v = Uri.UnescapeDataString(kv[(eq + 1)..].Replace('+', ' '));
                int semi = v.IndexOf(';');
                scope = semi >= 0 ? v[..semi] : v;
            }
        }
        return new StatsRequest(format, noRefresh, up, noMaint, st, string.IsNullOrEmpty(scope) ? null : scope);
    }
}

public enum StatsFormat { Html, Csv, Json, Typed }

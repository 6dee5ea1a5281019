using System.Text;

namespace Lb.Actors.Stats.Prometheus;

/// <summary>What a scrape asks for: haproxy's exporter scopes ('scope=' repeated) and 'no-maint'.</summary>
[Flags]
public enum PromScope
{
    None = 0,
    Global = 1,
    Frontend = 2,
    Listener = 4,
    Backend = 8,
    Server = 16,
    StickTable = 32,
    /// <summary>Lb's own metrics (lb_*): not a haproxy scope; 'scope=lb' selects them alone.</summary>
    Lb = 64,
    All = Global | Frontend | Listener | Backend | Server | StickTable | Lb,
}

/// <summary>
/// The exporter's query string, parsed as haproxy 2.6 does: '&amp;'-separated parameters up to a
/// '#', URL-decoded ('+' is a space); 'scope=NAME' adds a scope (the first one clears the default
/// of all scopes; an empty value clears every scope, a value starting with '*' selects all),
/// 'no-maint' (with or without a value) leaves out servers in maintenance. A scope without a
/// value or with an unknown name, a second '=' in a value or a bad %-escape is a bad request.
/// </summary>
public readonly record struct PromQuery(PromScope Scopes, bool NoMaint)
{
    public static readonly PromQuery Default = new(PromScope.All, false);

    /// <summary>The query of a request target (what follows the first '?'); null when it is malformed.</summary>
    public static PromQuery? Parse(ReadOnlySpan<byte> pathAndQuery)
    {
        int q = pathAndQuery.IndexOf((byte)'?');
        if (q < 0) return Default;
        var rest = pathAndQuery[(q + 1)..];
        var scopes = PromScope.None;
        bool scoped = false, noMaint = false;
        while (!rest.IsEmpty && rest[0] != (byte)'#')
        {
            int end = rest.IndexOfAny((byte)'&', (byte)'#');
            var param = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlySpan<byte>.Empty : rest[end] == (byte)'&' ? rest[(end + 1)..] : rest[end..];
            int eq = param.IndexOf((byte)'=');
            var rawKey = eq < 0 ? param : param[..eq];
            string? value = null;
            if (eq >= 0)
            {
                var rawValue = param[(eq + 1)..];
                if (rawValue.IndexOf((byte)'=') >= 0) return null;
                value = Decode(rawValue);
                if (value is null) return null;
            }
            var key = Decode(rawKey);
            if (key is null) return null;
            if (key == "scope")
            {
                scoped = true;
                if (value is null) return null;
                if (value.Length == 0) scopes = PromScope.None;
                else if (value[0] == '*') scopes = PromScope.All;
                else
                {
                    var s = ScopeOf(value);
                    if (s == PromScope.None) return null;
                    scopes |= s;
                }
            }
            else if (key == "no-maint") noMaint = true;
        }
        return new PromQuery(scoped ? scopes : PromScope.All, noMaint);
    }

    private static PromScope ScopeOf(string name) => name switch
    {
        "global" => PromScope.Global,
        "frontend" => PromScope.Frontend,
        "listener" => PromScope.Listener,
        "backend" => PromScope.Backend,
        "server" => PromScope.Server,
        "sticktable" => PromScope.StickTable,
        "lb" => PromScope.Lb,
        _ => PromScope.None,
    };

    /// <summary>%XX and '+' decoded (Latin-1); null on a truncated or non-hex escape.</summary>
    private static string? Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOfAny((byte)'%', (byte)'+') < 0) return Encoding.Latin1.GetString(raw);
        var sb = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            byte c = raw[i];
            if (c == (byte)'+') sb.Append(' ');
            else if (c != (byte)'%') sb.Append((char)c);
            else
            {
                if (i + 2 >= raw.Length || Hex(raw[i + 1]) is not int hi || Hex(raw[i + 2]) is not int lo) return null;
                sb.Append((char)(hi * 16 + lo));
                i += 2;
            }
        }
        return sb.ToString();
    }

    private static int? Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => null,
    };
}

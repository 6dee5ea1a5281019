using System.Text;
using Lb.Actors.Admin;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// The runtime API's acl and map commands over the store, with haproxy 2.6's replies and checks
/// (checked on haproxy 2.6.12): no level restriction; 'show' and 'del' need the reference to be
/// of the command's kind, 'get', 'add map' and 'set map' take any; 'add acl' refuses a reference
/// with map values. Versions: 'prepare' opens the next one, 'add @N' fills it (requests still
/// match the current one), 'commit @N' makes it current and drops the older entries; 'del' and
/// 'set' act on every version, 'show'/'clear' on the current one unless given '@N'.
/// </summary>
public sealed partial class PatternStore : IPatternAdmin
{
    private static string Unknown(bool map) => map ? "Unknown map identifier. Please use #<id> or <file>.\n" : "Unknown ACL identifier. Please use #<id> or <file>.\n";

    private static string? Arg(string[] a, int i) => i < a.Length && a[i].Length > 0 ? a[i] : null;

    /// <summary>Drops a leading "@VER" (haproxy reads it with str2uic: "@x" is 0); null without one.</summary>
    private static string[] Version(string[] args, out uint? version)
    {
        version = null;
        if (args.Length == 0 || !args[0].StartsWith('@')) return args;
        var digits = new string(args[0].Skip(1).TakeWhile(char.IsAsciiDigit).ToArray());
        uint.TryParse(digits, out uint v);
        version = v;
        return args[1..];
    }

    /// <summary>haproxy compares versions as a wrapping counter.</summary>
    private static bool After(uint a, uint b) => (int)(a - b) > 0;

    /// <summary>Entries removed: haproxy takes one off its count per entry, whatever the expressions.</summary>
    private static void Removed(PatternReference r, int count) => r.CountDrift += count * (r.Expressions().Count - 1);

    private void Store(PatternReference r, PatternEntry[] entries, bool currentChanged)
    {
        if (currentChanged) Commit(r, entries);
        else r.Replace(entries);
    }

    private PatternReference? Find(string which)
    {
        var refs = References;
        if (which.StartsWith('#'))
            return int.TryParse(which.AsSpan(1), out int id) ? refs.FirstOrDefault(r => r.Id == id) : null;
        return refs.FirstOrDefault(r => r.File == which);
    }

    private static bool OfKind(PatternReference r, bool map) => map ? r.IsMap : r.IsAcl;

    public string Show(bool map, string[] args)
    {
        args = Version(args, out uint? version);
        var sb = new StringBuilder();
        if (Arg(args, 0) is not { } which)
        {
            sb.Append("# id (file) description\n");
            foreach (var r in References.Where(r => OfKind(r, map)))
                sb.Append(r.Id).Append(" (").Append(r.File).Append(") ").Append(r.Description).Append('\n');
            return sb.ToString();
        }
        if (Find(which) is not { } found || !OfKind(found, map)) return Unknown(map);
        uint shown = version ?? found.CurrentVersion;
        foreach (var e in found.Entries)
        {
            if (e.Version != shown) continue;
            sb.Append(e.IdText).Append(' ').Append(e.Key);
            if (e.Value != null) sb.Append(' ').Append(e.Value);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public string Get(bool map, string[] args)
    {
        if (Arg(args, 0) is not { } which || Arg(args, 1) is not { } value)
            return map ? "Missing map identifier and/or key.\n" : "Missing ACL identifier and/or key.\n";
        if (Find(which) is not { } found) return Unknown(map);
        var sample = Encoding.Latin1.GetBytes(value);
        var sb = new StringBuilder();
        lock (_gate)
        {
            foreach (var user in found.Expressions())
            {
                var table = user is MapConverter m ? m.Table : MapTable.Build(found.Live, user.Method, user.IgnoreCaseFor(found), MapOutput.None, compiled: false);
                int i = table.Find(sample);
                sb.Append("type=").Append(ExpressionKind.Name(user.Method, found)).Append(", case=").Append(user.IgnoreCaseFor(found) ? "insensitive" : "sensitive")
                    .Append(map ? ", found=" : ", match=").Append(i >= 0 ? "yes" : "no");
                if (i >= 0)
                {
                    var e = table.Entries[i];
                    sb.Append(", idx=").Append(ExpressionKind.Tree(user, found) ? "tree" : "list");
                    if (!map) sb.Append(", pattern=\"").Append(e.Key).Append('"');
                    else
                    {
                        sb.Append(", key=\"").Append(e.Key).Append("\", value=");
                        if (table.Values[i] is { } v)
                            sb.Append('"').Append(Encoding.Latin1.GetString(v)).Append("\", type=\"").Append(user.Output == MapOutput.Int ? "sint" : "str").Append('"');
                        else sb.Append("none");
                    }
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    public string Add(bool map, string[] args, string? payload = null)
    {
        args = Version(args, out uint? version);
        var which = Arg(args, 0);
        var key = Arg(args, 1);
        var value = Arg(args, 2);
        if (map && payload != null && which != null) return AddPayload(which, version, payload);
        if (map ? which is null || key is null || value is null : which is null || key is null)
            return map ? "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload\n"
                : "'add acl' expects two parameters: ACL identifier and pattern.\n";
        var found = Find(which);
        if (found is null) return Unknown(map);
        if (!map && found.HasSamples) return "This ACL is shared with a map containing samples. You must use the command 'add map' to add values.\n";
        uint target = version ?? found.CurrentVersion;
        if (After(target, found.NextVersion)) return $"Version number in the future, please use 'prepare {(map ? "map" : "acl")}' before.\n";
        lock (_gate)
        {
            var expressions = found.Expressions();
            for (int i = 0; i < expressions.Count; i++)
            {
                var u = expressions[i];
                var error = MapTable.CheckKey(key!, u.Method) ?? (map ? MapTable.CheckValue(value, u.Output, out _) : null);
                if (error == null) continue;
                found.CountDrift += i - 1; // haproxy: the pushes that worked, minus one for the entry it drops
                return error + "\n";
            }
            var added = NewEntries([(key!, map ? value : null)]).Select(e => e with { Version = target });
            Store(found, [.. found.Entries, .. added], target == found.CurrentVersion);
        }
        return "";
    }

    /// <summary>
    /// 'add map REF &lt;&lt;': "key value" lines (the value is the rest of the line, blanks kept),
    /// added in order; the first entry refused stops the rest, as in haproxy.
    /// </summary>
    private string AddPayload(string which, uint? version, string payload)
    {
        if (Find(which) is not { } found) return Unknown(map: true);
        uint target = version ?? found.CurrentVersion;
        if (After(target, found.NextVersion)) return "Version number in the future, please use 'prepare map' before.\n";
        if (payload.Length == 0) return "Missing value for key '\n'.\n"; // haproxy's reply to an empty payload
        string reply = "";
        lock (_gate)
        {
            var added = new List<PatternEntry>();
            // haproxy's reading: the key runs to the next blank (a line without one runs into the
            // next line), the value from the next non-blank to the end of its line.
            int p = 0;
            while (p < payload.Length)
            {
                int blank = payload.IndexOfAny([' ', '\t'], p);
                if (blank < 0) { reply = $"Missing value for key '{payload[p..]}'.\n"; break; }
                var key = payload[p..blank];
                p = blank + 1;
                while (p < payload.Length && payload[p] is ' ' or '\t') p++;
                int end = payload.IndexOf('\n', p);
                if (end < 0) end = payload.Length;
                var value = payload[p..end];
                p = end + 1;
                var expressions = found.Expressions();
                string? error = null;
                for (int i = 0; i < expressions.Count && error == null; i++)
                {
                    error = MapTable.CheckKey(key, expressions[i].Method) ?? MapTable.CheckValue(value, expressions[i].Output, out _);
                    if (error != null) found.CountDrift += i - 1;
                }
                if (error != null) { reply = error + "\n"; break; }
                added.Add(NewEntries([(key, value)])[0] with { Version = target });
            }
            if (added.Count > 0) Store(found, [.. found.Entries, .. added], target == found.CurrentVersion);
        }
        return reply;
    }

    public string Delete(bool map, string[] args)
    {
        if (Arg(args, 0) is not { } which || Arg(args, 1) is not { } key)
            return map ? "This command expects two parameters: map identifier and key.\n" : "This command expects two parameters: ACL identifier and key.\n";
        if (Find(which) is not { } found || !OfKind(found, map)) return Unknown(map: true);
        lock (_gate)
        {
            var kept = found.Entries.Where(e => !Selects(e, key)).ToArray();
            if (kept.Length == found.Entries.Length) return "Key not found.\n";
            Removed(found, found.Entries.Length - kept.Length);
            Store(found, kept, found.Entries.Any(e => Selects(e, key) && e.Version == found.CurrentVersion));
        }
        return "";
    }

    public string Clear(bool map, string[] args)
    {
        args = Version(args, out uint? version);
        if (Arg(args, 0) is not { } which) return map ? "Missing map identifier.\n" : "Missing ACL identifier.\n";
        if (Find(which) is not { } found || !OfKind(found, map)) return Unknown(map);
        lock (_gate)
        {
            uint cleared = version ?? found.CurrentVersion;
            var kept = found.Entries.Where(e => e.Version != cleared).ToArray();
            Removed(found, found.Entries.Length - kept.Length);
            Store(found, kept, cleared == found.CurrentVersion);
        }
        return "";
    }

    public string Set(string[] args)
    {
        if (Arg(args, 0) is not { } which || Arg(args, 1) is not { } key || Arg(args, 2) is not { } value)
            return "'set map' expects three parameters: map identifier, key and value.\n";
        if (Find(which) is not { } found) return Unknown(map: true);
        lock (_gate)
        {
            foreach (var u in found.Users)
                if (MapTable.CheckValue(value, u.Output, out _) is { } error) return error + "\n";
            bool any = false;
            var entries = found.Entries.Select(e =>
            {
                if (!Selects(e, key)) return e;
                any = true;
                return e with { Value = value };
            }).ToArray();
            if (!any) return "entry not found.\n";
            Commit(found, entries);
        }
        return "";
    }

    public string Prepare(bool map, string[] args)
    {
        if (Arg(args, 0) is not { } which || Find(which) is not { } found || !OfKind(found, map)) return Unknown(map);
        lock (_gate) return $"New version created: {++found.NextVersion}\n";
    }

    public string Commit(bool map, string[] args)
    {
        args = Version(args, out uint? version);
        if (version is not { } target) return "Missing version number.\n";
        if (Arg(args, 0) is not { } which) return map ? "Missing map identifier.\n" : "Missing ACL identifier.\n";
        if (Find(which) is not { } found || !OfKind(found, map)) return Unknown(map);
        lock (_gate)
        {
            if (After(found.CurrentVersion, target) || After(target, found.NextVersion)) return "Version number out of range.\n";
            found.CurrentVersion = target;
            var kept = found.Entries.Where(e => !After(target, e.Version)).ToArray();
            Removed(found, found.Entries.Length - kept.Length);
            Commit(found, kept);
        }
        return "";
    }

    /// <summary>"#0x..." names one entry by its id, anything else every entry with that key.</summary>
    private static bool Selects(PatternEntry e, string key) =>
        key.StartsWith("#0x", StringComparison.Ordinal) ? e.IdText == key[1..] : e.Key == key;
}

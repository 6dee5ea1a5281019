using System.Text;

namespace Lb.Actors.Admin;

/// <summary>One pattern reference as 'show acl' / 'show map' list it: an ACL's patterns or a map file.</summary>
public sealed record PatternRef(int Id, string? File, string Description, IReadOnlyList<string> Entries);

/// <summary>
/// The seam between the runtime API and the ACL engine (Rules/Patterns/PatternStore): LbRoot
/// sets the node's <see cref="Stats.NodeStats.Patterns"/>; its changes are the ones the data
/// path matches against. Arguments are the words after the command ("#1", "key", ...); replies
/// are haproxy's texts.
/// </summary>
public interface IPatternAdmin
{
    string Show(bool map, string[] args);
    string Get(bool map, string[] args);
    /// <summary><paramref name="payload"/>: 'add map REF &lt;&lt;' lines ("key value"), instead of the key and value arguments.</summary>
    string Add(bool map, string[] args, string? payload = null);
    string Delete(bool map, string[] args);
    string Clear(bool map, string[] args);
    string Set(string[] args);
    string Prepare(bool map, string[] args);
    string Commit(bool map, string[] args);
}

/// <summary>
/// 'show|get|add|del|clear acl' and 'show|get|set|add|del|clear map'. Without the ACL engine the
/// ACLs of the configuration are listed (read-only) and changes are refused with a clear message,
/// since nothing on the data path would honour them.
/// </summary>
public static class AclMapCommands
{
    private const string NoEngine = "Lb: runtime ACL and map changes need the ACL engine, which this build does not have yet; nothing was changed.\n";

    private static string? Arg(string[] w, int i) => i < w.Length ? w[i] : null;

    /// <summary>The ACLs of the config, numbered in order, as haproxy lists its pattern references.</summary>
    public static IReadOnlyList<PatternRef> DeclaredAcls(Stats.NodeStats node)
    {
        var list = new List<PatternRef>();
        int id = 0;
        foreach (var p in node.Proxies)
            foreach (var acl in p.Config.Acls)
                list.Add(new PatternRef(id++, null,
                    $"acl '{acl.Criterion}' file '{acl.Location.File}' line {acl.Location.Line}. curr_ver=0 next_ver=0 entry_cnt={acl.Patterns.Length}",
                    acl.Patterns));
        return list;
    }

    private static IReadOnlyList<PatternRef> Refs(CliContext ctx, bool maps) => maps ? [] : DeclaredAcls(ctx.Node);

    private static string Show(CliContext ctx, string[] words, bool maps)
    {
        if (ctx.Node.Patterns is { } engine) return Guarded(() => engine.Show(maps, words[2..]));
        var refs = Refs(ctx, maps);
        int at = Arg(words, 2) is { } v && v.StartsWith('@') ? 3 : 2;
        var which = Arg(words, at);
        var sb = new StringBuilder();
        if (which is null)
        {
            sb.Append("# id (file) description\n");
            foreach (var r in refs) sb.Append(r.Id).Append(" (").Append(r.File).Append(") ").Append(r.Description).Append('\n');
            return sb.ToString();
        }
        var found = Find(refs, which);
        if (found is null) return maps ? "Unknown map identifier. Please use #<id> or <file>.\n" : "Unknown ACL identifier. Please use #<id> or <file>.\n";
        for (int i = 0; i < found.Entries.Count; i++) sb.Append("0x").Append(i.ToString("x")).Append(": ").Append(found.Entries[i]).Append('\n');
        return sb.ToString();
    }

    private static PatternRef? Find(IReadOnlyList<PatternRef> refs, string which) =>
        which.StartsWith('#') && int.TryParse(which[1..], out var id) ? refs.FirstOrDefault(r => r.Id == id) : refs.FirstOrDefault(r => r.File == which);

    /// <summary>A fault in the pattern engine answers this command with its message instead of ending the CLI connection.</summary>
    private static string Guarded(Func<string> command)
    {
        try { return command(); }
        catch (Exception e) when (e is not OutOfMemoryException) { return $"Lb: the command failed ({e.GetType().Name}: {e.Message}).\n"; }
    }

    public static string ShowAcl(CliContext ctx, string[] words) => Show(ctx, words, maps: false);
    public static string ShowMap(CliContext ctx, string[] words) => Show(ctx, words, maps: true);

    private static Task<string> Change(CliContext ctx, string[] words, bool map, Func<IPatternAdmin, string> change)
    {
        if (ctx.Node.Patterns is { } engine) return Task.FromResult(Guarded(() => change(engine)));
        int at = Arg(words, 2) is { } v && v.StartsWith('@') ? 3 : 2;
        if (Arg(words, at) is not { } which || Find(Refs(ctx, map), which) is null)
            return Task.FromResult(map ? "Unknown map identifier. Please use #<id> or <file>.\n" : "Unknown ACL identifier. Please use #<id> or <file>.\n");
        return Task.FromResult(NoEngine);
    }

    public static Task<string> GetAcl(CliContext ctx, string[] w) => Change(ctx, w, false, e => e.Get(false, w[2..]));
    public static Task<string> GetMap(CliContext ctx, string[] w) => Change(ctx, w, true, e => e.Get(true, w[2..]));
    public static Task<string> AddAcl(CliContext ctx, string[] w) => Change(ctx, w, false, e => e.Add(false, w[2..]));
    public static Task<string> AddMap(CliContext ctx, string[] w) => Change(ctx, w, true, e => e.Add(true, w[2..], ctx.Payload));
    public static Task<string> DelAcl(CliContext ctx, string[] w) => Change(ctx, w, false, e => e.Delete(false, w[2..]));
    public static Task<string> DelMap(CliContext ctx, string[] w) => Change(ctx, w, true, e => e.Delete(true, w[2..]));
    public static Task<string> ClearAcl(CliContext ctx, string[] w) => Change(ctx, w, false, e => e.Clear(false, w[2..]));
    public static Task<string> ClearMap(CliContext ctx, string[] w) => Change(ctx, w, true, e => e.Clear(true, w[2..]));
    public static Task<string> PrepareAcl(CliContext ctx, string[] w) => Change(ctx, w, false, e => e.Prepare(false, w[2..]));
    public static Task<string> PrepareMap(CliContext ctx, string[] w) => Change(ctx, w, true, e => e.Prepare(true, w[2..]));
    public static Task<string> CommitAcl(CliContext ctx, string[] w) => Change(ctx, w, false, e => e.Commit(false, w[2..]));
    public static Task<string> CommitMap(CliContext ctx, string[] w) => Change(ctx, w, true, e => e.Commit(true, w[2..]));
    public static Task<string> SetMap(CliContext ctx, string[] w) => Change(ctx, w, true, e => e.Set(w[2..]));
}

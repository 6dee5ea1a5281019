using System.Text;

namespace Lb.Actors.Admin;

/// <summary>One runtime-API command: the words that select it, its help line, its level and its handler.</summary>
public sealed record CliCommand(string[] Words, string? Help, CliLevel Level, Func<CliContext, string[], Task<string>> Run);

/// <summary>
/// The runtime API's command table and dispatcher. Help lines are haproxy 2.6's, for the
/// commands Lb implements, in haproxy's order; a command above the session's level answers
/// "Permission denied"; an unknown one lists the closest commands, as haproxy does.
/// </summary>
public static class CliCommands
{
    public const string PermissionDenied = "Permission denied\n";

    public static readonly IReadOnlyList<CliCommand> All = Build();

    private static List<CliCommand> Build()
    {
        var list = new List<CliCommand>();
        void Add(string words, string? help, CliLevel level, Func<CliContext, string[], Task<string>> run) =>
            list.Add(new CliCommand(words.Split(' '), help, level, run));
        void Sync(string words, string? help, CliLevel level, Func<CliContext, string[], string> run) =>
            Add(words, help, level, (c, a) => Task.FromResult(run(c, a)));

        Add("add acl", "  add acl [@<ver>] <acl> <pattern>        : add an acl entry", CliLevel.User, AclMapCommands.AddAcl);
        Add("add map", "  add map [@<ver>] <map> <key> <val>      : add a map entry (payload supported instead of key/val)", CliLevel.User, AclMapCommands.AddMap);
        Add("clear acl", "  clear acl [@<ver>] <acl>                : clear the contents of this acl", CliLevel.User, AclMapCommands.ClearAcl);
        Add("clear counters", "  clear counters [all]                    : clear max statistics counters (or all counters)", CliLevel.Operator, ProxyCommands.ClearCounters);
        Add("clear map", "  clear map [@<ver>] <map>                : clear the contents of this map", CliLevel.User, AclMapCommands.ClearMap);
        Add("clear table", "  clear table <table> [<filter>]*         : remove an entry from a table (filter: data/key)", CliLevel.Operator, TableCommands.Clear);
        Add("commit acl", "  commit acl @<ver> <acl>                 : commit the ACL at this version", CliLevel.User, AclMapCommands.CommitAcl);
        Add("commit map", "  commit map @<ver> <map>                 : commit the map at this version", CliLevel.User, AclMapCommands.CommitMap);
        Add("del acl", "  del acl <acl> [<key>|#<ref>]            : delete acl entries matching <key>", CliLevel.User, AclMapCommands.DelAcl);
        Add("del map", "  del map <map> [<key>|#<ref>]            : delete map entries matching <key>", CliLevel.User, AclMapCommands.DelMap);
        Add("disable agent", "  disable agent                           : disable agent checks", CliLevel.Admin, (c, a) => ServerCommands.Admin(c, a, 2, Backends.ServerAdminAction.DisableAgent));
        Add("disable frontend", "  disable frontend <frontend>             : temporarily disable specific frontend", CliLevel.Admin, ProxyCommands.DisableFrontend);
        Add("disable health", "  disable health                          : disable health checks", CliLevel.Admin, (c, a) => ServerCommands.Admin(c, a, 2, Backends.ServerAdminAction.DisableHealth));
        Add("disable server", "  disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)", CliLevel.Admin, (c, a) => ServerCommands.Admin(c, a, 2, Backends.ServerAdminAction.Maint));
        Add("enable agent", "  enable agent                            : enable agent checks", CliLevel.Admin, (c, a) => ServerCommands.Admin(c, a, 2, Backends.ServerAdminAction.EnableAgent));
        Add("enable frontend", "  enable frontend <frontend>              : re-enable specific frontend", CliLevel.Admin, ProxyCommands.EnableFrontend);
        Add("enable health", "  enable health                           : enable health checks", CliLevel.Admin, (c, a) => ServerCommands.Admin(c, a, 2, Backends.ServerAdminAction.EnableHealth));
        Add("enable server", "  enable server  (DEPRECATED)             : enable a disabled server (use 'set server' instead)", CliLevel.Admin, (c, a) => ServerCommands.Admin(c, a, 2, Backends.ServerAdminAction.Ready));
        Add("get acl", "  get acl <acl> <value>                   : report the patterns matching a sample for an ACL", CliLevel.User, AclMapCommands.GetAcl);
        Add("get map", "  get map <acl> <value>                   : report the keys and values matching a sample for a map", CliLevel.User, AclMapCommands.GetMap);
        Sync("get weight", "  get weight <bk>/<srv>                   : report a server's current weight", CliLevel.User, ServerCommands.GetWeight);
        Sync("operator", "  operator                                : lower the level of the current CLI session to operator", CliLevel.Operator, (c, _) => { c.Level = CliLevel.Operator; return ""; });
        Add("prepare acl", "  prepare acl <acl>                       : prepare a new version for atomic ACL replacement", CliLevel.User, AclMapCommands.PrepareAcl);
        Add("prepare map", "  prepare map <acl>                       : prepare a new version for atomic map replacement", CliLevel.User, AclMapCommands.PrepareMap);
        Add("set map", "  set map <map> [<key>|#<ref>] <value>    : modify a map entry", CliLevel.User, AclMapCommands.SetMap);
        Sync("set maxconn frontend", "  set maxconn frontend <frontend> <value> : change a frontend's maxconn setting", CliLevel.Admin, ProxyCommands.SetMaxconnFrontend);
        Sync("set maxconn global", "  set maxconn global <value>              : change the per-process maxconn setting", CliLevel.Admin, ProxyCommands.SetMaxconnGlobal);
        Add("set maxconn server", "  set maxconn server <bk>/<srv>           : change a server's maxconn setting", CliLevel.Admin, ServerCommands.SetMaxconn);
        Sync("set rate-limit", "  set rate-limit <setting> <value>        : change a rate limiting value", CliLevel.Admin, ProxyCommands.SetRateLimit);
        Add("set server", "  set server <bk>/<srv> [opts]            : change a server's state, weight, address or ssl", CliLevel.Admin, ServerCommands.SetServer);
        Add("set table", "  set table <table> key <k> [data.* <v>]* : update or create a table entry's data", CliLevel.Operator, TableCommands.Set);
        Sync("set timeout", "  set timeout [cli] <delay>               : change a timeout setting", CliLevel.User, ProxyCommands.SetTimeout);
        Add("set weight", "  set weight <bk>/<srv>  (DEPRECATED)     : change a server's weight (use 'set server' instead)", CliLevel.Admin, ServerCommands.SetWeight);
        Sync("show acl", "  show acl [@<ver>] <acl>]                : report available acls or dump an acl's contents", CliLevel.User, AclMapCommands.ShowAcl);
        Sync("show backend", "  show backend                            : list backends in the current running config", CliLevel.User, ShowCommands.Backends);
        Sync("show cli level", "  show cli level                          : display the level of the current CLI session", CliLevel.User, (c, _) => CliLevels.Name(c.Level) + "\n");
        Sync("show cli sockets", "  show cli sockets                        : dump list of cli sockets", CliLevel.User, ShowCommands.Sockets);
        Sync("show errors", "  show errors [<px>] [request|response]   : report last request and/or response errors for each proxy", CliLevel.Operator, ShowCommands.Errors);
        Sync("show info", "  show info [desc|json|typed|float]*      : report information about the running process", CliLevel.User, ShowCommands.Info);
        Sync("show map", "  show map [@ver] [map]                   : report available maps or dump a map's contents", CliLevel.User, AclMapCommands.ShowMap);
        Sync("show pools", "  show pools                              : report information about the memory pools usage", CliLevel.User, ShowCommands.Pools);
        Sync("show servers state", "  show servers state [<backend>]          : dump volatile server information (all or for a single backend)", CliLevel.User, ShowCommands.ServersState);
        Add("show sess", "  show sess [id]                          : report the list of current sessions or dump this exact session", CliLevel.Operator, SessionCommands.Show);
        Sync("show stat", "  show stat [desc|json|no-maint|typed|up]*: report counters for each proxy and server", CliLevel.User, ShowCommands.Stat);
        Sync("show table", "  show table <table> [<filter>]*          : report table usage stats or dump this table's contents (filter: data/key)", CliLevel.User, TableCommands.Show);
        Sync("show version", "  show version                            : show version of the current process", CliLevel.User, (_, _) => Stats.ProcessInfo.Version + "\n");
        Add("shutdown frontend", "  shutdown frontend <frontend>            : stop a specific frontend", CliLevel.Admin, ProxyCommands.ShutdownFrontend);
        Add("shutdown session", "  shutdown session [id]                   : kill a specific session", CliLevel.Admin, SessionCommands.Shutdown);
        Add("shutdown sessions server", "  shutdown sessions server <bk>/<srv>     : kill sessions on a server", CliLevel.Admin, (c, a) => ServerCommands.Admin(c, a, 3, Backends.ServerAdminAction.ShutdownSessions));
        Sync("user", "  user                                    : lower the level of the current CLI session to user", CliLevel.User, (c, _) => { c.Level = CliLevel.User; return ""; });
        Sync("help", "  help [<command>]                        : list matching or all commands", CliLevel.User, HelpText);
        Sync("prompt", "  prompt                                  : toggle interactive mode with prompt", CliLevel.User, (c, _) => { c.Prompt = !c.Prompt; return ""; });
        Sync("quit", "  quit                                    : disconnect", CliLevel.User, (c, _) => { c.Quit = true; return ""; });
        return list;
    }

    /// <summary>Runs one command (its words); the answer text, without the CLI's closing newline.</summary>
    public static async Task<string> RunAsync(CliContext ctx, string[] words)
    {
        if (words.Length == 0) return "Unknown command. Please enter one of the following commands only:\n" + HelpLines(null);
        var cmd = Find(words);
        if (cmd is null) return Suggest(words);
        if (ctx.Level < cmd.Level) return PermissionDenied;
        try
        {
            return await cmd.Run(ctx, words).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or TaskCanceledException or Akka.Actor.AskTimeoutException)
        {
            return "Internal error: the node did not answer in time.\n";
        }
    }

    /// <summary>The command whose words start the input (the longest such match).</summary>
    public static CliCommand? Find(string[] words) =>
        All.Where(c => c.Words.Length <= words.Length && c.Words.Select((w, i) => w == words[i]).All(x => x))
           .OrderByDescending(c => c.Words.Length).FirstOrDefault();

    private static string HelpText(CliContext ctx, string[] words) =>
        "The following commands are valid at this level:\n" + HelpLines(words.Length > 1 ? words[1..] : null);

    private static string HelpLines(string[]? filter)
    {
        var sb = new StringBuilder();
        foreach (var c in All)
        {
            if (c.Help is null) continue;
            bool always = c.Words[0] is "help" or "prompt" or "quit";
            if (filter != null && !always && !filter.Select((f, i) => i < c.Words.Length && c.Words[i].StartsWith(f, StringComparison.Ordinal)).All(x => x)) continue;
            sb.Append(c.Help).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>An unknown command: the commands that share the most with it, then help/prompt/quit.</summary>
    private static string Suggest(string[] words)
    {
        var input = string.Join(' ', words);
        var scored = All.Where(c => c.Help != null && c.Words[0] is not ("help" or "prompt" or "quit"))
            .Select(c => (c, Score: Similarity(input, string.Join(' ', c.Words))))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .Take(5)
            .Select(x => x.c)
            .ToHashSet();
        if (scored.Count == 0) return "Unknown command. Please enter one of the following commands only:\n" + HelpLines(null);
        var sb = new StringBuilder("Unknown command, but maybe one of the following ones is a better match:\n");
        foreach (var c in All)
            if (scored.Contains(c) || c.Words[0] is "help" or "prompt" or "quit") sb.Append(c.Help).Append('\n');
        return sb.ToString();
    }

    // Shared character bigrams, relative to the input's: enough to point at a mistyped word.
    private static double Similarity(string a, string b)
    {
        if (a.Length < 2 || b.Length < 2) return 0;
        var grams = new HashSet<string>();
        for (int i = 0; i + 1 < b.Length; i++) grams.Add(b.Substring(i, 2));
        int hits = 0;
        for (int i = 0; i + 1 < a.Length; i++) if (grams.Contains(a.Substring(i, 2))) hits++;
        double score = hits / (double)(a.Length - 1);
        return score >= 0.4 ? score : 0;
    }
}

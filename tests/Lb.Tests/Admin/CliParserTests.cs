using Lb.Actors.Admin;
using Lb.Actors.Backends;
using Lb.Actors.Stats;
using Lb.Config;
using Xunit;

namespace Lb.Tests.Admin;

public sealed class CliParserTests
{
    [Fact]
    public void Split_SemicolonList_OneWordArrayPerCommand()
    {
        var cmds = CliParser.Split("show info;show stat ; get weight bk/s1");
        Assert.Equal(3, cmds.Count);
        Assert.Equal(["show", "info"], cmds[0]);
        Assert.Equal(["show", "stat"], cmds[1]);
        Assert.Equal(["get", "weight", "bk/s1"], cmds[2]);
    }

    [Fact]
    public void Split_EscapedSemicolonAndSpace_StayInTheWord()
    {
        var cmds = CliParser.Split("add acl #0 a\\;b c\\ d");
        Assert.Single(cmds);
        Assert.Equal(["add", "acl", "#0", "a;b", "c d"], cmds[0]);
    }

    [Fact]
    public void Split_EmptyLineAndTabs_EmptyCommandAndTabSeparatedWords()
    {
        Assert.Equal([[]], CliParser.Split(""));
        Assert.Equal(["show", "info"], CliParser.Split("show\tinfo\r")[0]);
    }

    [Theory]
    [InlineData("bk/s1", "bk", "s1")]
    [InlineData("b/s/x", "b", "s/x")]
    public void BackendServer_SlashedName_Splits(string arg, string backend, string server) =>
        Assert.Equal((backend, server), CliParser.BackendServer(arg));

    [Fact]
    public void BackendServer_NoSlash_Null() => Assert.Null(CliParser.BackendServer("bk"));

    [Theory]
    [InlineData("show stat", "show stat")]
    [InlineData("show stat typed", "show stat")]
    [InlineData("shutdown sessions server bk/s1", "shutdown sessions server")]
    [InlineData("shutdown session 0x1", "shutdown session")]
    [InlineData("set maxconn global 10", "set maxconn global")]
    public void Find_Words_LongestMatchingCommand(string line, string command) =>
        Assert.Equal(command, string.Join(' ', CliCommands.Find(line.Split(' '))!.Words));

    [Fact]
    public void Find_UnknownWords_Null() => Assert.Null(CliCommands.Find(["foo", "bar"]));

    private static CliContext Context(CliLevel level)
    {
        var loaded = ConfigLoader.LoadText("""
            defaults
                mode http
                timeout client 1s
                timeout server 1s
                timeout connect 1s
            backend bk
                balance static-rr
                server s1 127.0.0.1:1 weight 4
                server s2 127.0.0.1:2

            """, "t.cfg", _ => null);
        var node = new NodeStats(loaded.Config!, BackendRegistry.Build(loaded.Config!));
        return new CliContext(node, level, TimeSpan.FromSeconds(10), []);
    }

    [Theory]
    [InlineData("disable server bk/s1", CliLevel.User)]
    [InlineData("disable server bk/s1", CliLevel.Operator)]
    [InlineData("set weight bk/s1 1", CliLevel.Operator)]
    [InlineData("show sess", CliLevel.User)]
    [InlineData("show errors", CliLevel.User)]
    [InlineData("clear counters", CliLevel.User)]
    [InlineData("clear counters all", CliLevel.Operator)]
    [InlineData("set maxconn global 1", CliLevel.Operator)]
    [InlineData("shutdown sessions server bk/s1", CliLevel.Operator)]
    [InlineData("operator", CliLevel.User)]
    public async Task Run_CommandAboveTheLevel_PermissionDenied(string line, CliLevel level) =>
        Assert.Equal("Permission denied\n", await CliCommands.RunAsync(Context(level), line.Split(' ')));

    [Fact]
    public async Task Run_UserLevel_ReadsStatsAndWeights()
    {
        var ctx = Context(CliLevel.User);
        Assert.Equal("4 (initial 4)\n", await CliCommands.RunAsync(ctx, ["get", "weight", "bk/s1"]));
        Assert.StartsWith("# pxname,svname,", await CliCommands.RunAsync(ctx, ["show", "stat"]));
        Assert.Equal("user\n", await CliCommands.RunAsync(ctx, ["show", "cli", "level"]));
    }

    [Fact]
    public async Task Run_OperatorCommand_LowersTheLevel()
    {
        var ctx = Context(CliLevel.Admin);
        Assert.Equal("", await CliCommands.RunAsync(ctx, ["operator"]));
        Assert.Equal(CliLevel.Operator, ctx.Level);
        Assert.Equal("Permission denied\n", await CliCommands.RunAsync(ctx, ["disable", "server", "bk/s1"]));
    }

    [Theory]
    [InlineData("get weight", "Require 'backend/server'.\n")]
    [InlineData("get weight bk", "Require 'backend/server'.\n")]
    [InlineData("get weight zz/s1", "No such backend.\n")]
    [InlineData("get weight bk/zz", "No such server.\n")]
    [InlineData("set weight bk/s1", "Require <weight> or <weight%>.\n")]
    [InlineData("set weight bk/s1 abc", "Empty weight string empty or preceded by garbage")]
    [InlineData("set weight bk/s1 5x", "Trailing garbage in weight string")]
    [InlineData("set weight bk/s1 300", "Absolute weight can only be between 0 and 256 inclusive.\n")]
    [InlineData("set weight bk/s1 -5%", "Relative weight must be positive.\n")]
    [InlineData("set weight bk/s1 3", "Backend is using a static LB algorithm and only accepts weights '0%' and '100%'.\n")]
    [InlineData("set server bk/s1 state foo", "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n")]
    [InlineData("set server bk/s1", "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n")]
    [InlineData("set server bk/s1 health foo", "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n")]
    [InlineData("set server bk/s1 addr", "set server <b>/<s> addr requires an address and optionally a port.\n")]
    [InlineData("set server bk/s1 addr 1.2.3", "Invalid addr '1.2.3' by 'stats socket command'\n")]
    [InlineData("set maxconn server bk/s1", "Require <maxconn>.\n")]
    [InlineData("set maxconn server bk/s1 x", "maxconn string empty or preceded by garbage")]
    [InlineData("set maxconn frontend", "A frontend name is expected.\n")]
    [InlineData("set maxconn frontend zz 1", "No such frontend.\n")]
    [InlineData("set maxconn global", "Expects an integer value.\n")]
    [InlineData("disable frontend", "A frontend name is expected.\n")]
    [InlineData("set timeout foo 1", "'set timeout' only supports 'cli'.\n")]
    [InlineData("set timeout cli abc", "Invalid timeout value.\n")]
    [InlineData("set timeout cli", "Expects an integer value.\n")]
    [InlineData("show servers state zz", "Can't find backend.\n")]
    [InlineData("show stat zz 1 -1", "No such proxy.\n")]
    [InlineData("show errors zz", "No such proxy.\n")]
    [InlineData("show table zz", "No such table\n")]
    [InlineData("clear table zz", "No such table\n")]
    [InlineData("show acl #9", "Unknown ACL identifier. Please use #<id> or <file>.\n")]
    [InlineData("shutdown session", "Session pointer expected (use 'show sess').\n")]
    [InlineData("set rate-limit sessions global", "Expects an integer value.\n")]
    public async Task Run_BadArguments_HaproxysErrorText(string line, string expected) =>
        Assert.Equal(expected, await CliCommands.RunAsync(Context(CliLevel.Admin), line.Split(' ')));

    [Fact]
    public async Task Run_Help_HaproxysHeadingAndLinesEndingWithQuit()
    {
        var text = await CliCommands.RunAsync(Context(CliLevel.User), ["help"]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("The following commands are valid at this level:", lines[0]);
        Assert.Contains("  show info [desc|json|typed|float]*      : report information about the running process", lines);
        Assert.Contains("  disable server (DEPRECATED)             : disable a server for maintenance (use 'set server' instead)", lines);
        Assert.Equal("  quit                                    : disconnect", lines[^1]);
    }

    [Fact]
    public async Task Run_HelpWithAWord_OnlyMatchingCommandsPlusHelpPromptQuit()
    {
        var lines = (await CliCommands.RunAsync(Context(CliLevel.User), ["help", "get"])).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^  (get |help|prompt|quit)", l));
        Assert.Contains(lines, l => l.StartsWith("  get weight", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_UnknownCommand_SuggestsCloseOnes()
    {
        var text = await CliCommands.RunAsync(Context(CliLevel.User), ["show", "stats"]);
        Assert.StartsWith("Unknown command, but maybe one of the following ones is a better match:\n", text);
        Assert.Contains("  show stat [desc|json|no-maint|typed|up]*", text);
        Assert.EndsWith("  quit                                    : disconnect\n", text);
    }

    [Fact]
    public async Task Run_EmptyCommand_ListsEveryCommand() =>
        Assert.StartsWith("Unknown command. Please enter one of the following commands only:\n  add acl",
            await CliCommands.RunAsync(Context(CliLevel.User), []));

    [Fact]
    public async Task Run_ShowServersState_Version1FormatWithEveryServer()
    {
        var lines = (await CliCommands.RunAsync(Context(CliLevel.User), ["show", "servers", "state"])).Split('\n');
        Assert.Equal("1", lines[0]);
        Assert.StartsWith("# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight", lines[1]);
        Assert.Equal("1 bk 1 s1 127.0.0.1 2 0 4 4 0 1 0 2 0 0 0 0 - 1 - 0 0 - - 0", lines[2]);
        Assert.StartsWith("1 bk 2 s2 127.0.0.1 2 0 1 1 ", lines[3]);
    }

    [Fact]
    public void ParseWeight_Percent_IsOfTheInitialWeightCappedAt256()
    {
        var ctx = Context(CliLevel.Admin);
        var s1 = ctx.Node.Backends.Find("bk")!.Snapshot.FindServer("s1")!;
        Assert.Null(ServerCommands.ParseWeight(s1, "50%", out var half));
        Assert.Equal(2, half);
        Assert.Null(ServerCommands.ParseWeight(s1, "10000%", out var capped));
        Assert.Equal(256, capped);
    }
}

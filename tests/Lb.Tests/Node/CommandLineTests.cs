using Lb.Node;
using Xunit;

namespace Lb.Tests.Node;

public class CommandLineTests
{
    private static CommandLine Parse(params string[] args) => CommandLine.Parse(args);

    [Fact]
    public void Parse_RepeatedF_KeepsPathsInOrder()
    {
        var cl = Parse("-f", "a.cfg", "-f", "conf.d");
        Assert.Null(cl.Error);
        Assert.Equal(new[] { "a.cfg", "conf.d" }, cl.ConfigPaths);
        Assert.False(cl.CheckOnly);
        Assert.False(cl.Debug);
    }

    [Fact]
    public void Parse_AllFlags_SetsEveryOption()
    {
        var cl = Parse("-c", "-d", "-db", "-f", "x.cfg", "-p", "/run/lb.pid", "--cluster", "c.hocon");
        Assert.Null(cl.Error);
        Assert.True(cl.CheckOnly);
        Assert.True(cl.Debug);
        Assert.Equal("/run/lb.pid", cl.PidFile);
        Assert.Equal("c.hocon", cl.ClusterFile);
        Assert.Equal(new[] { "x.cfg" }, cl.ConfigPaths);
    }

    [Fact]
    public void Parse_Db_IsAcceptedAndIsNotDebug()
    {
        var cl = Parse("-db", "-f", "x.cfg");
        Assert.Null(cl.Error);
        Assert.False(cl.Debug);
    }

    [Fact]
    public void Parse_DoubleDash_TakesTheRestAsConfigFiles()
    {
        var cl = Parse("-f", "a.cfg", "--", "b.cfg", "-c");
        Assert.Null(cl.Error);
        Assert.Equal(new[] { "a.cfg", "b.cfg", "-c" }, cl.ConfigPaths);
        Assert.False(cl.CheckOnly);
    }

    [Fact]
    public void Parse_NoConfig_IsAnError()
    {
        Assert.Contains("No configuration file", Parse().Error);
        Assert.Contains("No configuration file", Parse("-c").Error);
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Parse_VersionOrHelp_NeedsNoConfig(string flag)
    {
        var cl = Parse(flag);
        Assert.Null(cl.Error);
        Assert.True(cl.ShowVersion || cl.ShowHelp);
    }

    [Theory]
    [InlineData("-x")]
    [InlineData("--daemon")]
    [InlineData("-D")]
    public void Parse_UnknownFlag_IsAnErrorNamingIt(string flag)
    {
        var cl = Parse("-f", "a.cfg", flag);
        Assert.Equal($"unknown option '{flag}'", cl.Error);
    }

    [Fact]
    public void Parse_BareArgument_IsAnError()
    {
        Assert.Contains("unexpected argument 'a.cfg'", Parse("a.cfg").Error);
    }

    [Theory]
    [InlineData("-f")]
    [InlineData("-p")]
    [InlineData("--cluster")]
    public void Parse_FlagWithoutValue_IsAnError(string flag)
    {
        var cl = Parse("-f", "a.cfg", flag);
        Assert.Contains($"'{flag}' expects", cl.Error);
    }

    [Fact]
    public void Usage_MentionsEveryAcceptedFlag()
    {
        foreach (var flag in new[] { "-f", "-c", "-d", "-db", "-p", "--cluster", "-v", "-h", "--help", "--" })
            Assert.Contains(flag, CommandLine.Usage);
    }
}

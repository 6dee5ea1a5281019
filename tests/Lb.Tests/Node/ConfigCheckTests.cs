using Lb.Node;
using Xunit;

namespace Lb.Tests.Node;

public class ConfigCheckTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private NodeConsole Console => new(_out, _err, 42);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Run_ValidConfig_PrintsValidAndReturns0()
    {
        var cfg = _dir.File("haproxy.cfg", Samples.Minimal);
        Assert.Equal(0, ConfigCheck.Run(new[] { cfg }, Console));
        Assert.Equal("Configuration file is valid" + Environment.NewLine, _out.ToString());
        Assert.Equal("", _err.ToString());
    }

    [Fact]
    public void Run_MissingFile_PrintsAlertsAndReturns1()
    {
        var missing = _dir.Combine("nope.cfg");
        Assert.Equal(1, ConfigCheck.Run(new[] { missing }, Console));
        var lines = _err.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Equal($"[ALERT]    (42) : config : Cannot open configuration file/directory {missing} : No such file or directory", lines[0]);
        Assert.Equal("[ALERT]    (42) : config : Fatal errors found in configuration.", lines[^1]);
        Assert.DoesNotContain("valid", _out.ToString());
    }

    [Fact]
    public void Load_MissingFile_ReturnsNull()
    {
        Assert.Null(ConfigCheck.Load(new[] { _dir.Combine("nope.cfg") }, Console, out _));
    }

    [Fact]
    public void Run_UnknownKeyword_ReportsFileAndLineAndReturns1()
    {
        var cfg = _dir.File("bad.cfg", "frontend f\n    bind 127.0.0.1:9999\n    bogus keyword\n");
        Assert.Equal(1, ConfigCheck.Run(new[] { cfg }, Console));
        Assert.Contains($"[ALERT]    (42) : config : parsing [{cfg}:3] : ", _err.ToString());
        Assert.EndsWith("[ALERT]    (42) : config : Fatal errors found in configuration." + Environment.NewLine, _err.ToString());
    }

    [Fact]
    public void Run_WarningsOnly_SaysSoAndReturns0()
    {
        // 'contimeout' is a 1.x keyword: Lb translates it and warns with file:line.
        var cfg = _dir.File("legacy.cfg", Samples.Minimal + "defaults\n    contimeout 5000\n");
        Assert.Equal(0, ConfigCheck.Run(new[] { cfg }, Console));
        Assert.Contains($"[WARNING]  (42) : config : parsing [{cfg}:", _err.ToString());
        Assert.Equal("Warnings were found." + Environment.NewLine + "Configuration file is valid" + Environment.NewLine, _out.ToString());
    }
}

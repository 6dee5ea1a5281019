using Lb.Config;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>The logging keywords as the configuration model keeps them.</summary>
public sealed class LogConfigTests
{
    private static Proxy Frontend(string lines)
    {
        var loaded = ConfigLoader.LoadText($"frontend fe\n    mode http\n    bind 127.0.0.1:1\n{lines}\n", "t.cfg", _ => null);
        Assert.True(loaded.Config != null, string.Join("\n", loaded.Alerts));
        return loaded.Config!.Frontends.Single();
    }

    [Fact]
    public void Log_Sample_KeptForTheTarget()
    {
        var t = Frontend("    log 127.0.0.1:514 len 200 format rfc5424 sample 1-2,5:10 local3 info err").Logs.Single();
        Assert.Equal(("1-2,5:10", 200, "rfc5424", "local3", "info", "err"), (t.Sample, t.MaxLength, t.Format, t.Facility, t.Level, t.MinLevel));
    }

    [Fact]
    public void Log_SampleOutsideItsSize_Alert()
    {
        var loaded = ConfigLoader.LoadText("frontend fe\n    bind 127.0.0.1:1\n    log 127.0.0.1 sample 3:2 local0\n", "t.cfg", _ => null);
        Assert.Contains(loaded.Alerts, a => a.Message.Contains("'sample' expects"));
    }

    [Fact]
    public void LogFormat_AfterOptionHttplog_Wins()
    {
        var p = Frontend("    option httplog\n    log-format \"%ci %ST\"");
        Assert.Equal("%ci %ST", p.LogFormat);
        Assert.False(p.HasOption("httplog"));
    }

    [Fact]
    public void OptionTcplog_AfterLogFormat_Wins()
    {
        var p = Frontend("    log-format \"%ci %ST\"\n    option tcplog");
        Assert.Null(p.LogFormat);
        Assert.True(p.HasOption("tcplog"));
    }

    [Fact]
    public void NoLog_InFrontend_DropsInheritedTargets()
    {
        var loaded = ConfigLoader.LoadText("defaults\n    log global\n    log 127.0.0.1 local0\nfrontend fe\n    bind 127.0.0.1:1\n    no log\n", "t.cfg", _ => null);
        var fe = loaded.Config!.Frontends.Single();
        Assert.False(fe.LogGlobal);
        Assert.Empty(fe.Logs);
    }
}

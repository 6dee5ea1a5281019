using System.Text.RegularExpressions;
using Lb.Actors.Logging;
using Lb.Config;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Logging;

/// <summary>
/// What each 'log' target sends, header by header, compared with lines captured from haproxy
/// 2.6.12 (e.g. "&lt;134&gt;Dec  5 18:33:14 haproxy[6076]: msg", "&lt;137&gt;1
/// 2026-12-05T18:33:13.062832+00:00 - haproxy 6076 - - msg"), through a <see cref="LogService"/>.
/// </summary>
public sealed class LogTargetTests
{
    private static (LogService Service, LogTargets Targets) Start(string globalLines, string proxyLines = "    log global")
    {
        var loaded = ConfigLoader.LoadText($"global\n{globalLines}\ndefaults\n    mode http\nbackend be\n{proxyLines}\n    server s1 127.0.0.1:1\n", "t.cfg", _ => null);
        Assert.True(loaded.Config != null, string.Join("\n", loaded.Alerts));
        var service = new LogService(loaded.Config!);
        var targets = service.For(loaded.Config!.Backends.Single());
        Assert.NotNull(targets);
        return (service, targets!);
    }

    private static async Task<List<string>> SendAsync(SyslogListener syslog, string globalLines, int count, params (int Level, string Text)[] messages)
    {
        var (service, targets) = Start(globalLines);
        using (service)
        {
            foreach (var (level, text) in messages) service.Post(targets, level, text);
            return await syslog.WaitForAsync(count, TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task Rfc3164_Default_PriorityDateTagPid()
    {
        using var syslog = new SyslogListener();
        var lines = await SendAsync(syslog, $"    log {syslog.Address} local0", 1, (Syslog.Info, "hello"));
        Assert.Matches(new Regex($@"^<134>[A-Z][a-z]{{2}} [ \d]\d \d\d:\d\d:\d\d haproxy\[{Environment.ProcessId}\]: hello\n$"), lines[0]);
    }

    [Fact]
    public async Task Rfc5424_IsoTimeNilHostTagPid()
    {
        using var syslog = new SyslogListener();
        var lines = await SendAsync(syslog, $"    log {syslog.Address} format rfc5424 local1", 1, (Syslog.Alert, "down"));
        Assert.Matches(new Regex($@"^<137>1 \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{6}}[+-]\d\d:\d\d - haproxy {Environment.ProcessId} - - down\n$"), lines[0]);
    }

    [Theory]
    [InlineData("local", @"^<142>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d mytag\[\d+\]: m\n$")]
    [InlineData("rfc3164", @"^<142>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d myhost mytag\[\d+\]: m\n$")]
    [InlineData("rfc5424", @"^<142>1 \S+ myhost mytag \d+ - - m\n$")]
    [InlineData("iso", @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d m\n$")]
    [InlineData("timed", @"^<6>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d m\n$")]
    [InlineData("priority", @"^<142>m\n$")]
    [InlineData("short", @"^<6>m\n$")]
    [InlineData("raw", @"^m\n$")]
    public async Task Format_EachHeaderShape_AsHaproxy(string format, string pattern)
    {
        using var syslog = new SyslogListener();
        var lines = await SendAsync(syslog, $"    log {syslog.Address} format {format} local1\n    log-send-hostname myhost\n    log-tag mytag", 1, (Syslog.Info, "m"));
        Assert.Matches(new Regex(pattern), lines[0]);
    }

    [Fact]
    public async Task Len_LongLine_TruncatedToLenThenNewline()
    {
        using var syslog = new SyslogListener();
        var lines = await SendAsync(syslog, $"    log {syslog.Address} len 80 local5", 1, (Syslog.Info, new string('x', 500)));
        Assert.Equal(81, lines[0].Length);
        Assert.EndsWith("x\n", lines[0]);
    }

    [Fact]
    public async Task Levels_AboveMaxDropped_BelowMinRaised()
    {
        using var syslog = new SyslogListener();
        // max level notice: info and debug are not sent; minlevel err: alert is sent as err.
        var lines = await SendAsync(syslog, $"    log {syslog.Address} local7 notice err", 2,
            (Syslog.Info, "info"), (Syslog.Alert, "alert"), (Syslog.Notice, "notice"));
        await Task.Delay(100);
        Assert.Equal(2, syslog.Lines.Count);
        Assert.StartsWith("<187>", lines.Single(l => l.EndsWith("alert\n")));  // 23*8 + 3
        Assert.StartsWith("<189>", lines.Single(l => l.EndsWith("notice\n"))); // 23*8 + 5
    }

    [Fact]
    public async Task Sample_OneOfTwo_EveryOtherLineSent()
    {
        using var syslog = new SyslogListener();
        var lines = await SendAsync(syslog, $"    log {syslog.Address} sample 1:2 local0", 3,
            Enumerable.Range(1, 6).Select(i => (Syslog.Info, "n" + i)).ToArray());
        await Task.Delay(100);
        Assert.Equal(new[] { "n1", "n3", "n5" }, syslog.Lines.Select(l => Rfc3164Line.Parse(l).Message));
    }

    [Fact]
    public async Task ProxyLogTag_OverridesGlobal()
    {
        using var syslog = new SyslogListener();
        var (service, targets) = Start($"    log {syslog.Address} local0\n    log-tag global", "    log global\n    log-tag mine");
        using (service)
        {
            service.Post(targets, Syslog.Info, "x");
            Assert.Equal("mine", Rfc3164Line.Parse((await syslog.WaitForAsync(1, TimeSpan.FromSeconds(5)))[0]).Tag);
        }
    }

    [Fact]
    public void NoLogGlobal_ProxyWithoutTargets_HasNone()
    {
        var loaded = ConfigLoader.LoadText("global\n    log 127.0.0.1:9 local0\nbackend be\n    server s1 127.0.0.1:1\n", "t.cfg", _ => null);
        using var service = new LogService(loaded.Config!);
        Assert.Null(service.For(loaded.Config!.Backends.Single()));
    }

    [Fact]
    public void UnsupportedTarget_ReportedAndIgnored()
    {
        var loaded = ConfigLoader.LoadText("global\n    log ring@buf local0\n    log 127.0.0.1:9 local0\nbackend be\n    log global\n    server s1 127.0.0.1:1\n", "t.cfg", _ => null);
        Assert.NotNull(loaded.Config);
        using var service = new LogService(loaded.Config!);
        var targets = service.For(loaded.Config!.Backends.Single());
        Assert.Single(targets!.Sinks);
        Assert.Contains(service.TakeProblems(), p => p.Contains("ring@buf"));
    }
}

using Lb.Config;
using Lb.Config.Diagnostics;
using Lb.Config.Model;
using Lb.Tests.Support;
using Xunit;

namespace Lb.Tests.Config;

/// <summary>The 11 configs of the seed article: all load, legacy keywords are translated with a warning.</summary>
public class SeedConfigTests
{
    public static IEnumerable<object[]> SeedFiles() =>
        Directory.GetFiles(RepoPaths.SeedConfigs, "*.cfg").Order().Select(f => new object[] { Path.GetFileName(f) });

    private static LoadResult Load(string name) => ConfigLoader.Load(new[] { Path.Combine(RepoPaths.SeedConfigs, name) });

    [Fact]
    public void SeedDirectory_HasElevenConfigs() => Assert.Equal(11, SeedFiles().Count());

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public void Load_SeedConfig_HasNoAlerts(string name)
    {
        var result = Load(name);
        Assert.True(result.Success, string.Join("\n", result.Alerts));
        Assert.NotEmpty(result.Config!.Proxies);
    }

    // file, line, keyword: every legacy keyword of the seed configs and where it is.
    public static IEnumerable<object[]> LegacyKeywords() => new[]
    {
        new object[] { "02-case.cfg", 7, "nbproc" },
        new object[] { "03-reference.cfg", 8, "nbproc" },
        new object[] { "03-reference.cfg", 22, "contimeout" },
        new object[] { "03-reference.cfg", 23, "clitimeout" },
        new object[] { "03-reference.cfg", 24, "srvtimeout" },
        new object[] { "04-check-port.cfg", 1, "listen" },
        new object[] { "05-check-uri.cfg", 1, "listen" },
        new object[] { "06-check-header.cfg", 1, "listen" },
        new object[] { "06-check-header.cfg", 5, "option" },
        new object[] { "07-l7-host.cfg", 9, "reqirep" },
        new object[] { "11-persistence.cfg", 14, "appsession" },
    };

    [Theory]
    [MemberData(nameof(LegacyKeywords))]
    public void Load_LegacyKeyword_WarnsWithFileLineAndModernForm(string name, int line, string keyword)
    {
        var result = Load(name);
        var warning = Assert.Single(result.Warnings, w => w.Keyword == keyword && w.Location?.Line == line);
        Assert.EndsWith(name, warning.Location!.Value.File);
        Assert.Contains("translated to", warning.Message);
    }

    [Fact]
    public void Reference_OldTimeouts_BecomeModernTimeouts()
    {
        var config = Load("03-reference.cfg").Config!;
        var fe = config.FindProxy("http_80_in")!;
        var be = config.FindBackend("php_server")!;
        Assert.Equal(TimeSpan.FromSeconds(5), be.Timeouts.Connect);
        Assert.Equal(TimeSpan.FromSeconds(3), fe.Timeouts.Client);
        Assert.Equal(TimeSpan.FromSeconds(3), be.Timeouts.Server);
        Assert.True(be.HasOption("redispatch"));
        Assert.True(be.HasOption("httpclose"));
        Assert.Equal(16, config.Global.NbThread);
        Assert.Equal(4096, config.Global.MaxConn);
    }

    [Fact]
    public void Reference_ServersKeepWeightsCookiesAndBackup()
    {
        var be = Load("03-reference.cfg").Config!.FindBackend("php_server")!;
        Assert.Equal(BalanceAlgorithm.Source, be.Balance.Algorithm);
        Assert.Equal("SERVERID", be.Cookie!.Name);
        Assert.Equal(CookieMode.Passive, be.Cookie.Mode);
        Assert.Equal(new[] { 2, 1, 1 }, be.Servers.Select(s => s.Weight));
        Assert.Equal(new[] { "1", "2", "3" }, be.Servers.Select(s => s.Cookie));
        Assert.True(be.Servers[2].Backup);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), be.Servers[2].Inter);
        Assert.All(be.Servers, s => Assert.Equal(3, s.Rise));
        Assert.Equal("GET", be.HttpCheck.Method);
        Assert.Equal("/test/index.php", be.HttpCheck.Uri);
    }

    [Fact]
    public void ListenWithAddress_BecomesListenWithBind()
    {
        var px = Load("04-check-port.cfg").Config!.FindProxy("http_proxy")!;
        Assert.Equal(SectionKind.Listen, px.Kind);
        var ep = Assert.Single(Assert.Single(px.Binds).Endpoints);
        Assert.Equal(80, ep.Port);
        Assert.True(ep.IsWildcard);
        Assert.Equal("OPTIONS", px.HttpCheck.Method);
        Assert.Equal(TimeSpan.FromMilliseconds(500), px.Servers[1].Inter);
        Assert.Equal(1, px.Servers[1].Rise);
        Assert.Equal(2, px.Servers[1].Fall);
    }

    [Fact]
    public void CheckHeader_LegacyVersionString_SplitsHeaders()
    {
        var px = Load("06-check-header.cfg").Config!.FindProxy("http_proxy")!;
        Assert.Equal("HEAD", px.HttpCheck.Method);
        Assert.Equal("/index.jsp", px.HttpCheck.Uri);
        Assert.Equal("HTTP/1.1", px.HttpCheck.Version);
        var header = Assert.Single(px.HttpCheck.Headers);
        Assert.Equal("Host", header.Key);
        Assert.Equal("www.xxx.com", header.Value);
        Assert.True(px.HttpCheck.DisableOn404);
        Assert.True(px.HttpCheck.SendState);
        var web2 = px.FindServer("web2")!;
        Assert.Equal(10, web2.ErrorLimit);
        Assert.Equal(ObserveMode.Layer7, web2.Observe);
        Assert.Equal(OnErrorAction.MarkDown, web2.OnError);
    }

    [Fact]
    public void L7Host_Reqirep_BecomesReplaceHeaderRule()
    {
        var fe = Load("07-l7-host.cfg").Config!.FindProxy("main")!;
        var rule = Assert.Single(fe.Rules);
        Assert.Equal("http-request", rule.Keyword);
        Assert.Equal("replace-header", rule.Action);
        Assert.Equal(new[] { "Host", "(?i)^www.abc.com(.*)", "abc.com\\1" }, rule.Args);
        Assert.Equal(4, fe.Acls.Length);
        Assert.Equal(3, fe.UseBackends.Length);
        Assert.Equal(2, fe.UseBackends[2].Condition!.AnyOf[0].Length);
        Assert.Equal("default-servers", fe.DefaultBackend);
    }

    [Fact]
    public void UaRedirect_RedirectsKeepTheirConditions()
    {
        var fe = Load("09-ua-redirect.cfg").Config!.FindProxy("club")!;
        Assert.Equal(2, fe.Redirects.Length);
        Assert.All(fe.Redirects, r => Assert.Equal(RedirectKind.Prefix, r.Kind));
        Assert.Equal("http://3g.club.jesse.com", fe.Redirects[0].Target);
        Assert.Equal(new[] { "ua", "static_d", "club" }, fe.Redirects[0].Condition!.Terms.Select(t => t.Name));
        var ua = fe.Acls.Single(a => a.Name == "ua");
        Assert.True(ua.IgnoreCase);
        Assert.Equal(new[] { "iphone", "android" }, ua.Patterns);
    }

    [Fact]
    public void MysqlSource_StatsSocketAndServerSource()
    {
        var config = Load("10-mysql-source.cfg").Config!;
        var socket = Assert.Single(config.Global.StatsSockets);
        Assert.Equal("/usr/local/haproxy/haproxy.sock", socket.Address.Host);
        Assert.Equal("admin", socket.Level);
        Assert.Equal(TimeSpan.FromMinutes(2), config.Global.StatsTimeout);
        var px = config.FindProxy("mysql")!;
        Assert.Equal(ProxyMode.Tcp, px.Mode);
        Assert.Equal(BalanceAlgorithm.LeastConn, px.Balance.Algorithm);
        Assert.Equal("10.0.3.100:1025-65000", px.Servers[0].Source);
    }

    [Fact]
    public void Persistence_AppsessionBecomesStickTableOnTheCookie()
    {
        var config = Load("11-persistence.cfg").Config!;
        var app = config.FindBackend("app")!;
        Assert.Equal(StickTableType.String, app.StickTable!.Type);
        Assert.Equal(52, app.StickTable.KeyLength);
        Assert.Equal(TimeSpan.FromHours(3), app.StickTable.Expire);
        Assert.Contains(app.StickRules, r => r.Kind == StickRuleKind.StoreResponse && r.Pattern == "res.cook(JSESSIONID)");
        Assert.Contains(app.StickRules, r => r.Kind == StickRuleKind.Match && r.Pattern == "req.cook(JSESSIONID)");
        Assert.Equal(CookieMode.Insert, app.Cookie!.Mode);
        Assert.True(app.Cookie.Indirect && app.Cookie.NoCache);

        Assert.Equal("userid", config.FindBackend("by_param")!.Balance.ParamName);
        Assert.Equal("X-User", config.FindBackend("by_header")!.Balance.HeaderName);
        Assert.Equal("mstshash", config.FindBackend("by_rdp")!.Balance.CookieName);
        Assert.Equal(BalanceAlgorithm.StaticRr, config.FindBackend("by_weight")!.Balance.Algorithm);
        Assert.Equal(100, config.FindBackend("by_conn")!.Servers[0].MaxConn);
    }

    [Fact]
    public void Case_ForwardforHeaderAndStatsAuth()
    {
        var config = Load("02-case.cfg").Config!;
        var be = config.FindBackend("backend_www_example_com")!;
        Assert.Equal(new[] { "header", "X-REAL-IP" }, be.ArgsOf("forwardfor"));
        Assert.Equal(30, be.Servers[0].Rise);
        var stats = config.FindProxy("stats")!.Stats;
        Assert.True(stats.Enabled);
        Assert.Equal("/haproxy-status", stats.Uri);
        Assert.Equal(new[] { "haproxy:saltstack" }, stats.Auth);
        Assert.Equal("/usr/local/haproxy/logs/haproxy.pid", config.Global.PidFile);
        Assert.True(config.Global.Daemon);
    }
}

using Lb.Config;
using Lb.Config.Model;
using Xunit;

namespace Lb.Tests.Config;

/// <summary>Keywords land in the model with HAProxy's meaning.</summary>
public class KeywordModelTests
{
    private static Proxy Proxy(string body, string name = "p", string kind = "listen")
    {
        var r = ConfigLoader.LoadText($"{kind} {name}\n{body}", "t.cfg");
        Assert.True(r.Success, string.Join("\n", r.Alerts));
        return r.Config!.FindProxy(name)!;
    }

    [Theory]
    [InlineData("balance roundrobin", BalanceAlgorithm.RoundRobin)]
    [InlineData("balance static-rr", BalanceAlgorithm.StaticRr)]
    [InlineData("balance leastconn", BalanceAlgorithm.LeastConn)]
    [InlineData("balance first", BalanceAlgorithm.First)]
    [InlineData("balance source", BalanceAlgorithm.Source)]
    [InlineData("balance random", BalanceAlgorithm.Random)]
    [InlineData("balance uri", BalanceAlgorithm.Uri)]
    [InlineData("balance url_param id", BalanceAlgorithm.UrlParam)]
    [InlineData("balance hdr(Host)", BalanceAlgorithm.Header)]
    [InlineData("balance rdp-cookie", BalanceAlgorithm.RdpCookie)]
    [InlineData("balance hash req.cookie(id)", BalanceAlgorithm.Hash)]
    public void Balance_Algorithms(string line, BalanceAlgorithm algo) => Assert.Equal(algo, Proxy(line).Balance.Algorithm);

    [Fact]
    public void Balance_Arguments()
    {
        var uri = Proxy("balance uri whole len 12 depth 3 path-only").Balance;
        Assert.True(uri.UriWhole && uri.UriPathOnly);
        Assert.Equal(12, uri.UriLen);
        Assert.Equal(3, uri.UriDepth);
        var param = Proxy("balance url_param sid check_post 64").Balance;
        Assert.True(param.CheckPost);
        Assert.Equal(64, param.CheckPostMaxWait);
        Assert.True(Proxy("balance hdr(host) use_domain_only").Balance.UseDomainOnly);
        Assert.Equal(3, Proxy("balance random(3)").Balance.RandomDraws);
        Assert.Equal("user", Proxy("balance rdp-cookie(user)").Balance.CookieName);
    }

    [Fact]
    public void HashType_MethodFunctionModifier()
    {
        var h = Proxy("hash-type consistent djb2 avalanche").HashType;
        Assert.Equal(new HashType(HashMethod.Consistent, HashFunction.Djb2, true), h);
        Assert.Equal(HashType.Default, Proxy("balance source").HashType);
        // HAProxy: a bare 'consistent' means sdbm with avalanche; an explicit function does not.
        Assert.Equal(new HashType(HashMethod.Consistent, HashFunction.Sdbm, true), Proxy("hash-type consistent").HashType);
        Assert.Equal(new HashType(HashMethod.Consistent, HashFunction.Sdbm, false), Proxy("hash-type consistent sdbm").HashType);
    }

    [Fact]
    public void Cookie_AllOptions()
    {
        var c = Proxy("cookie SRV insert indirect nocache postonly preserve httponly secure domain .a.com domain .b.com maxidle 30m maxlife 8h attr SameSite=Lax").Cookie!;
        Assert.Equal(CookieMode.Insert, c.Mode);
        Assert.True(c.Indirect && c.NoCache && c.PostOnly && c.Preserve && c.HttpOnly && c.Secure);
        Assert.Equal(new[] { ".a.com", ".b.com" }, c.Domains);
        Assert.Equal(TimeSpan.FromMinutes(30), c.MaxIdle);
        Assert.Equal(TimeSpan.FromHours(8), c.MaxLife);
        Assert.Equal(new[] { "SameSite=Lax" }, c.Attributes);
    }

    [Fact]
    public void Server_AllModelledOptions()
    {
        var s = Proxy("server s1 10.0.0.1:80 check inter 3s fastinter 1s downinter 10s rise 4 fall 5 port 8080 addr 10.0.0.9 weight 0 backup disabled maxconn 50 maxqueue 20 cookie c1 slowstart 30s observe layer4 error-limit 7 on-error sudden-death on-marked-down shutdown-sessions on-marked-up shutdown-backup-sessions source 10.0.0.2 id 12 check-send-proxy ssl verify none")
            .Servers[0];
        Assert.True(s.Check && s.Backup && s.Disabled && s.CheckSendProxy);
        Assert.Equal(TimeSpan.FromSeconds(3), s.Inter);
        Assert.Equal(TimeSpan.FromSeconds(1), s.FastInter);
        Assert.Equal(TimeSpan.FromSeconds(10), s.DownInter);
        Assert.Equal((4, 5, 8080, 0), (s.Rise, s.Fall, s.CheckPort!.Value, s.Weight));
        Assert.Equal("10.0.0.9", s.CheckAddr);
        Assert.Equal((50, 20), (s.MaxConn, s.MaxQueue));
        Assert.Equal("c1", s.Cookie);
        Assert.Equal(TimeSpan.FromSeconds(30), s.SlowStart);
        Assert.Equal(ObserveMode.Layer4, s.Observe);
        Assert.Equal(7, s.ErrorLimit);
        Assert.Equal(OnErrorAction.SuddenDeath, s.OnError);
        Assert.True(s.OnMarkedDownShutdownSessions && s.OnMarkedUpShutdownBackupSessions);
        Assert.Equal("10.0.0.2", s.Source);
        Assert.Equal(12, s.Id);
        Assert.Equal("none", s.OtherOptions["verify"]);
        Assert.True(s.OtherOptions.ContainsKey("ssl"));
    }

    [Fact]
    public void Timeouts_AllKinds()
    {
        var t = Proxy("""
            timeout connect 500ms
            timeout client 50s
            timeout server 1m
            timeout check 2000
            timeout queue 1m
            timeout http-request 10s
            timeout http-keep-alive 2000
            timeout tunnel 1h
            timeout client-fin 1s
            timeout server-fin 1000000us
            timeout tarpit 3s
            """).Timeouts;
        Assert.Equal(TimeSpan.FromMilliseconds(500), t.Connect);
        Assert.Equal(TimeSpan.FromSeconds(50), t.Client);
        Assert.Equal(TimeSpan.FromMinutes(1), t.Server);
        Assert.Equal(TimeSpan.FromSeconds(2), t.Check);
        Assert.Equal(TimeSpan.FromMinutes(1), t.Queue);
        Assert.Equal(TimeSpan.FromSeconds(10), t.HttpRequest);
        Assert.Equal(TimeSpan.FromSeconds(2), t.HttpKeepAlive);
        Assert.Equal(TimeSpan.FromHours(1), t.Tunnel);
        Assert.Equal(TimeSpan.FromSeconds(1), t.ClientFin);
        Assert.Equal(TimeSpan.FromSeconds(1), t.ServerFin);
        Assert.Equal(TimeSpan.FromSeconds(3), t.Tarpit);
    }

    [Fact]
    public void HttpCheck_SendAndExpect()
    {
        var hc = Proxy("""
            option httpchk
            http-check send meth GET uri /health ver HTTP/1.1 hdr Host example.com
            http-check expect ! rstatus ^5
            """).HttpCheck;
        Assert.True(hc.Enabled);
        Assert.Equal(("GET", "/health", "HTTP/1.1"), (hc.Method, hc.Uri, hc.Version));
        Assert.Equal("example.com", Assert.Single(hc.Headers).Value);
        var expect = Assert.Single(hc.Expects);
        Assert.True(expect.Negated);
        Assert.Equal(("rstatus", "^5"), (expect.Matcher, expect.Pattern));
    }

    [Theory]
    [InlineData("option httpchk", "OPTIONS", "/", "HTTP/1.0")]
    [InlineData("option httpchk /ping", "OPTIONS", "/ping", "HTTP/1.0")]
    [InlineData("option httpchk GET /ping", "GET", "/ping", "HTTP/1.0")]
    [InlineData("option httpchk HEAD / HTTP/1.1", "HEAD", "/", "HTTP/1.1")]
    public void Httpchk_ArgumentForms(string line, string method, string uri, string version)
    {
        var hc = Proxy(line).HttpCheck;
        Assert.Equal((method, uri, version), (hc.Method, hc.Uri, hc.Version));
    }

    [Fact]
    public void Conditions_AndOrNegationAnonymous()
    {
        var p = Proxy("""
            mode http
            acl a path_beg /a
            acl b hdr(host) -i example.com
            acl a path_beg /aa
            use_backend x if a !b || { src 10.0.0.0/8 } or METH_POST
            backend x
                mode http
            """, kind: "frontend");
        Assert.Equal(3, p.Acls.Length);
        var cond = p.UseBackends[0].Condition!;
        Assert.False(cond.Unless);
        Assert.Equal(3, cond.AnyOf.Length);
        Assert.Equal(new[] { false, true }, cond.AnyOf[0].Select(t => t.Negated));
        Assert.Equal("src", cond.AnyOf[1][0].Anonymous!.Criterion);
        Assert.Equal(new[] { "10.0.0.0/8" }, cond.AnyOf[1][0].Anonymous!.Patterns);
        Assert.Equal("METH_POST", cond.AnyOf[2][0].Name);
    }

    [Fact]
    public void Acl_FlagsAndPatterns()
    {
        var acl = Proxy("acl x hdr_sub(user-agent) -i -m sub -f /dev/null -- -dash android", kind: "frontend").Acls[0];
        Assert.True(acl.IgnoreCase);
        Assert.Equal("sub", acl.MatchMethod);
        Assert.Equal(new[] { "/dev/null" }, acl.PatternFiles);
        Assert.Equal(new[] { "-dash", "android" }, acl.Patterns);
    }

    [Fact]
    public void Rules_KeepActionArgsAndCondition()
    {
        var p = Proxy("""
            mode http
            acl admin path_beg /admin
            http-request deny deny_status 403 if admin
            http-request set-header X-Forwarded-Proto https
            http-response del-header Server
            tcp-request connection reject if { src 192.0.2.0/24 }
            redirect scheme https code 301 if !{ ssl_fc }
            """, kind: "frontend");
        Assert.Equal(4, p.Rules.Length);
        Assert.Equal(new[] { "deny_status", "403" }, p.Rules[0].Args);
        Assert.Equal("admin", p.Rules[0].Condition!.Terms.Single().Name);
        Assert.Equal(new[] { "X-Forwarded-Proto", "https" }, p.Rules[1].Args);
        Assert.Equal("connection", p.Rules[3].Stage);
        var r = Assert.Single(p.Redirects);
        Assert.Equal((RedirectKind.Scheme, "https", 301), (r.Kind, r.Target, r.Code));
        Assert.True(r.Condition!.Terms.Single().Negated);
    }

    [Fact]
    public void StickTable_AndRules()
    {
        var p = Proxy("""
            stick-table type string len 40 size 1m expire 30m store conn_cnt,http_req_rate(10s)
            stick on src
            stick store-response res.cook(SID)
            stick match req.cook(SID) table p
            """, kind: "backend");
        Assert.Equal(StickTableType.String, p.StickTable!.Type);
        Assert.Equal(40, p.StickTable.KeyLength);
        Assert.Equal(1_048_576, p.StickTable.Size);
        Assert.Equal(new[] { "conn_cnt", "http_req_rate(10s)" }, p.StickTable.Store);
        Assert.Equal(new[] { StickRuleKind.On, StickRuleKind.StoreResponse, StickRuleKind.Match }, p.StickRules.Select(r => r.Kind));
        Assert.Equal("p", p.StickRules[2].Table);
    }

    [Fact]
    public void Forwardfor_ErrorfileMonitorLogs()
    {
        var page = Path.GetTempFileName();
        File.WriteAllText(page, "HTTP/1.0 503 Service Unavailable\r\n\r\nbusy\n");
        var p = Proxy($"""
            mode http
            option forwardfor except 127.0.0.0/8 header X-Client if-none
            errorfile 503 {page}
            monitor-uri /alive
            log 127.0.0.1:514 len 2048 format rfc5424 local3 info notice
            log global
            maxconn 2000
            retries 5
            """);
        Assert.Equal(new[] { "except", "127.0.0.0/8", "header", "X-Client", "if-none" }, p.ArgsOf("forwardfor"));
        Assert.Equal(page, p.ErrorFiles[503]);
        File.Delete(page);
        Assert.Equal("/alive", p.MonitorUri);
        var log = Assert.Single(p.Logs);
        Assert.Equal(("127.0.0.1:514", 2048, "rfc5424", "local3", "info", "notice"), (log.Address, log.MaxLength!.Value, log.Format, log.Facility, log.Level, log.MinLevel));
        Assert.True(p.LogGlobal);
        Assert.Equal(2000, p.MaxConn);
        Assert.Equal(5, p.Retries);
    }

    [Fact]
    public void Errorfile_MissingFile_IsAnAlert()
    {
        var r = ConfigLoader.LoadText("listen p\n errorfile 503 /nonexistent/503.http\n", "t.cfg");
        var alert = Assert.Single(r.Alerts);
        Assert.Equal(("errorfile", 2), (alert.Keyword, alert.Location!.Value.Line));
    }

    [Fact]
    public void Global_ProcessKeywords()
    {
        var r = ConfigLoader.LoadText("""
            global
                daemon
                chroot /var/empty
                user haproxy
                group haproxy
                uid 99
                gid 98
                nbthread 4
                pidfile /run/lb.pid
                ulimit-n 65536
                tune.bufsize 32768
                ssl-default-bind-ciphers ECDHE
            """);
        var g = r.Config!.Global;
        Assert.True(g.Daemon);
        Assert.Equal(("/var/empty", "haproxy", 99, 98, 4, "/run/lb.pid", 65536), (g.Chroot, g.User, g.Uid!.Value, g.Gid!.Value, g.NbThread!.Value, g.PidFile, g.UlimitN!.Value));
        Assert.Equal(32768, g.BufSize);
        Assert.Single(g.OtherDirectives);
    }

    [Fact]
    public void OtherSections_AreKept()
    {
        var r = ConfigLoader.LoadText("""
            peers mypeers
                peer lb1 127.0.0.1:10000
            resolvers dns
                nameserver ns1 127.0.0.1:53
            userlist admins
                user admin insecure-password secret
            """);
        Assert.True(r.Success);
        Assert.Equal(new[] { SectionKind.Peers, SectionKind.Resolvers, SectionKind.Userlist }, r.Config!.OtherSections.Select(s => s.Kind));
        Assert.Equal("mypeers", r.Config.OtherSections[0].Name);
    }

    [Fact]
    public void DirectoryOfConfigs_LoadsInNameOrder()
    {
        var dir = Directory.CreateTempSubdirectory("lbcfg");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "20-backend.cfg"), "backend app\n server s 127.0.0.1:80\n");
            File.WriteAllText(Path.Combine(dir.FullName, "10-front.cfg"), "defaults\n mode http\nfrontend fe\n bind 127.0.0.1:80\n default_backend app\n");
            File.WriteAllText(Path.Combine(dir.FullName, "ignored.txt"), "garbage");
            var r = ConfigLoader.Load(new[] { dir.FullName });
            Assert.True(r.Success, string.Join("\n", r.Alerts));
            Assert.Equal(new[] { "fe", "app" }, r.Config!.Proxies.Select(p => p.Name));
            Assert.Equal(ProxyMode.Http, r.Config.Proxies[1].Mode);
        }
        finally { dir.Delete(true); }
    }
}

using System.Text;
using Lb.Actors.Rules.Fetching;
using Lb.Actors.Rules.Format;
using Lb.Actors.Rules.Matching;
using Lb.Actors.Rules.Patterns;
using Xunit;

namespace Lb.Tests.Rules.Patterns;

/// <summary>The pattern store: references built from the config, runtime changes reaching the compiled rules, map semantics.</summary>
public sealed class PatternStoreTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lb-patterns-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static PatternStore Store(RulesRig rig) => PatternStore.For(rig.Backends);

    [Fact]
    public void AddSetDelClearMap_UseBackendWithMap_NextRequestRoutedByTheNewEntries()
    {
        var hosts = WriteFile("hosts.map", "# hosts\na.example.com b1\n\n  b.example.com   b2  \n");
        var rig = RulesRig.ForFrontend($"""
            use_backend %[req.hdr(host),lower,map({hosts},b4)]
            default_backend b3
            """);
        var store = Store(rig);
        Assert.Equal("b1", rig.Run(RulesRig.Req("A.example.com", "/")).Backend);
        Assert.Equal("b2", rig.Run(RulesRig.Req("b.example.com", "/")).Backend);
        Assert.Equal("b4", rig.Run(RulesRig.Req("c.example.com", "/")).Backend);

        Assert.Equal("", store.Add(true, [hosts, "c.example.com", "b2"]));
        Assert.Equal("b2", rig.Run(RulesRig.Req("c.example.com", "/")).Backend);
        Assert.Equal("", store.Set([hosts, "c.example.com", "b1"]));
        Assert.Equal("b1", rig.Run(RulesRig.Req("c.example.com", "/")).Backend);
        Assert.Equal("", store.Add(true, [hosts, "d.example.com", "nosuchbackend"]));
        Assert.Equal("b3", rig.Run(RulesRig.Req("d.example.com", "/")).Backend); // unknown name: default_backend
        Assert.Equal("", store.Delete(true, [hosts, "a.example.com"]));
        Assert.Equal("b4", rig.Run(RulesRig.Req("a.example.com", "/")).Backend);
        Assert.Equal("Key not found.\n", store.Delete(true, [hosts, "a.example.com"]));
        Assert.Equal("", store.Clear(true, [hosts]));
        Assert.Equal("b4", rig.Run(RulesRig.Req("b.example.com", "/")).Backend);
    }

    [Fact]
    public void AddDelAcl_FileAndInlinePatterns_ConditionFollowsTheChanges()
    {
        var blocked = WriteFile("blocked.acl", "/admin\n");
        var rig = RulesRig.ForFrontend($"""
            acl blocked path_beg -f {blocked}
            acl api path_beg /api
            use_backend b1 if blocked
            use_backend b2 if api
            default_backend b3
            """);
        var store = Store(rig);
        var refs = store.References;
        Assert.Equal(blocked, refs[0].File);
        Assert.Equal("acl 'path_beg' file 'haproxy.cfg' line 8. curr_ver=0 next_ver=0 entry_cnt=0", refs[1].Description);
        Assert.Equal("b1", rig.Run(RulesRig.Get("/admin/x")).Backend);
        Assert.Equal("", store.Delete(false, [blocked, "/admin"]));
        Assert.Equal("b3", rig.Run(RulesRig.Get("/admin/x")).Backend);
        Assert.Equal("", store.Add(false, ["#2", "/v2"]));
        Assert.Equal("b2", rig.Run(RulesRig.Get("/v2/x")).Backend);
        var entry = store.References[2].Entries[1];
        Assert.Equal("", store.Delete(false, ["#2", "#" + entry.IdText]));
        Assert.Equal("b3", rig.Run(RulesRig.Get("/v2/x")).Backend);
        Assert.Equal("b2", rig.Run(RulesRig.Get("/api/x")).Backend);
    }

    [Fact]
    public void AddAcl_PatternTheMethodCannotTake_RefusedWithHaproxysTextAndNothingChanged()
    {
        var rig = RulesRig.ForFrontend("""
            acl low src_port 1:100
            acl net src 10.0.0.0/8
            use_backend b1 if low || net
            default_backend b3
            """);
        var store = Store(rig);
        Assert.Equal("'abc' is not a number.\n", store.Add(false, ["#0", "abc"]));
        Assert.Equal("'x.y' is not a valid IPv4 or IPv6 address.\n", store.Add(false, ["#1", "x.y"]));
        Assert.Single(store.References[0].Entries);
        Assert.Equal("Unknown ACL identifier. Please use #<id> or <file>.\n", store.Add(false, ["#7", "1"]));
        Assert.Equal("'add acl' expects two parameters: ACL identifier and pattern.\n", store.Add(false, ["#0"]));
        Assert.Equal("", store.Add(false, ["#1", "192.168.0.0/16"]));
        Assert.Equal("b1", rig.Run(RulesRig.Get("/"), client: "192.168.3.4:50000").Backend);
    }

    [Fact]
    public void ShowAcl_IntegerOperators_StoredAsHaproxysRanges()
    {
        var rig = RulesRig.ForFrontend("""
            acl big hdr_val(content-length) gt 100000
            acl ports dst_port 80 8080:8090 ge 9000 lt 5
            use_backend b1 if big || ports
            default_backend b3
            """);
        var store = Store(rig);
        Assert.Equal(["100001:"], store.References[0].Entries.Select(e => e.Key));
        Assert.Equal(["80", "8080:8090", "9000:", ":4"], store.References[1].Entries.Select(e => e.Key));
        Assert.Equal("type=int, case=sensitive, match=yes, idx=list, pattern=\"9000:\"\n", store.Get(false, ["#1", "9500"]));
        Assert.Equal("'lt' is not a number.\n", store.Add(false, ["#0", "lt"]));
        Assert.Equal("'eq' is not a number.\n", store.Add(false, ["#0", "eq"]));
        Assert.Contains("entry_cnt=18446744073709551615", store.Show(false, [])); // haproxy's unsigned count after two refused adds
    }

    [Fact]
    public void AclFetchWithMapConverter_MethodFound_MatchesMappedHostsOnly()
    {
        var hosts = WriteFile("hosts.map", "a.example.com x\n");
        var rig = RulesRig.ForFrontend($"""
            acl mapped req.hdr(host),lower,map({hosts}) -m found
            use_backend b1 if mapped
            default_backend b3
            """);
        Assert.Equal("b1", rig.Run(RulesRig.Req("A.EXAMPLE.COM", "/")).Backend);
        Assert.Equal("b3", rig.Run(RulesRig.Req("z.example.com", "/")).Backend);
        Assert.Equal("", Store(rig).Add(true, [hosts, "z.example.com", "y"]));
        Assert.Equal("b1", rig.Run(RulesRig.Req("z.example.com", "/")).Backend);
    }

    [Fact]
    public void SetHeaderWithMaps_EveryMatchKind_ValuesAsHaproxy()
    {
        var prefixes = WriteFile("p.map", "/a short\n/a/b longer\n");
        var nets = WriteFile("n.map", "10.0.0.0/8 wide\n10.1.0.0/16 narrow\n");
        var ints = WriteFile("i.map", "1:99 small\n100 hundred\n");
        var regs = WriteFile("r.map", "\\.png$ image\n^/a first\n");
        var doms = WriteFile("d.map", "example.com dom\n");
        var nums = WriteFile("s.map", "alice 007\n");
        var rig = RulesRig.ForFrontend($"""
            http-request set-header X-Beg %[path,map_beg({prefixes},none)]
            http-request set-header X-Sub %[path,map_sub({prefixes},none)]
            http-request set-header X-Ip %[src,map_ip({nets},none)]
            http-request set-header X-Int %[req.hdr(x-n),map_int({ints},none)]
            http-request set-header X-Reg %[path,map_reg({regs},none)]
            http-request set-header X-Dom %[req.hdr(host),map_dom({doms},none)]
            http-request set-header X-Num %[req.hdr(x-user),map_str_int({nums},-1)]
            default_backend b1
            """);
        Assert.Empty(rig.Warnings);
        var r = rig.Run(RulesRig.Req("www.example.com", "/a/b/c.png", "X-N: 100\r\nX-User: alice\r\n"), client: "10.1.2.3:5000").RequestText;
        Assert.Contains("X-Beg: longer\r\n", r);
        Assert.Contains("X-Sub: short\r\n", r);   // list order: the first entry that matches
        Assert.Contains("X-Ip: narrow\r\n", r);   // the most specific network
        Assert.Contains("X-Int: hundred\r\n", r);
        Assert.Contains("X-Reg: image\r\n", r);
        Assert.Contains("X-Dom: dom\r\n", r);
        Assert.Contains("X-Num: 7\r\n", r);       // an integer output is the number
        r = rig.Run(RulesRig.Req("www.other.org", "/z", "X-N: 5\r\nX-User: bob\r\n"), client: "192.168.1.1:5000").RequestText;
        Assert.Contains("X-Beg: none\r\n", r);
        Assert.Contains("X-Ip: none\r\n", r);
        Assert.Contains("X-Int: small\r\n", r);
        Assert.Contains("X-Num: -1\r\n", r);
    }

    [Fact]
    public void MapFile_ValueNotAnInteger_WarnsNamingFileAndLine()
    {
        var nums = WriteFile("bad.map", "a 1\nb xyz\n");
        var rig = RulesRig.ForFrontend($"""
            http-request set-header X-Num %[path,map_str_int({nums},0)]
            default_backend b1
            """);
        Assert.Contains(rig.Warnings, w => w.Contains("haproxy.cfg:8") && w.Contains($"unable to parse 'xyz' at line 2 of file '{nums}'"));
    }

    [Fact]
    public void MapFile_Missing_WarnedNotThrown()
    {
        var rig = RulesRig.ForFrontend($"""
            use_backend %[req.hdr(host),map({_dir.FullName}/none.map,b2)]
            default_backend b1
            """);
        Assert.Contains(rig.Warnings, w => w.Contains("none.map"));
        Assert.Equal("b1", rig.Run(RulesRig.Get("/")).Backend);
    }

    [Fact]
    public void GetMap_SharedFileTwoMatchKinds_OneLinePerExpression()
    {
        var paths = WriteFile("p.map", "/api api\n");
        var rig = RulesRig.ForFrontend($"""
            http-request set-header X-A %[path,map_beg({paths},n)]
            http-request set-header X-B %[path,map_sub({paths},n)]
            http-request set-header X-C %[path,map_end({paths},n)]
            default_backend b1
            """);
        var store = Store(rig);
        Assert.Equal("type=beg, case=sensitive, found=yes, idx=tree, key=\"/api\", value=\"api\", type=\"str\"\n"
            + "type=sub, case=sensitive, found=yes, idx=list, key=\"/api\", value=\"api\", type=\"str\"\n", store.Get(true, [paths, "/api/x"]));
        Assert.Contains("entry_cnt=2", store.Show(true, []));
        Assert.Equal("Missing map identifier and/or key.\n", store.Get(true, [paths]));
    }

    [Fact]
    public void PrepareAddCommit_NewVersion_RequestsSwitchAtCommitOnly()
    {
        var hosts = WriteFile("hosts.map", "a.example.com b1\n");
        var rig = RulesRig.ForFrontend($"""
            use_backend %[req.hdr(host),map({hosts},b3)]
            """);
        var store = Store(rig);
        Assert.Equal("New version created: 1\n", store.Prepare(true, [hosts]));
        Assert.Equal("", store.Add(true, ["@1", hosts, "a.example.com", "b2"]));
        Assert.Equal("Version number in the future, please use 'prepare map' before.\n", store.Add(true, ["@2", hosts, "x", "y"]));
        Assert.Equal("b1", rig.Run(RulesRig.Req("a.example.com", "/")).Backend);
        Assert.Equal("Version number out of range.\n", store.Commit(true, ["@2", hosts]));
        Assert.Equal("Missing version number.\n", store.Commit(true, [hosts]));
        Assert.Equal("", store.Commit(true, ["@1", hosts]));
        Assert.Equal("b2", rig.Run(RulesRig.Req("a.example.com", "/")).Backend);
        Assert.Single(store.References[0].Entries); // the older version is gone
        Assert.Contains("curr_ver=1 next_ver=1 entry_cnt=1", store.Show(true, []));
    }

    [Fact]
    public void MapTable_DuplicateKeys_FirstAddedWins()
    {
        var entries = new[] { new PatternEntry(1, "k", "first"), new PatternEntry(2, "k", "second") };
        var table = MapTable.Build(entries, MatchMethod.Str, false, MapOutput.Str, compiled: false);
        Assert.Equal("first", Encoding.Latin1.GetString(table.Values[table.Find("k"u8)]!));
        Assert.Equal(-1, table.Find("K"u8));
    }

    [Fact]
    public void MapLookup_StrOf10kBegRegIpOf100_AllocatesNothing()
    {
        var big = WriteFile("big.map", string.Join("\n", Enumerable.Range(0, 10_000).Select(i => $"host{i}.example.com be{i % 7}")));
        var beg = WriteFile("beg.map", string.Join("\n", Enumerable.Range(0, 100).Select(i => $"/p{i}/ v{i}")));
        var reg = WriteFile("reg.map", string.Join("\n", Enumerable.Range(0, 100).Select(i => $"^/r{i}/[a-z]+$ v{i}")));
        var ip = WriteFile("ip.map", string.Join("\n", Enumerable.Range(0, 100).Select(i => $"10.{i}.0.0/16 n{i}")));
        var fetches = new[] { $"req.hdr(host),map({big},none)", $"path,map_beg({beg},none)", $"path,map_reg({reg},none)", $"src,map_ip({ip},none)" }
            .Select(e => FetchCatalog.Create(e, null, out _, out var error) ?? throw new Xunit.Sdk.XunitException(error)).ToArray();
        var request = Lb.Tests.Http.HttpTestData.ParseRequest("GET /p77/x HTTP/1.1\r\nHost: host9999.example.com\r\n\r\n");
        var ctx = new Lb.Actors.Rules.RuleContext(System.Net.IPEndPoint.Parse("10.42.1.2:5000"), null, request);
        var expected = new[] { "be3", "v77", "none", "n42" };
        for (int i = 0; i < fetches.Length; i++) Assert.Equal(expected[i], Write(fetches[i], ctx));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n < 100; n++)
            foreach (var f in fetches) Length(f, ctx);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string Write(Fetch f, in Lb.Actors.Rules.RuleContext ctx)
    {
        var b = new ValueBuilder(stackalloc byte[128]);
        try { return f.AppendTo(ctx, ref b) ? Encoding.Latin1.GetString(b.Written) : "<none>"; }
        finally { b.Dispose(); }
    }

    private static int Length(Fetch f, in Lb.Actors.Rules.RuleContext ctx)
    {
        var b = new ValueBuilder(stackalloc byte[128]);
        try { return f.AppendTo(ctx, ref b) ? b.Length : -1; }
        finally { b.Dispose(); }
    }

    [Fact]
    public async Task Changes_WhileRequestsMatch_EveryRequestSeesAWholeSnapshot()
    {
        var hosts = WriteFile("h.map", "a.example.com b1\n");
        var rig = RulesRig.ForFrontend($"""
            use_backend %[req.hdr(host),map({hosts},b2)]
            default_backend b3
            """);
        var store = Store(rig);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var bad = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 20_000 && !stop.IsCancellationRequested; i++)
            {
                var backend = rig.Run(RulesRig.Req("a.example.com", "/")).Backend;
                if (backend is not ("b1" or "b4")) Interlocked.Increment(ref bad);
            }
        })).ToArray();
        for (int i = 0; i < 200 && !stop.IsCancellationRequested; i++)
            Assert.Equal("", store.Set([hosts, "a.example.com", i % 2 == 0 ? "b4" : "b1"]));
        await Task.WhenAll(readers);
        Assert.Equal(0, bad);
    }
}

using Lb.Tests.DataPlane;
using Xunit;
using static Lb.Tests.Stats.StatsTestSupport;

namespace Lb.Tests.Rules.Patterns;

/// <summary>A change made on the stats socket is what the next request of an open keep-alive connection is routed by.</summary>
public sealed class PatternKeepAliveTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lb-patka-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task AddSetMapAndDelAcl_OnTheSocket_NextRequestOnSameConnectionSeesThem()
    {
        await using var one = TestServer.Start("one", Backend);
        await using var two = TestServer.Start("two", Backend);
        var hosts = Path.Combine(_dir.FullName, "hosts.map");
        var deny = Path.Combine(_dir.FullName, "deny.acl");
        await File.WriteAllTextAsync(hosts, "a.example.com be_one\n");
        await File.WriteAllTextAsync(deny, "/secret\n");
        var sock = Path.Combine(_dir.FullName, "lb.sock");
        int fe = FreePort();
        await using var lb = await RunningProxy.StartLbAsync(fixture.System, $"""
            global
                stats socket {sock} mode 600 level admin
            defaults
                mode http
                option http-keep-alive
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            frontend fe
                bind 127.0.0.1:{fe}
                acl denied path_beg -f {deny}
                http-request deny deny_status 403 if denied
                use_backend %[req.hdr(host),map({hosts},be_two)]
            backend be_one
                server one {one.Address}
            backend be_two
                server two {two.Address}
            """);
        using var conn = await RawConnection.ConnectAsync(fe);
        async Task<string> Ask(string path)
        {
            await conn.SendAsync($"GET {path} HTTP/1.1\r\nHost: b.example.com\r\n\r\n");
            var r = await conn.ReadResponseAsync();
            return $"{r.Status} {r.Header("x-server")}";
        }

        Assert.Equal("200 two", await Ask("/"));
        Assert.Equal("403 ", await Ask("/secret"));
        Assert.Equal("\n", await CliAsync(sock, $"add map {hosts} b.example.com be_one"));
        Assert.Equal("200 one", await Ask("/"));
        Assert.Equal("\n", await CliAsync(sock, $"del acl {deny} /secret"));
        Assert.Equal("200 one", await Ask("/secret"));
        // A payload: the lines after "<<" up to an empty line.
        Assert.Equal("\n\n", await CliAsync(sock, $"set map {hosts} b.example.com be_two;add map {hosts} <<\nx.example.com be_one\ny.example.com be_one\n"));
        Assert.Equal("200 two", await Ask("/"));
        Assert.Contains("y.example.com be_one", await CliAsync(sock, $"show map {hosts}"));
        Assert.False(conn.EndOfStream, "the client connection must have stayed open throughout");
    }
}

using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

public class ConnectionSemanticsTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: foo\r\nConnection: Keep-Alive\r\n\r\n", true)]
    public void WantsKeepAlive_Request_PerVersionAndTokens(string raw, bool expected)
    {
        using var req = ParseRequest(raw);
        Assert.Equal(expected, ConnectionSemantics.WantsKeepAlive(req));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true, true)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", true, false)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true, false)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n", true, true)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n", false, false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, true)]
    [InlineData("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, false)]
    public void KeepAlive_ClientAndServerSides(string request, string response, bool client, bool server)
    {
        using var req = ParseRequest(request);
        using var res = ParseResponse(response);
        var framing = BodyFraming.ForResponse(res, req.Method);
        Assert.Equal(client, ConnectionSemantics.ClientKeepAlive(req, framing));
        Assert.Equal(server, ConnectionSemantics.ServerKeepAlive(req, res, framing));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", true, ConnectionHeader.None)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true, ConnectionHeader.KeepAlive)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false, ConnectionHeader.Close)]
    public void ResponseConnectionHeader_AsHaproxyWritesIt(string request, bool keepAlive, ConnectionHeader expected)
    {
        using var req = ParseRequest(request);
        Assert.Equal(expected, ConnectionSemantics.ResponseConnectionHeader(req, keepAlive));
    }

    [Theory]
    [InlineData("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", true)]
    [InlineData("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n", true)]
    [InlineData("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n", false)]
    [InlineData("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n", false)]
    public void ExpectsContinue_Request(string raw, bool expected)
    {
        using var req = ParseRequest(raw);
        Assert.Equal(expected, ConnectionSemantics.ExpectsContinue(req));
    }

    [Theory]
    [InlineData("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", true, true)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, upgrade\r\nUpgrade: h2c\r\n\r\n", true, false)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n", false, false)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\n\r\n", false, false)]
    [InlineData("GET /ws HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n", false, false)]
    public void IsUpgradeRequest_ConnectionUpgradeAndUpgradeHeader(string raw, bool upgrade, bool websocket)
    {
        using var req = ParseRequest(raw);
        Assert.Equal(upgrade, ConnectionSemantics.IsUpgradeRequest(req));
        Assert.Equal(websocket, ConnectionSemantics.IsWebSocketRequest(req));
    }

    [Fact]
    public void IsUpgradeAccepted_101_Tunnel()
    {
        using var res = ParseResponse("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
        Assert.True(ConnectionSemantics.IsUpgradeAccepted(res));
        Assert.Equal(BodyKind.Tunnel, BodyFraming.ForResponse(res, RequestMethod.Get).Kind);
    }
}

using Lb.Tests.DataPlane;

namespace Lb.Tests.Logging;

/// <summary>
/// The HTTP server behind the log tests: what it answers depends on the path, so that each
/// request ends the way a test wants (normal, chunked, 404, bad response, close, truncated body, slow).
/// </summary>
public static class LogBackend
{
    public static async Task Handle(RawConnection c)
    {
        for (int k = 0; k < 1000; k++)
        {
            var req = await c.ReadRequestAsync(Handlers.ServerReadTimeout);
            if (req is null) return;
            var path = req.Target;
            if (path.StartsWith("/chunk"))
                await c.SendAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Srv: chk\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n");
            else if (path.StartsWith("/404"))
                await c.SendAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            else if (path.StartsWith("/bad"))
            {
                await c.SendAsync("HTTP/1.1 abc\r\n\r\n");
                return;
            }
            else if (path.StartsWith("/close"))
                return;
            else if (path.StartsWith("/trunc"))
            {
                await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc");
                await Task.Delay(200);
                return;
            }
            else if (path.StartsWith("/slow"))
            {
                await Task.Delay(3000); // well past "timeout server 1s", even on a loaded machine
                await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
            else
                await c.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nSet-Cookie: SRV=s1; path=/\r\nX-Srv: abcdefgh\r\nConnection: keep-alive\r\n\r\nhello\n");
            if (req.ConnectionHas("close") || req.Version == "HTTP/1.0") return;
        }
    }
}

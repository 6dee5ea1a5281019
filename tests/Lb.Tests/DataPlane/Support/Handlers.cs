using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Lb.Tests.DataPlane;

/// <summary>Server behaviours shared by the tests.</summary>
public static class Handlers
{
    public static readonly TimeSpan ServerReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Echoes every byte; on the peer's FIN, sends FIN after the echo and returns.</summary>
    public static async Task Echo(RawConnection c)
    {
        var buf = new byte[16 * 1024];
        for (long guard = 0; guard < 10_000_000; guard++)
        {
            int n = await c.ReadIntoAsync(buf, ServerReadTimeout);
            if (n == 0)
            {
                c.ShutdownSend();
                return;
            }
            await c.SendAsync(buf.AsMemory(0, n), ServerReadTimeout);
        }
    }

    /// <summary>Sends "NAME\n" as soon as the connection is accepted, then echoes.</summary>
    public static Func<RawConnection, Task> Banner(string name) => async c =>
    {
        await c.SendAsync(name + "\n");
        await Echo(c);
    };

    /// <summary>
    /// HTTP/1.1 keep-alive server: answers every request 200 with the body
    /// "METHOD TARGET conn=N req=K len=L" (L: request body length) and an X-Conn header; closes
    /// after a request that says Connection: close.
    /// </summary>
    public static async Task HttpOk(RawConnection c)
    {
        for (int k = 1; k <= 100_000; k++)
        {
            var req = await c.ReadRequestAsync(ServerReadTimeout);
            if (req is null) return;
            var body = $"{req.Method} {req.Target} conn={c.Index} req={k} len={req.Body.Length}";
            await c.SendAsync(Response200(body, ("X-Conn", c.Index.ToString())));
            if (req.ConnectionHas("close") || req.Version == "HTTP/1.0" && !req.ConnectionHas("keep-alive"))
                return;
        }
    }

    public static string Response200(string body, params (string Name, string Value)[] headers)
    {
        var sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        foreach (var (n, v) in headers) sb.Append(n).Append(": ").Append(v).Append("\r\n");
        sb.Append("Content-Length: ").Append(Encoding.Latin1.GetByteCount(body)).Append("\r\n\r\n").Append(body);
        return sb.ToString();
    }

    public static string Get(string target, string extraHeaders = "") => $"GET {target} HTTP/1.1\r\nHost: test\r\n{extraHeaders}\r\n";
}

public static class Bytes
{
    public static byte[] Random(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexString(SHA256.HashData(data));

    /// <summary>Equal bytes, or a failure naming the lengths and the first difference (no 4 MiB dumps).</summary>
    public static void AssertEqual(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what)
    {
        if (expected.SequenceEqual(actual)) return;
        int i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i]) i++;
        Assert.Fail($"{what}: expected {expected.Length} bytes, got {actual.Length}; first difference at offset {i}");
    }

    public static string Latin1(ReadOnlySpan<byte> b) => Encoding.Latin1.GetString(b);
}

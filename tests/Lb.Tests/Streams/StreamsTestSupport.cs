using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Xunit;

namespace Lb.Tests.Streams;

/// <summary>One ActorSystem + materializer per test class.</summary>
public sealed class AkkaStreamsFixture : IDisposable
{
    public AkkaStreamsFixture()
    {
        System = ActorSystem.Create("streams-tests", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        Materializer = System.Materializer();
    }

    public ActorSystem System { get; }
    public IMaterializer Materializer { get; }

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}

/// <summary>Tests that measure process-wide things (file descriptors, managed heap) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideCollection
{
    public const string Name = "Streams: process-wide measurements";
}

internal static class Loopback
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>A raw listening socket on 127.0.0.1, ephemeral port.</summary>
    public static Socket RawListener(int backlog = 16)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        s.Listen(backlog);
        return s;
    }

    /// <summary>A connected raw pair: (client, server side accepted from <paramref name="listener"/>).</summary>
    public static async Task<(Socket Client, Socket Server)> RawPair(Socket listener)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        var server = await accept.WaitAsync(Timeout);
        return (client, server);
    }

    public static byte[] RandomBytes(int count, int seed)
    {
        var b = new byte[count];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>Random-sized chunks (1..maxChunk) of <paramref name="data"/>; every third one split into a multi-segment ByteString.</summary>
    public static List<ByteString> Chunks(byte[] data, int seed, int maxChunk = 64 * 1024)
    {
        var rnd = new Random(seed);
        var list = new List<ByteString>();
        var i = 0;
        while (i < data.Length)
        {
            var n = Math.Min(rnd.Next(1, maxChunk + 1), data.Length - i);
            if (n > 2 && list.Count % 3 == 0)
            {
                var half = n / 2;
                // non-compact: two slices of two different arrays
                var a = ByteString.CopyFrom(data, i, half);
                var b = ByteString.FromBytes(data, i + half, n - half);
                list.Add(a + b);
            }
            else
            {
                list.Add(ByteString.FromBytes(data, i, n));
            }
            i += n;
        }
        return list;
    }

    public static string Sha256(byte[] data) => Convert.ToHexString(SHA256.HashData(data));

    /// <summary>Reads until FIN; returns everything read.</summary>
    public static async Task<byte[]> ReadToEnd(Socket s)
    {
        var ms = new MemoryStream();
        var buf = new byte[64 * 1024];
        while (true)
        {
            var n = await s.ReceiveAsync(buf, SocketFlags.None);
            if (n == 0) return ms.ToArray();
            ms.Write(buf, 0, n);
        }
    }

    public static async Task SendAll(Socket s, byte[] data, int chunk = 64 * 1024)
    {
        for (var i = 0; i < data.Length; i += chunk)
            await s.SendAsync(data.AsMemory(i, Math.Min(chunk, data.Length - i)), SocketFlags.None);
    }

    public static int OpenFileDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}

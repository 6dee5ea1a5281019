using System.Buffers;
using System.Threading.Channels;

namespace Lb.Actors.Logging;

/// <summary>
/// Buffers for log lines, rented by the sessions and given back by the sender thread. The shared
/// ArrayPool keeps only a few arrays per core, so buffers that come back in batches from
/// another thread were mostly thrown away and the sessions allocated new ones (about 1 KiB per
/// line under load). This pool holds as many default-sized (1024) buffers as the queue can hold
/// lines; larger 'len' settings use the shared pool.
/// </summary>
internal sealed class LineBufferPool(int capacity)
{
    public const int Size = LogSink.DefaultLength;

    private readonly Channel<byte[]> _free = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite, // more than needed: the extra buffer goes to the GC
    });

    public byte[] Rent(int length)
    {
        if (length > Size) return ArrayPool<byte>.Shared.Rent(length);
        return _free.Reader.TryRead(out var buffer) ? buffer : new byte[Size];
    }

    public void Return(byte[] buffer)
    {
        if (buffer.Length == Size) _free.Writer.TryWrite(buffer);
        else ArrayPool<byte>.Shared.Return(buffer);
    }
}

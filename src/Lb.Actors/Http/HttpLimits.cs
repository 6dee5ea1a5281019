namespace Lb.Actors.Http;

/// <summary>
/// Size limits for a message head, as HAProxy 2.6 applies them (checked against the real haproxy):
/// the raw head must fit in <see cref="BufferSize"/> (tune.bufsize), its decoded form (start line
/// parts, header names and values, 8 bytes per header) in BufferSize - MaxRewrite - 85 (HAProxy's
/// internal HTX overhead), and there must be fewer than <see cref="MaxHeaders"/> header lines
/// (tune.http.maxhdr). Exceeding any of them is answered 400 (502 for a response), never 414/431.
/// </summary>
public sealed record HttpLimits
{
    public const int HtxOverhead = 85;

    public static HttpLimits Default { get; } = new();

    /// <summary>tune.bufsize, 16384 by default.</summary>
    public int BufferSize { get; init; } = 16384;

    /// <summary>tune.maxrewrite, 1024 by default (HAProxy caps it at half the buffer).</summary>
    public int MaxRewrite { get; init; } = 1024;

    /// <summary>tune.http.maxhdr, 101 by default: at most MaxHeaders - 1 header lines.</summary>
    public int MaxHeaders { get; init; } = 101;

    internal int MaxDecodedSize => BufferSize - Math.Min(MaxRewrite, BufferSize / 2) - HtxOverhead;
}

namespace Lb.Actors.Http;

/// <summary>Counts down a Content-Length body as its bytes are forwarded.</summary>
public struct FixedLengthBodyReader
{
    public FixedLengthBodyReader(long length) { Remaining = length; }

    public long Remaining { get; private set; }

    public readonly bool IsComplete => Remaining == 0;

    /// <summary>How many of <paramref name="available"/> bytes belong to this body; the rest is
    /// the next message.</summary>
    public int Advance(int available)
    {
        int take = (int)Math.Min(Remaining, available);
        Remaining -= take;
        return take;
    }

    public long Advance(long available)
    {
        long take = Math.Min(Remaining, available);
        Remaining -= take;
        return take;
    }
}

using System.Numerics;

namespace Lb.Actors.Stats;

/// <summary>
/// A fixed set of 64-bit counters, striped by processor: each core increments its own copy
/// (on its own cache lines), readers add the copies up. Increments stay atomic (two threads can
/// share a processor id after a migration), but cores no longer fight over one cache line on
/// every request.
/// </summary>
public sealed class StripedCounters
{
    private const int LinePad = 8; // longs per 64-byte cache line

    /// <summary>Stripes: the processor count rounded up to a power of two, at most 16.</summary>
    public static readonly int Stripes = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 16));

    private readonly long[] _values;
    private readonly int _stride;

    public StripedCounters(int count)
    {
        Count = count;
        // Each stripe starts on its own line; one line of padding in front keeps the first
        // stripe off the array header's line.
        _stride = (count + LinePad - 1) / LinePad * LinePad;
        _values = new long[LinePad + _stride * Stripes];
    }

    public int Count { get; }

    private int Slot(int index) => LinePad + (Thread.GetCurrentProcessorId() & (Stripes - 1)) * _stride + index;

    public void Increment(int index) => Interlocked.Increment(ref _values[Slot(index)]);

    public void Add(int index, long n) => Interlocked.Add(ref _values[Slot(index)], n);

    public long Get(int index)
    {
        long sum = 0;
        for (int s = 0; s < Stripes; s++) sum += Volatile.Read(ref _values[LinePad + s * _stride + index]);
        return sum;
    }

    /// <summary>Back to zero ('clear counters all'); increments racing with it may survive.</summary>
    public void Reset(int index)
    {
        for (int s = 0; s < Stripes; s++) Volatile.Write(ref _values[LinePad + s * _stride + index], 0);
    }
}

namespace Lb.Actors.Balancing;

/// <summary>
/// HAProxy's hash functions for the hash-based algorithms ('hash-type ... sdbm|djb2|wt6|crc32'),
/// bit for bit, so that a key lands on the same server as with HAProxy, and the 'avalanche'
/// integer mix it also uses to place consistent-hashing nodes.
/// </summary>
public static class HashFunctions
{
    public static uint Sdbm(ReadOnlySpan<byte> key)
    {
        uint h = 0;
        foreach (var c in key) h = c + (h << 6) + (h << 16) - h;
        return h;
    }

    public static uint Djb2(ReadOnlySpan<byte> key)
    {
        uint h = 5381;
        foreach (var c in key) h = (h << 5) + h + c;
        return h;
    }

    public static uint Wt6(ReadOnlySpan<byte> key)
    {
        uint h0 = 0xa53c965a, h1 = 0x5ca6953a;
        int step0 = 6, step1 = 18;
        foreach (var c in key)
        {
            h0 = ~(h0 ^ c);
            h1 = ~(h1 + c);
            uint t = (h1 << step0) | (h1 >> (32 - step0));
            h1 = (h0 << step1) | (h0 >> (32 - step1));
            h0 = t;
            t = ((h0 >> 16) ^ h1) & 0xffff;
            step0 = (int)(t & 0x1f);
            step1 = (int)(t >> 11);
        }
        return h0 ^ h1;
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>The usual CRC-32 (IEEE, reflected 0xEDB88320).</summary>
    public static uint Crc32(ReadOnlySpan<byte> key)
    {
        uint h = ~0u;
        var table = CrcTable;
        foreach (var c in key) h = (h >> 8) ^ table[(h ^ c) & 0xff];
        return ~h;
    }

    /// <summary>Bob Jenkins' full avalanche integer hash followed by HAProxy's spreading multiply.</summary>
    public static uint Avalanche(uint a)
    {
        unchecked
        {
            a = (a + 0x7ed55d16) + (a << 12);
            a = (a ^ 0xc761c23c) ^ (a >> 19);
            a = (a + 0x165667b1) + (a << 5);
            a = (a + 0xd3a2646c) ^ (a << 9);
            a = (a + 0xfd7046c5) + (a << 3);
            a = (a ^ 0xb55a4f09) ^ (a >> 16);
            return a * 3221225473u;
        }
    }

    public static uint Hash(Lb.Config.Model.HashFunction f, ReadOnlySpan<byte> key) => f switch
    {
        Lb.Config.Model.HashFunction.Djb2 => Djb2(key),
        Lb.Config.Model.HashFunction.Wt6 => Wt6(key),
        Lb.Config.Model.HashFunction.Crc32 => Crc32(key),
        _ => Sdbm(key),
    };

    private static uint[] BuildCrcTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int b = 0; b < 8; b++) c = (c & 1) != 0 ? (c >> 1) ^ 0xedb88320 : c >> 1;
            t[i] = c;
        }
        return t;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Lb.Actors.Stats;

/// <summary>
/// 'stats auth USER:PASS' lines checked against an 'Authorization: Basic ...' header. Every
/// account is compared in constant time and all of them are always compared, so the answer
/// time tells nothing about which user exists or how much of a password matched.
/// </summary>
public sealed class BasicAuth
{
    private readonly byte[][] _accounts;

    public BasicAuth(IEnumerable<string> accounts) =>
        _accounts = accounts.Select(a => Encoding.UTF8.GetBytes(a)).ToArray();

    public bool Required => _accounts.Length > 0;

    /// <summary>True when no account is configured, or the header carries one of them.</summary>
    public bool Allows(string? authorization)
    {
        if (!Required) return true;
        if (authorization is null) return false;
        var value = authorization.AsSpan().Trim();
        if (!value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        byte[] presented;
        try { presented = Convert.FromBase64String(value[6..].Trim().ToString()); }
        catch (FormatException) { return false; }
        bool ok = false;
        foreach (var account in _accounts)
            ok |= Same(account, presented);
        return ok;
    }

    // FixedTimeEquals returns at once on a length mismatch; comparing against a same-length
    // buffer keeps the time independent of the presented length too.
    private static bool Same(byte[] expected, byte[] presented)
    {
        var padded = new byte[expected.Length];
        presented.AsSpan(0, Math.Min(presented.Length, padded.Length)).CopyTo(padded);
        return CryptographicOperations.FixedTimeEquals(expected, padded) & presented.Length == expected.Length;
    }
}

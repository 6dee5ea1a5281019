using System.Security.Cryptography;
using System.Text;

namespace Lb.Actors.Rules.Auth;

/// <summary>
/// The "$5$" (SHA-256) and "$6$" (SHA-512) password hashes of crypt(3) (Ulrich Drepper's
/// SHA-crypt), which haproxy's 'user NAME password HASH' checks through the C library.
/// </summary>
internal static class ShaCrypt
{
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static bool IsSupported(string hash) => hash.StartsWith("$5$", StringComparison.Ordinal) || hash.StartsWith("$6$", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="password"/> hashes to <paramref name="hash"/> (same salt and rounds).</summary>
    public static bool Verify(ReadOnlySpan<byte> password, string hash)
    {
        var computed = Compute(password, hash);
        return computed != null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(hash));
    }

    /// <summary>The full hash string for the password with the salt and rounds of <paramref name="setting"/>, or null.</summary>
    public static string? Compute(ReadOnlySpan<byte> password, string setting)
    {
        bool sha512 = setting.StartsWith("$6$", StringComparison.Ordinal);
        if (!sha512 && !setting.StartsWith("$5$", StringComparison.Ordinal)) return null;
        var rest = setting[3..];
        int rounds = 5000;
        bool customRounds = false;
        if (rest.StartsWith("rounds=", StringComparison.Ordinal))
        {
            int end = rest.IndexOf('$');
            if (end < 0 || !long.TryParse(rest[7..end], out long r)) return null;
            rounds = (int)Math.Clamp(r, 1000, 999_999_999);
            customRounds = true;
            rest = rest[(end + 1)..];
        }
        int dollar = rest.IndexOf('$');
        var saltText = dollar < 0 ? rest : rest[..dollar];
        if (saltText.Length > 16) saltText = saltText[..16];
        var salt = Encoding.ASCII.GetBytes(saltText);
        var hash = sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        int size = sha512 ? 64 : 32;
        var pw = password.ToArray();

        var b = Digest(hash, pw, salt, pw);
        using var a = IncrementalHash.CreateHash(hash);
        a.AppendData(pw);
        a.AppendData(salt);
        int n;
        for (n = pw.Length; n > size; n -= size) a.AppendData(b);
        a.AppendData(b, 0, n);
        for (n = pw.Length; n > 0; n >>= 1) a.AppendData((n & 1) != 0 ? b : pw);
        var c = a.GetHashAndReset();

        using var dp = IncrementalHash.CreateHash(hash);
        for (int i = 0; i < pw.Length; i++) dp.AppendData(pw);
        var p = Repeat(dp.GetHashAndReset(), pw.Length);
        using var ds = IncrementalHash.CreateHash(hash);
        for (int i = 0; i < 16 + c[0]; i++) ds.AppendData(salt);
        var s = Repeat(ds.GetHashAndReset(), salt.Length);

        using var round = IncrementalHash.CreateHash(hash);
        for (int i = 0; i < rounds; i++)
        {
            round.AppendData((i & 1) != 0 ? p : c);
            if (i % 3 != 0) round.AppendData(s);
            if (i % 7 != 0) round.AppendData(p);
            round.AppendData((i & 1) != 0 ? c : p);
            c = round.GetHashAndReset();
        }

        var sb = new StringBuilder(sha512 ? "$6$" : "$5$");
        if (customRounds) sb.Append("rounds=").Append(rounds).Append('$');
        sb.Append(saltText).Append('$');
        if (sha512)
        {
            for (int k = 0; k < 21; k++)
            {
                int x = k, y = k + 21, z = k + 42;
                switch (k % 3)
                {
                    case 0: Encode(sb, c[x], c[y], c[z], 4); break;
                    case 1: Encode(sb, c[y], c[z], c[x], 4); break;
                    default: Encode(sb, c[z], c[x], c[y], 4); break;
                }
            }
            Encode(sb, 0, 0, c[63], 2);
        }
        else
        {
            for (int k = 0; k < 10; k++)
            {
                int x = k, y = k + 10, z = k + 20;
                switch (k % 3)
                {
                    case 0: Encode(sb, c[x], c[y], c[z], 4); break;
                    case 1: Encode(sb, c[z], c[x], c[y], 4); break;
                    default: Encode(sb, c[y], c[z], c[x], 4); break;
                }
            }
            Encode(sb, 0, c[31], c[30], 3);
        }
        return sb.ToString();
    }

    private static byte[] Digest(HashAlgorithmName name, params byte[][] parts)
    {
        using var h = IncrementalHash.CreateHash(name);
        foreach (var part in parts) h.AppendData(part);
        return h.GetHashAndReset();
    }

    private static byte[] Repeat(byte[] digest, int length)
    {
        var r = new byte[length];
        for (int i = 0; i < length; i++) r[i] = digest[i % digest.Length];
        return r;
    }

    private static void Encode(StringBuilder sb, byte b2, byte b1, byte b0, int chars)
    {
        int w = b2 << 16 | b1 << 8 | b0;
        for (int i = 0; i < chars; i++)
        {
            sb.Append(Alphabet[w & 0x3f]);
            w >>= 6;
        }
    }
}

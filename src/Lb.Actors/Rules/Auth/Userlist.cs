using System.Security.Cryptography;
using System.Text;
using Lb.Actors.Http;
using Lb.Config.Model;

namespace Lb.Actors.Rules.Auth;

/// <summary>
/// A 'userlist' section: users with an 'insecure-password' or a crypt(3) 'password' ($5$ and $6$
/// hashes) and their groups ('groups' on the user line, 'users' on the group line). Checks the
/// Basic credentials of a request's Authorization header.
/// </summary>
public sealed class Userlist
{
    private readonly Dictionary<string, User> _users = new(StringComparer.Ordinal);

    private sealed record User(string Name, byte[]? Plain, string? Hash, HashSet<string> Groups);

    public string Name { get; }

    private Userlist(string name) => Name = name;

    /// <summary>Reads the section; unsupported hashes go to <paramref name="warnings"/> (that user never authenticates).</summary>
    public static Userlist From(RawSection section, ICollection<string> warnings)
    {
        var list = new Userlist(section.Name);
        var groupsOf = new List<(string Group, string[] Users)>();
        foreach (var d in section.Lines)
        {
            var w = d.Words;
            if (w.Length >= 2 && w[0] == "user")
            {
                byte[]? plain = null;
                string? hash = null;
                var groups = new HashSet<string>(StringComparer.Ordinal);
                for (int i = 2; i + 1 < w.Length; i += 2)
                {
                    switch (w[i])
                    {
                        case "insecure-password": plain = Encoding.Latin1.GetBytes(w[i + 1]); break;
                        case "password":
                            hash = w[i + 1];
                            if (!ShaCrypt.IsSupported(hash))
                                warnings.Add($"parsing [{d.Location}] : userlist '{section.Name}': user '{w[1]}': only $5$ and $6$ password hashes are supported by Lb (or use insecure-password): this user cannot authenticate.");
                            break;
                        case "groups": groups.UnionWith(w[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                    }
                }
                list._users[w[1]] = new User(w[1], plain, hash, groups);
            }
            else if (w.Length >= 2 && w[0] == "group")
            {
                groupsOf.Add((w[1], w.Length >= 4 && w[2] == "users" ? w[3].Split(',', StringSplitOptions.RemoveEmptyEntries) : []));
            }
        }
        foreach (var (group, users) in groupsOf)
            foreach (var u in users)
                if (list._users.TryGetValue(u, out var user)) user.Groups.Add(group);
        return list;
    }

    /// <summary>The user of valid Basic credentials in <paramref name="request"/>, else null.</summary>
    public string? Authenticate(RequestHead request, out IReadOnlySet<string>? groups)
    {
        groups = null;
        if (!request.TryGetValue("authorization", out var value)) return null;
        value = value.Trim((byte)' ');
        if (value.Length < 6 || !Ascii.EqualsIgnoreCase(value[..6], "basic "u8)) return null;
        var encoded = value[6..].TrimStart((byte)' ');
        Span<byte> decoded = stackalloc byte[Math.Min(encoded.Length, 1024)];
        if (encoded.Length > 1024 || System.Buffers.Text.Base64.DecodeFromUtf8(encoded, decoded, out _, out int n) != System.Buffers.OperationStatus.Done)
            return null;
        decoded = decoded[..n];
        int colon = decoded.IndexOf((byte)':');
        if (colon < 0) return null;
        var name = Encoding.Latin1.GetString(decoded[..colon]);
        var password = decoded[(colon + 1)..];
        if (!_users.TryGetValue(name, out var user)) return null;
        bool ok = user.Plain is { } plain ? CryptographicOperations.FixedTimeEquals(plain, password)
            : user.Hash is { } hash && ShaCrypt.IsSupported(hash) && ShaCrypt.Verify(password, hash);
        if (!ok) return null;
        groups = user.Groups;
        return user.Name;
    }
}

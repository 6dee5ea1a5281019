namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// One entry of a pattern reference: an ACL pattern (no value) or a map line (key and value).
/// <see cref="Id"/> is what 'show acl #N' prints as 0x... and 'del acl #N #0x...' takes back;
/// <see cref="Version"/> the version it belongs to ('add acl @N', 'prepare'/'commit').
/// </summary>
public sealed record PatternEntry(long Id, string Key, string? Value, uint Version = 0)
{
    public string IdText => "0x" + Id.ToString("x");
}

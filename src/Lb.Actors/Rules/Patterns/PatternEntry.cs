namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// One entry of a pattern reference: an ACL pattern (no value) or a map line (key and value).
/// <see cref="Id"/> is what 'show acl #N' prints as 0x... and 'del acl #N #0x...' takes back.
/// </summary>
public sealed record PatternEntry(long Id, string Key, string? Value)
{
    public string IdText => "0x" + Id.ToString("x");
}

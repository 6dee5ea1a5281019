namespace Lb.Config.Keywords;

/// <summary>Where a proxy keyword may appear (HAProxy's defaults/frontend/listen/backend matrix).</summary>
[Flags]
internal enum Cap
{
    None = 0,
    Defaults = 1,
    Frontend = 2,
    Backend = 4,
    /// <summary>Allowed in a named defaults section only (rules and ACLs, HAProxy 2.6).</summary>
    NamedDefaults = 8,
    FB = Frontend | Backend,
    DF = Defaults | Frontend,
    DB = Defaults | Backend,
    All = Defaults | Frontend | Backend,
}

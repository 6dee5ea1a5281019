using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Patterns;

/// <summary>What a map converter outputs (haproxy's map_IN_OUT): text or an integer.</summary>
public enum MapOutput { None, Str, Int }

/// <summary>
/// Something compiled from the entries of pattern references (an ACL line's matcher, a map
/// converter's table). The store calls <see cref="Rebuild"/> after every change, off the data
/// path; the user swaps in its new immutable snapshot, which requests read without a lock.
/// </summary>
internal interface IPatternUser
{
    MatchMethod Method { get; }
    /// <summary>'-i' for the patterns of <paramref name="reference"/> (haproxy applies a flag to the files after it only).</summary>
    bool IgnoreCaseFor(PatternReference reference);
    MapOutput Output { get; }

    /// <summary>Recompiles from the references' current entries.</summary>
    void Rebuild();
}

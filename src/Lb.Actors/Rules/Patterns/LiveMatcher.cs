using System.Net;
using Lb.Actors.Http;
using Lb.Actors.Rules.Matching;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// The matcher of one ACL line whose patterns come from pattern references (its inline patterns,
/// its '-f' files): the compiled matcher of their current entries, replaced as a whole when a
/// reference changes. A request reads the current one with a single volatile read.
/// </summary>
internal sealed class LiveMatcher : Matcher, IPatternUser
{
    private readonly (PatternReference Ref, bool IgnoreCase)[] _sources;
    private volatile Matcher _current;

    private LiveMatcher(MatchMethod method, (PatternReference, bool)[] sources, Matcher initial)
    {
        Method = method;
        _sources = sources;
        _current = initial;
    }

    public MatchMethod Method { get; }
    public MapOutput Output => MapOutput.None;

    public bool IgnoreCaseFor(PatternReference reference)
    {
        foreach (var s in _sources)
            if (s.Ref == reference) return s.IgnoreCase;
        return false;
    }

    /// <summary>Compiles the references' entries; null with the error when a pattern is wrong.</summary>
    public static LiveMatcher? Create(MatchMethod method, (PatternReference, bool)[] sources, out string? error)
    {
        var initial = Compile(method, sources, out error);
        return initial is null ? null : new LiveMatcher(method, sources, initial);
    }

    // The patterns with '-i' and those without make one matcher each (usually there is one).
    private static Matcher? Compile(MatchMethod method, (PatternReference Ref, bool IgnoreCase)[] sources, out string? error)
    {
        error = null;
        var parts = new List<Matcher>(2);
        foreach (bool ignoreCase in new[] { false, true })
        {
            var patterns = new List<string>();
            bool any = false;
            foreach (var s in sources)
            {
                if (s.IgnoreCase != ignoreCase) continue;
                any = true;
                foreach (var e in s.Ref.Live) patterns.Add(e.Key);
            }
            if (!any) continue;
            var m = MatcherFactory.Create(method, patterns, ignoreCase, out error);
            if (m is null) return null;
            parts.Add(m);
        }
        return parts.Count switch
        {
            0 => NeverMatcher.Instance,
            1 => parts[0],
            _ => new EitherMatcher(parts[0], parts[1]),
        };
    }

    public void Rebuild() => _current = Compile(Method, _sources, out _) ?? NeverMatcher.Instance;

    public override bool MatchString(ReadOnlySpan<byte> sample) => _current.MatchString(sample);
    public override bool MatchInt(long sample) => _current.MatchInt(sample);
    public override bool MatchIp(IPAddress sample) => _current.MatchIp(sample);
    public override bool MatchBool(bool sample) => _current.MatchBool(sample);
    public override bool MatchMethod(RequestMethod method, ReadOnlySpan<byte> text) => _current.MatchMethod(method, text);

    private sealed class EitherMatcher(Matcher a, Matcher b) : Matcher
    {
        public override bool MatchString(ReadOnlySpan<byte> sample) => a.MatchString(sample) || b.MatchString(sample);
        public override bool MatchInt(long sample) => a.MatchInt(sample) || b.MatchInt(sample);
        public override bool MatchIp(IPAddress sample) => a.MatchIp(sample) || b.MatchIp(sample);
        public override bool MatchBool(bool sample) => a.MatchBool(sample) || b.MatchBool(sample);
        public override bool MatchMethod(RequestMethod method, ReadOnlySpan<byte> text) => a.MatchMethod(method, text) || b.MatchMethod(method, text);
    }
}

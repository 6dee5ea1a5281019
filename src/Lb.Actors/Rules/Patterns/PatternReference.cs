using System.Text;
using Lb.Config.Diagnostics;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// A pattern reference as haproxy has them: the patterns of one '-f FILE' or map file (shared by
/// every ACL and map converter that loads it), or the inline patterns of one ACL line. Its
/// entries are an immutable array replaced as a whole on a change (under the store's lock); the
/// users compiled from it are rebuilt then.
/// </summary>
public sealed class PatternReference
{
    private readonly List<((int Late, string File, int Line) Key, string Text)> _usedBy = new();
    private readonly string? _inlineDescription;
    private volatile PatternEntry[] _entries = [];

    internal PatternReference(string? file, string? inlineDescription, (int Late, string File, int Line, long Seq) order)
    {
        File = file;
        _inlineDescription = inlineDescription;
        Order = order;
    }

    /// <summary>haproxy's number ('show acl' first column, '#N'), given by the store in config order.</summary>
    public int Id { get; internal set; }

    /// <summary>The file name, or null for an ACL's inline patterns.</summary>
    public string? File { get; }

    public bool IsAcl { get; internal set; }
    public bool IsMap { get; internal set; }

    /// <summary>Loaded by a map converter: its entries carry values ('add acl' is refused).</summary>
    public bool HasSamples { get; internal set; }

    /// <summary>Where haproxy would have created it: its first use in config order (then creation order).</summary>
    internal (int Late, string File, int Line, long Seq) Order { get; private set; }

    /// <summary>Every entry, of every version.</summary>
    public PatternEntry[] Entries => _entries;

    /// <summary>The version requests match (haproxy's curr_ver) and the last one prepared (next_ver).</summary>
    public uint CurrentVersion { get; internal set; }
    public uint NextVersion { get; internal set; }

    /// <summary>The entries of the current version: what the users compile.</summary>
    public PatternEntry[] Live
    {
        get
        {
            var all = _entries;
            uint current = CurrentVersion;
            return all.All(e => e.Version == current) ? all : all.Where(e => e.Version == current).ToArray();
        }
    }

    internal List<IPatternUser> Users { get; } = new();

    internal void Replace(PatternEntry[] entries) => _entries = entries;

    /// <summary>
    /// How far haproxy's entry_cnt strays from entries × expressions: it counts one per
    /// expression an entry is pushed to, but a deleted entry takes one off, and a refused 'add'
    /// one more (checked on haproxy 2.6.12). 'clear' resets it.
    /// </summary>
    internal int CountDrift { get; set; }

    internal void NoteUse(string kind, SourceLocation at, bool late)
    {
        var text = $"{kind} at file '{at.File}' line {at.Line}";
        var key = (late ? 1 : 0, at.File, at.Line);
        if (!_usedBy.Any(u => u.Text == text))
        {
            _usedBy.Add((key, text));
            _usedBy.Sort((a, b) => a.Key.CompareTo(b.Key));
        }
        if (key.CompareTo((Order.Late, Order.File, Order.Line)) < 0) Order = (key.Item1, key.File, key.Line, Order.Seq);
    }

    /// <summary>The expressions haproxy would build for the users: one per index kind, case flag and output.</summary>
    internal List<IPatternUser> Expressions()
    {
        var seen = new List<IPatternUser>();
        foreach (var u in Users)
            if (!seen.Any(s => ExpressionKind.SameExpression(s, u, this))) seen.Add(u);
        return seen;
    }

    public string Description
    {
        get
        {
            var sb = new StringBuilder();
            if (_inlineDescription is { } d) sb.Append(d);
            else
            {
                sb.Append("pattern loaded from file '").Append(File).Append("' used by ");
                sb.AppendJoin(", by ", _usedBy.Select(u => u.Text));
            }
            sb.Append(". curr_ver=").Append(CurrentVersion).Append(" next_ver=").Append(NextVersion).Append(" entry_cnt=")
                .Append(unchecked((ulong)((long)_entries.Length * Expressions().Count + CountDrift))); // haproxy's counter is unsigned: it wraps below 0
            return sb.ToString();
        }
    }
}

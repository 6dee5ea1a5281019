using System.Runtime.CompilerServices;
using Lb.Actors.Backends;
using Lb.Config.Diagnostics;

namespace Lb.Actors.Rules.Patterns;

/// <summary>
/// A node's pattern references (haproxy's pattern_reference list): one per ACL line with its
/// inline patterns, one per '-f' or map file shared by all its users. The rule compilation
/// registers them; the runtime API ('add acl', 'set map'...) changes them. A change replaces a
/// reference's entries and rebuilds its users' snapshots under one lock, on the caller's
/// (admin) thread; requests only read the snapshots.
/// </summary>
public sealed partial class PatternStore
{
    private static readonly ConditionalWeakTable<BackendRegistry, PatternStore> Stores = new();

    private readonly object _gate = new();
    private readonly List<PatternReference> _refs = new();
    private readonly Dictionary<string, PatternReference> _inline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PatternReference> _files = new(StringComparer.Ordinal);
    private long _seq;
    private long _nextEntryId = 0x7f3a00001000;

    /// <summary>The node's store; a private one when there are no backends (unit tests).</summary>
    public static PatternStore For(BackendRegistry? backends) => backends is null ? new PatternStore() : Stores.GetValue(backends, _ => new PatternStore());

    /// <summary>Every reference in haproxy's order, numbered from 0.</summary>
    public IReadOnlyList<PatternReference> References
    {
        get
        {
            lock (_gate)
            {
                var sorted = _refs.OrderBy(r => r.Order.Late).ThenBy(r => r.Order.File, StringComparer.Ordinal)
                    .ThenBy(r => r.Order.Line).ThenBy(r => r.Order.Seq).ToList();
                for (int i = 0; i < sorted.Count; i++) sorted[i].Id = i;
                return sorted;
            }
        }
    }

    private PatternEntry[] NewEntries(IEnumerable<(string Key, string? Value)> items) =>
        items.Select(i => new PatternEntry(_nextEntryId += 0x90, i.Key, i.Value)).ToArray();

    private PatternReference NewRef(string? file, string? description, SourceLocation? at, bool late)
    {
        var r = new PatternReference(file, description, (late ? 1 : 0, at?.File ?? "", at?.Line ?? 0, _seq++));
        _refs.Add(r);
        return r;
    }

    private static string InlineKey(string fetchName, SourceLocation at, IReadOnlyList<string> patterns) =>
        $"{at.File}\n{at.Line}\n{fetchName}\n{string.Join('\n', patterns)}";

    /// <summary>Whether a rule compiled this ACL line already.</summary>
    private bool IsRegistered(Lb.Config.Model.AclDefinition def)
    {
        var fetchName = Fetching.FetchExpression.Parse(def.Criterion, out _)?.Name ?? def.Criterion;
        lock (_gate) return _inline.ContainsKey(InlineKey(fetchName, def.Location, def.Patterns));
    }

    /// <summary>The inline patterns of one ACL line (the same line compiled twice shares it).</summary>
    internal PatternReference Inline(string fetchName, SourceLocation at, IReadOnlyList<string> patterns)
    {
        lock (_gate)
        {
            var key = InlineKey(fetchName, at, patterns);
            if (_inline.TryGetValue(key, out var existing)) return existing;
            var r = NewRef(null, $"acl '{fetchName}' file '{at.File}' line {at.Line}", at, late: false);
            r.IsAcl = true;
            r.Replace(NewEntries(patterns.Select(p => (p, (string?)null))));
            _inline[key] = r;
            return r;
        }
    }

    /// <summary>A '-f FILE' of an ACL: read on first use. Null with the error when unreadable.</summary>
    internal PatternReference? AclFile(string path, SourceLocation at, out string? error)
    {
        error = null;
        lock (_gate)
        {
            if (!_files.TryGetValue(path, out var r))
            {
                List<(string Key, int Line)> lines;
                try { lines = MapFile.ReadPatterns(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error = $"cannot read pattern file '{path}': {e.Message}";
                    return null;
                }
                r = NewRef(path, null, at, late: false);
                r.Replace(NewEntries(lines.Select(l => (l.Key, (string?)null))));
                _files[path] = r;
            }
            r.IsAcl = true;
            r.NoteUse("acl", at, late: false);
            return r;
        }
    }

    /// <summary>A map file: read on first use. Null with the error when unreadable.</summary>
    internal PatternReference? MapFileRef(string path, SourceLocation? at, bool late, out string? error)
    {
        error = null;
        lock (_gate)
        {
            if (!_files.TryGetValue(path, out var r))
            {
                List<(string Key, string Value, int Line)> lines;
                try { lines = MapFile.Read(path); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    error = $"failed to load map file '{path}': {e.Message}";
                    return null;
                }
                r = NewRef(path, null, at, late);
                r.Replace(NewEntries(lines.Select(l => (l.Key, (string?)l.Value))));
                _lines[r] = lines.Select(l => l.Line).ToArray();
                _files[path] = r;
            }
            r.IsMap = true;
            r.HasSamples = true;
            if (at is { } used) r.NoteUse("map", used, late);
            return r;
        }
    }

    private readonly Dictionary<PatternReference, int[]> _lines = new(ReferenceEqualityComparer.Instance);

    /// <summary>The line in its file an entry loaded at start came from (for load errors), else 0.</summary>
    internal int LineOf(PatternReference r, PatternEntry e)
    {
        lock (_gate)
        {
            int i = Array.IndexOf(r.Entries, e);
            return _lines.TryGetValue(r, out var lines) && i >= 0 && i < lines.Length ? lines[i] : 0;
        }
    }

    /// <summary>
    /// Compiles every declared ACL of <paramref name="proxies"/> (haproxy creates the references
    /// of an ACL no rule uses too). ACLs the rules compiled already share their references; the
    /// warnings were reported by the rules' own compilation.
    /// </summary>
    public void Declare(IEnumerable<Lb.Config.Model.Proxy> proxies, BackendRegistry backends)
    {
        foreach (var proxy in proxies)
        {
            var compilation = new RuleCompilation(proxy, backends, new List<string>());
            foreach (var name in proxy.Acls.Select(a => a.Name).Distinct())
                if (proxy.Acls.Any(a => a.Name == name && !IsRegistered(a))) compilation.Named(name);
        }
    }

    /// <summary>Makes <paramref name="user"/> rebuilt whenever one of <paramref name="refs"/> changes.</summary>
    internal void Attach(IPatternUser user, IEnumerable<PatternReference> refs)
    {
        lock (_gate)
            foreach (var r in refs)
                if (!r.Users.Contains(user)) r.Users.Add(user);
    }

    /// <summary>Replaces a reference's entries and rebuilds what is compiled from them. Caller holds the lock.</summary>
    private void Commit(PatternReference r, PatternEntry[] entries)
    {
        r.Replace(entries);
        foreach (var u in r.Users) u.Rebuild();
    }
}

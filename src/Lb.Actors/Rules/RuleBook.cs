using System.Runtime.CompilerServices;
using Lb.Actors.Backends;
using Lb.Actors.Http;

namespace Lb.Actors.Rules;

/// <summary>
/// The compiled rules of every backend of a node, built once per <see cref="BackendRegistry"/>
/// (the first frontend that needs them compiles them; the others share them). A session finds
/// the rules of the backend it switched to by reference, without a lock.
/// </summary>
public sealed class RuleBook
{
    private static readonly ConditionalWeakTable<BackendRegistry, RuleBook> Books = new();

    private readonly Dictionary<BackendHandle, ProxyRules> _byHandle = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, BackendHandle> _byName = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = new();

    private RuleBook(BackendRegistry backends)
    {
        foreach (var section in backends.Config.OtherSections.Where(s => s.Kind == Lb.Config.Model.SectionKind.Userlist))
            Auth.Userlist.From(section, _warnings);
        foreach (var handle in backends.All)
        {
            var proxy = handle.Snapshot.Config;
            _byHandle[handle] = ProxyRules.Compile(proxy, backends, ErrorPageSet.For(proxy, w => _warnings.Add($"{proxy.Name}: {w}")), _warnings);
            _byName[handle.Name] = handle;
        }
    }

    public static RuleBook For(BackendRegistry backends) => Books.GetValue(backends, b => new RuleBook(b));

    /// <summary>What compiling the backends' rules found wrong or unsupported.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public ProxyRules? RulesOf(BackendHandle backend) => _byHandle.GetValueOrDefault(backend);

    /// <summary>A backend by name (use_backend with a dynamic name).</summary>
    public BackendHandle? Find(ReadOnlySpan<char> name) =>
        _byName.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var h) ? h : null;
}

using Lb.Actors.Backends;
using Lb.Actors.Rules.Conditions;
using Lb.Actors.Rules.Format;

namespace Lb.Actors.Rules;

/// <summary>
/// One 'use_backend NAME [if|unless COND]': a backend resolved at load, or a log-format name
/// ("bk_%[req.hdr(host),lower]") resolved per request, falling back to the default backend
/// when no such backend exists, as HAProxy does.
/// </summary>
internal sealed class SwitchRule(BackendHandle? target, LogFormat? dynamicName, RequestCondition? condition)
{
    public RequestCondition? Condition { get; } = condition;

    /// <summary>The backend; false (with null) when a dynamic name names no backend.</summary>
    public bool TryResolve(in RuleContext ctx, RuleBook book, out BackendHandle? backend)
    {
        if (dynamicName is null)
        {
            backend = target;
            return true;
        }
        var b = new ValueBuilder(stackalloc byte[256]);
        try
        {
            dynamicName.Write(ctx, ref b);
            Span<char> name = stackalloc char[Math.Min(b.Length, 256)];
            if (b.Length > 256) { backend = null; return false; }
            System.Text.Encoding.Latin1.GetChars(b.Written, name);
            backend = book.Find(name);
            return backend != null;
        }
        finally { b.Dispose(); }
    }
}

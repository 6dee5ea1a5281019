namespace Lb.Config.Diagnostics;

/// <summary>Collects every finding instead of stopping at the first one.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = new();

    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasAlerts { get; private set; }

    public void Alert(SourceLocation? at, string? keyword, string message) => Add(new Diagnostic(Severity.Alert, at, keyword, message));
    public void Warn(SourceLocation? at, string? keyword, string message) => Add(new Diagnostic(Severity.Warning, at, keyword, message));

    public void Add(Diagnostic d)
    {
        _items.Add(d);
        if (d.IsAlert) HasAlerts = true;
    }
}

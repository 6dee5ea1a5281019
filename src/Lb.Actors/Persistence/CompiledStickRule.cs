namespace Lb.Actors.Persistence;

/// <summary>
/// One 'stick on|match|store-request|store-response' line ready to run: what it does ('on' both
/// matches and stores), its key expression, its table and its condition (null: always).
/// </summary>
internal sealed class CompiledStickRule(bool match, bool store, StickFetch fetch, IStickTable table, IStickCondition? condition)
{
    public bool Match { get; } = match;
    public bool Store { get; } = store;
    public StickFetch Fetch { get; } = fetch;
    public IStickTable Table { get; } = table;
    public IStickCondition? Condition { get; } = condition;
}

namespace Lb.Actors.Rules;

/// <summary>When a condition is evaluated: on a new connection (tcp mode, tcp-request connection),
/// on a request head, or on a response head.</summary>
public enum RuleStage { Connection, Request, Response }

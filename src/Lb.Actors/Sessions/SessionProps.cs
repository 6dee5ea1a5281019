using Akka.Actor;

namespace Lb.Actors.Sessions;

/// <summary>
/// Props for per-connection actors built from a plain delegate. Props.Create with an expression
/// tree evaluates the expression on every call, which showed up as a real share of the cost of
/// a new connection; a producer is one small allocation.
/// </summary>
internal static class SessionProps
{
    public static Props Of<T>(Func<T> create) where T : ActorBase => Props.CreateBy(new Producer<T>(create));

    private sealed class Producer<T>(Func<T> create) : IIndirectActorProducer where T : ActorBase
    {
        public Type ActorType => typeof(T);
        public ActorBase Produce() => create();
        public void Release(ActorBase actor) { }
    }
}

using Lb.Actors.Backends;
using Lb.Actors.Queueing;

namespace Lb.Actors.Sessions;

internal sealed partial class HttpSessionStage
{
    private sealed partial class Logic
    {
        private ServerRuntime? _slot;        // the server whose connection slot this request holds
        private PendingRequest? _waiting;     // the request's place in a queue
        private bool _direct;                 // the server came from persistence, not from the balancer
        private Action<(PendingRequest, QueueOutcome)> _onQueueOutcome = null!;

        /// <summary>
        /// HAProxy's assign_server_and_queue for the server just picked: a slot on it, or a place
        /// in its queue (or the backend's queue when the balancer found every server full). A
        /// persistent request whose server's queue is at 'maxqueue' is balanced again with
        /// 'option redispatch', else answered 503.
        /// </summary>
        private void Assign()
        {
            var snap = _backend!.Snapshot;
            if (_picked is null && snap.Balanced.IsEmpty) { Reply(503); return; }
            switch (_backend.Queue.TakeOrQueue(_picked, snap.Balanced.AsSpan(), out var pending))
            {
                case SlotResult.Taken:
                    _slot = _picked;
                    UseServer();
                    return;
                case SlotResult.Full:
                    if (_direct && snap.Config.HasOption("redispatch"))
                    {
                        _picked!.Redispatched();
                        Rebalance();
                        return;
                    }
                    Reply(503);
                    return;
            }
            _waiting = pending!;
            _req = RequestPhase.Queued;
            SetIdleDeadline(ServerConnector.QueueTimeout(snap.Config));
            pending!.Outcome.ContinueWith(static (t, state) =>
            {
                var (logic, p) = ((Logic, PendingRequest))state!;
                logic._onQueueOutcome((p, t.Result));
            }, (this, pending), TaskContinuationOptions.ExecuteSynchronously);
        }

        /// <summary>Balances the request again, persistence aside (redispatch).</summary>
        private void Rebalance()
        {
            _direct = false;
            _picked = PickServer(_request!, persistence: false);
            Assign();
        }

        private void OnQueueOutcome((PendingRequest Pending, QueueOutcome Outcome) r)
        {
            if (!ReferenceEquals(r.Pending, _waiting)) return; // given up already (Abandon released any slot)
            _waiting = null;
            LogQueuePositions(r.Pending);
            if (_closing)
            {
                r.Outcome.Server?.ReleaseSlot();
                return;
            }
            if (r.Outcome.Verdict == QueueVerdict.Redispatch) { Rebalance(); return; }
            _slot = _picked = r.Outcome.Server;
            UseServer();
        }

        /// <summary>'timeout queue' expired: 503, unless a server took the request at the last moment.</summary>
        private void OnQueueTimeout()
        {
            if (_waiting is { } p && !_backend!.Queue.TryCancel(p)) return; // its outcome is on the way
            if (_waiting != null) LogQueuePositions(_waiting);
            _waiting = null;
            Reply(503);
        }

        private void LogQueuePositions(PendingRequest p)
        {
            if (_log is not { } r) return;
            r.ServerQueuePosition += p.ServerQueuePosition;
            r.BackendQueuePosition += p.BackendQueuePosition;
        }

        /// <summary>The request is over (or gone): its slot goes to the next waiting request.</summary>
        private void ReleaseSlot()
        {
            if (_waiting is { } p)
            {
                _waiting = null;
                _backend!.Queue.Abandon(p);
            }
            if (_slot is { } s)
            {
                _slot = null;
                s.ReleaseSlot();
            }
        }
    }
}

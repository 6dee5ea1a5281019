using System.Net;
using Akka.IO;
using Akka.Streams.Stage;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;
using Lb.Actors.Queueing;
using Lb.Config.Model;

namespace Lb.Actors.Sessions;

internal sealed partial class HttpSessionStage
{
    /// <summary>Request side: waiting for a head, connecting, sending the head, forwarding the body.</summary>
    private enum RequestPhase { Head, Queued, Connecting, SendingHead, Body, Done, Tunnel, StatsBody }

    /// <summary>Response side: nothing expected yet, waiting for the head, forwarding the body.</summary>
    private enum ResponsePhase { Idle, Head, Body, Done, Tunnel }

    private sealed partial class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
    {
        private const string IdleTimer = "idle";
        private readonly HttpSessionStage _stage;
        private readonly FrontendRuntime _fe;
        private readonly HttpHeadParser _requestParser;
        private readonly HttpHeadParser _responseParser;
        private readonly BodyTracker _requestBody = new();
        private readonly BodyTracker _responseBody = new();
        private ByteString _toClient = ByteString.Empty;  // bytes for the client not pushed yet
        private bool _batching;                            // collect into _toClient, push later
        private readonly ErrorPageSet _errors;
        private readonly bool _httpClose, _serverClose, _abortOnClose;

        private RequestPhase _req = RequestPhase.Head;
        private ResponsePhase _res = ResponsePhase.Idle;
        private bool _closing;
        private bool _lingering;
        private const string LingerTimer = "linger";
        private static readonly TimeSpan DefaultLingerTime = TimeSpan.FromSeconds(1);

        /// <summary>
        /// Closing after the last response: send FIN now but keep reading (and dropping) what the
        /// client still sends for a moment, so that closing the socket with unread bytes does not
        /// turn the FIN into a reset that could destroy the response in flight (HAProxy drains too).
        /// 'timeout client-fin' bounds the wait when set; 1 s otherwise.
        /// </summary>
        private void Linger()
        {
            if (_lingering) return;
            _lingering = true;
            CloseServer();
            ClearIdleDeadline();
            if (!IsClosed(_stage.Out)) Complete(_stage.Out);
            if (_clientFinished || IsClosed(_stage.In)) { CompleteStage(); return; }
            ScheduleOnce(LingerTimer, _fe.Config.Timeouts.ClientFin is { } fin && fin > TimeSpan.Zero ? fin : DefaultLingerTime);
            if (!HasBeenPulled(_stage.In)) Pull(_stage.In);
        }
        private bool _keepAliveIdle;
        private ByteString _pending = ByteString.Empty;   // client bytes received but not yet processed
        private bool _clientFinished;
        private RequestHead? _request;
        private BackendHandle? _backend;
        private ServerChannel? _server;
        private bool _clientKeepAlive;
        private bool _responseStarted;
        private Action<ConnectResult> _onConnected = null!;
        private Action<ChannelRead> _onServerRead = null!;
        private Action<ChannelWrite> _onServerWritten = null!;

        public Logic(HttpSessionStage stage) : base(stage.Shape)
        {
            _stage = stage;
            _fe = stage._frontend;
            var limits = HttpLimits.Default;
            _requestParser = HttpHeadParser.ForRequests(limits);
            _responseParser = HttpHeadParser.ForResponses(limits);
            _errors = _fe.ErrorPages;
            _httpClose = _fe.HttpClose;
            _serverClose = _fe.HttpServerClose;
            _abortOnClose = _fe.AbortOnClose;
            LogOpen();
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onConnected = GetAsyncCallback<ConnectResult>(OnConnected);
            _onQueueOutcome = GetAsyncCallback<(PendingRequest, QueueOutcome)>(OnQueueOutcome);
            _onServerRead = GetAsyncCallback<ChannelRead>(OnServerRead);
            _onServerWritten = GetAsyncCallback<ChannelWrite>(OnServerWritten);
            RegisterKill();
            ArmClientTimer(_fe.Config.Timeouts.HttpRequest ?? _fe.Config.Timeouts.Client);
            Pull(_stage.In);
        }

        // ---- client side -------------------------------------------------------------------

        public void OnPush()
        {
            var chunk = Grab(_stage.In);
            if (_lingering) { Pull(_stage.In); return; } // discarded: see Linger
            _pending = _pending.IsEmpty ? chunk : _pending.Concat(chunk);
            Process();
        }

        public void OnUpstreamFinish()
        {
            _clientFinished = true;
            if (_lingering) { CompleteStage(); return; }
            // option abortonclose: a client that closes while its request waits (queue, connect,
            // response) gives the request up instead of leaving it to the server.
            if (_abortOnClose && _req is RequestPhase.Queued or RequestPhase.Connecting or RequestPhase.Done && _res is ResponsePhase.Idle or ResponsePhase.Head && !_responseStarted)
            {
                _cancel.Cancel();
                CloseServer();
                CompleteStage();
                return;
            }
            Process();
        }

        public void OnUpstreamFailure(Exception e) => FailStage(e);

        public void OnPull() => FlushToClient();

        public void OnDownstreamFinish(Exception cause) => CompleteStage();

        private void Send(ByteString bytes)
        {
            if (bytes.IsEmpty) return;
            _exOut += bytes.Count;
            _toClient = _toClient.IsEmpty ? bytes : _toClient.Concat(bytes);
            if (!_batching) FlushToClient();
        }

        private void FlushToClient()
        {
            if (!_toClient.IsEmpty && IsAvailable(_stage.Out))
            {
                var bytes = _toClient;
                _toClient = ByteString.Empty;
                Push(_stage.Out, bytes);
            }
            if (_toClient.IsEmpty)
            {
                if (_closing) { Linger(); return; }
                // Backpressure: read more from the server only once the client took what we had.
                ReadServer();
            }
        }

        /// <summary>Drives the state machine with whatever client bytes are pending.</summary>
        private void Process()
        {
            if (_closing) return;
            switch (_req)
            {
                case RequestPhase.Head: ProcessRequestHead(); break;
                case RequestPhase.Body or RequestPhase.Tunnel: ForwardRequestBody(); break;
                case RequestPhase.StatsBody: ContinueStats(); break;
                // Otherwise: bytes of a pipelined request wait until the current exchange is done.
            }
        }

        private void PullClient()
        {
            if (!_clientFinished && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In)) Pull(_stage.In);
        }

        /// <summary>Answers an error page and closes the client connection after it.</summary>
        /// <summary>
        /// Answers an error page. 400 and 408 go out in HAProxy's raw form and close the
        /// connection; 502/503/504 keep a keep-alive client's connection when its request was
        /// read entirely, as HAProxy does.
        /// </summary>
        private void Reply(int status)
        {
            ReleaseSlot();
            CloseServer();
            ClearIdleDeadline();
            if (_log != null) LogReply(status);
            if (_responseStarted) { _closing = true; CompleteStage(); return; }
            _responseStarted = true;
            CountGenerated(status);
            if (status is 400 or 408)
            {
                _fe.RequestFailed(_stage._local);
                _closing = true;
                Send(ByteString.FromBytes(ErrorPages.Raw(status)));
                return;
            }
            var request = _request;
            bool keep = _clientKeepAlive && request != null && (_req == RequestPhase.Done || _requestBody.IsEmptyBody);
            if (!keep)
            {
                _closing = true;
                Send(ByteString.FromBytes(_errors.Get(status, ConnectionHeader.Close)));
                return;
            }
            Send(ByteString.FromBytes(_errors.Get(status, request!.IsHttp11 ? ConnectionHeader.None : ConnectionHeader.KeepAlive)));
            _serverKeepAlive = false;
            _req = RequestPhase.Done;
            _res = ResponsePhase.Done;
            MaybeFinishExchange();
        }

        private void ArmClientTimer(TimeSpan? t) => SetIdleDeadline(t);

        // The phase timeouts (http-request, server, keep-alive, ...) are one deadline that moves on
        // every phase change, several times per request. Re-scheduling a scheduler timer each
        // time would cost more than the request; instead the deadline is a field, and the one
        // scheduled timer, when it fires early, re-arms itself for what is left.
        private long _idleDeadlineMs;  // Environment.TickCount64; 0 = no idle timeout now
        private long _idleTimerDueMs;  // when the scheduled timer fires; 0 = none scheduled

        private void SetIdleDeadline(TimeSpan? t)
        {
            if (t is not { } v || v <= TimeSpan.Zero) { _idleDeadlineMs = 0; return; }
            long ms = Math.Max(1, (long)v.TotalMilliseconds);
            _idleDeadlineMs = Environment.TickCount64 + ms;
            if (_idleTimerDueMs == 0 || _idleTimerDueMs > _idleDeadlineMs)
            {
                ScheduleOnce(IdleTimer, TimeSpan.FromMilliseconds(ms));
                _idleTimerDueMs = _idleDeadlineMs;
            }
        }

        private void ClearIdleDeadline() => _idleDeadlineMs = 0;

        /// <summary>True when the idle timer fired for a deadline that is still ahead (it was re-armed) or gone.</summary>
        private bool IdleTimerEarly()
        {
            _idleTimerDueMs = 0;
            if (_idleDeadlineMs == 0) return true;
            long left = _idleDeadlineMs - Environment.TickCount64;
            if (left <= 0) { _idleDeadlineMs = 0; return false; }
            ScheduleOnce(IdleTimer, TimeSpan.FromMilliseconds(left));
            _idleTimerDueMs = _idleDeadlineMs;
            return true;
        }

        protected override void OnTimer(object timerKey)
        {
            if (LingerTimer.Equals(timerKey)) { CompleteStage(); return; }
            if (TarpitTimer.Equals(timerKey)) { EndTarpit(); return; }
            if (IdleTimerEarly()) return;
            if (_lingering) { CompleteStage(); return; }
            if (_closing) { CompleteStage(); return; }
            if (_req == RequestPhase.Queued) { OnQueueTimeout(); return; }
            if (_req == RequestPhase.Head)
            {
                // An idle keep-alive connection just closes; a started or awaited request gets 408.
                if (_requestParser.IsIdle && _pending.IsEmpty && _keepAliveIdle) CompleteStage();
                else Reply(408);
            }
            else if (_res == ResponsePhase.Head)
            {
                _server?.Server.ResponseFailed();
                Reply(504);
            }
            else if (_req != RequestPhase.Connecting)
            {
                // Inactivity while a body or tunnel flows: HAProxy aborts both sides.
                _log?.Terminate(_toClient.IsEmpty ? 's' : 'c', 'D');
                CloseServer();
                CompleteStage();
            }
        }

        private bool _stopped;

        public override void PostStop()
        {
            Volatile.Write(ref _stopped, true);
            EndExchangeStats();
            _cancel.Cancel();
            ReleaseSlot();
            CloseServer();
            CloseHeld();
            if (_log != null) LogStageStopped();
            _request?.Dispose();
            _requestParser.Reset();
            _responseParser.Reset();
        }
    }
}

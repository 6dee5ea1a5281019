using Akka.IO;
using Lb.Actors.Backends;
using Lb.Actors.Http;

namespace Lb.Actors.Sessions;

internal sealed partial class HttpSessionStage
{
    private sealed partial class Logic
    {
        private ResponseHead? _response;
        private int _exchanges;
        private bool _reusedServer;
        private BodyFraming _responseFraming;
        private bool _serverKeepAlive;
        private ForwardedFor? _forwardFor;
        private BackendHandle? _forwardForBackend;
        private readonly CancellationTokenSource _cancel = new();

        // ---- request -----------------------------------------------------------------------

        private void ProcessRequestHead()
        {
            if (_pending.IsEmpty)
            {
                if (_clientFinished) { _closing = true; FlushToClient(); }
                else PullClient();
                return;
            }
            _log?.MarkIdleEnd();
            var bytes = Contiguous(_pending);
            var r = _requestParser.Feed(bytes.Span);
            switch (r.Status)
            {
                case HeadParseStatus.NeedMore:
                    _pending = ByteString.Empty;
                    if (_clientFinished) { _log?.Terminate('C', 'R'); Reply(400); } else PullClient();
                    return;
                case HeadParseStatus.Error:
                    _fe.Node.Errors.Capture(_fe.Name, null, null, _stage._client, response: false, 0, bytes.Span);
                    _fe.RequestReceived(); // haproxy counts an invalid request in req_tot too
                    Reply(r.ErrorStatus);
                    return;
            }
            _pending = _pending.Slice(r.Consumed);
            _request = _requestParser.TakeRequest();
            BeginExchangeStats(r.Consumed);
            if (_log != null) LogRequestHead();
            StartExchange();
        }

        private void StartExchange()
        {
            var request = _request!;
            _keepAliveIdle = false;
            _responseStarted = false;
            ClearIdleDeadline();
            _requestBody.Start(BodyFraming.ForRequest(request));
            _clientKeepAlive = !_httpClose && ConnectionSemantics.WantsKeepAlive(request);

            if (request.Method == RequestMethod.Post && _fe.StatsPage is { } stats && stats.Matches(request.PathAndQuery)) { ServeStats(stats); return; }
            if (!RouteRequest(request)) return; // ACLs and rules: HttpSessionStage.Rules.cs
            if (_log != null) _log.Backend = _backend;
            if (_backend is null) { Reply(503); return; }
            if (!ReferenceEquals(_forwardForBackend, _backend))
            {
                _forwardFor = ForwardedFor.For(_fe.Config, _backend.Snapshot.Config);
                _forwardForBackend = _backend;
            }
            _forwardFor?.Apply(request, _stage._client.Address);
            if (_httpClose || _serverClose || !_clientKeepAlive)
            {
                request.Remove("connection");
                if (!ConnectionSemantics.IsUpgradeRequest(request)) request.Set("connection", "close");
            }

            _exchanges++;
            // Balanced per request (see PickServer), then a connection slot on the server (Assign).
            _picked = PickServer(request);
            if (_log != null) _log.Server = _picked;
            Assign();
        }

        private void Connect()
        {
            _exConnectStart = System.Diagnostics.Stopwatch.GetTimestamp();
            // The connector holds the slot while it connects (a redispatch may move it to another server).
            var server = _slot!;
            _slot = null;
            ServerConnector.ConnectAssignedAsync(_backend!, server, _stage._local, _cancel.Token).ContinueWith(t =>
            {
                var result = t.IsCompletedSuccessfully ? t.Result : new ConnectResult(null, server, ConnectError.ConnectFailed);
                // The stage may have stopped meanwhile (client gone): then nobody will take the socket or the slot.
                if (Volatile.Read(ref _stopped))
                {
                    if (result.Ok) { result.Socket!.Dispose(); result.Server!.ConnectionClosed(); }
                    result.Server?.ReleaseSlot();
                    return;
                }
                _onConnected(result);
            }, TaskContinuationOptions.ExecuteSynchronously);
        }

        private void OnConnected(ConnectResult r)
        {
            _slot = r.Server;
            long connected = r.Ok ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            if (_log != null) LogConnected(r, connected);
            if (!r.Ok)
            {
                Reply(503);
                return;
            }
            if (_closing) { r.Socket!.Dispose(); r.Server!.ConnectionClosed(); ReleaseSlot(); return; }
            _server = new ServerChannel(r.Socket!, r.Server!, 16 * 1024);
            _exConnected = connected;
            _reusedServer = false;
            SendRequestHead();
        }

        private void SendRequestHead()
        {
            _req = RequestPhase.SendingHead;
            _res = ResponsePhase.Head;
            if (_log is { Connected: false }) _log.MarkConnect(); // a kept-alive server connection
            _request!.LowerCaseNames();
            CountSent();
            ArmServerTimer();
            var server = _server;
            server!.Uses++;
            WriteServer(_request.ToArray());
            // The write may have completed (and moved the exchange on) inline.
            if (ReferenceEquals(_server, server) && !_closing) ReadServer();
        }

        private void OnServerWritten(ChannelWrite written)
        {
            // A late write of a connection already let go of says nothing about the current one.
            if (_closing || !ReferenceEquals(written.Channel, _server)) return;
            var error = written.Error;
            if (error != null)
            {
                // The server went away while we sent: nothing usable can come back.
                if (_res == ResponsePhase.Head && RetryOnNewConnection()) return;
                if (_res == ResponsePhase.Head) { _server?.Server.ResponseFailed(); Reply(502); }
                else { CloseServer(); _closing = true; FlushToClient(); }
                return;
            }
            if (_req == RequestPhase.SendingHead) _req = _requestBody.IsComplete ? RequestPhase.Done : RequestPhase.Body;
            if (_req == RequestPhase.Done) { MaybeFinishExchange(); return; }
            ForwardRequestBody();
        }

        private void ForwardRequestBody()
        {
            if (_server is null || _server.WriteInFlight) return;
            if (_req == RequestPhase.Body && _requestBody.IsComplete)
            {
                _req = RequestPhase.Done;
                MaybeFinishExchange();
                return;
            }
            if (_pending.IsEmpty)
            {
                if (_clientFinished)
                {
                    if (_req == RequestPhase.Tunnel) _server.ShutdownSend();
                    else { CloseServer(); _closing = true; FlushToClient(); } // client vanished mid-body
                    return;
                }
                ArmClientTimer(_fe.Config.Timeouts.Client);
                PullClient();
                return;
            }
            var bytes = Contiguous(_pending);
            int n = _requestBody.Advance(bytes.Span);
            if (_requestBody.IsError) { Reply(400); return; }
            _pending = _pending.Slice(n);
            WriteServer(bytes[..n]);
        }
    }
}

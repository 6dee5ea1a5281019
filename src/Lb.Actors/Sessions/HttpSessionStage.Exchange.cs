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
            if (_log != null) LogConnected(r);
            if (!r.Ok)
            {
                Reply(503);
                return;
            }
            if (_closing) { r.Socket!.Dispose(); r.Server!.ConnectionClosed(); ReleaseSlot(); return; }
            _server = new ServerChannel(r.Socket!, r.Server!, 16 * 1024);
            _exConnected = System.Diagnostics.Stopwatch.GetTimestamp();
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

        private void OnServerWritten(Exception? error)
        {
            if (_closing) return;
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

        // ---- response ----------------------------------------------------------------------

        // Reads and writes that complete at once are handled right here, unless that would nest
        // too deep (a fast server and a fast client could otherwise recurse through a whole
        // body): then the result takes the asynchronous way, through the stage's callback.
        private const int MaxInlineDepth = 8;
        private int _inlineDepth;

        private void WriteServer(ReadOnlyMemory<byte> bytes)
        {
            if (!_server!.Write(bytes, _onServerWritten, out var error)) return;
            if (_inlineDepth >= MaxInlineDepth) { _onServerWritten(error); return; }
            _inlineDepth++;
            try { OnServerWritten(error); }
            finally { _inlineDepth--; }
        }

        private void ReadServer()
        {
            if (_server is null || _server.ReadInFlight || !_toClient.IsEmpty || _closing) return;
            if (_res is not (ResponsePhase.Head or ResponsePhase.Body or ResponsePhase.Tunnel)) return;
            if (!_server.Read(_onServerRead, out var read)) return;
            if (_inlineDepth >= MaxInlineDepth) { _onServerRead(read); return; }
            _inlineDepth++;
            try { OnServerRead(read); }
            finally { _inlineDepth--; }
        }

        private void OnServerRead((ReadOnlyMemory<byte> Data, Exception? Error) read)
        {
            var channel = _server;
            if (channel is null) return;
            // The bytes live in the channel's receive buffer: it stays "in flight" (no new read
            // can overwrite it) until they have been copied out below.
            try
            {
                if (_closing) return;
                if (read.Error != null || read.Data.IsEmpty)
                {
                    OnServerClosed();
                    return;
                }
                ArmServerTimer();
                // A response head and the body bytes of the same read leave in one write.
                _batching = true;
                try { HandleServerBytes(read.Data); }
                finally { _batching = false; }
            }
            finally
            {
                channel.ReadConsumed();
                ParkIfReleased(channel);
            }
            if (!_toClient.IsEmpty) FlushToClient();
            else if (!_closing) ReadServer();
        }

        private void HandleServerBytes(ReadOnlyMemory<byte> memory)
        {
            var data = memory.Span;
            // Several heads may come in one read (100 Continue then the final response).
            while (_res == ResponsePhase.Head && !data.IsEmpty)
            {
                var r = _responseParser.Feed(data);
                if (r.Status == HeadParseStatus.NeedMore) return;
                if (r.Status == HeadParseStatus.Error)
                {
                    _fe.Node.Errors.Capture(_fe.Name, _server!.Server.Backend, _server.Server.Name, _stage._client, response: true, 0, data);
                    _server.Server.ResponseFailed();
                    _log?.Terminate('P', 'H');
                    Reply(502);
                    return;
                }
                data = data[r.Consumed..];
                if (!StartResponse(extraBytes: !data.IsEmpty)) return;
            }
            if (data.IsEmpty || _res is not (ResponsePhase.Body or ResponsePhase.Tunnel)) return;
            int n = _res == ResponsePhase.Tunnel ? data.Length : _responseBody.Advance(data);
            if (_responseBody.IsError) { _server!.Server.ResponseFailed(); AbortExchange(); return; }
            if (n > 0 && !_dropResponseBody) Send(CopyOut(memory.Slice(memory.Length - data.Length, n)));
            if (_res == ResponsePhase.Body && _responseBody.IsComplete)
            {
                // Bytes after the end of the response: the connection is out of step, never reuse it.
                if (n < data.Length) _serverKeepAlive = false;
                _res = ResponsePhase.Done;
                MaybeFinishExchange();
            }
        }

        /// <summary>A complete response head: decide framing and keep-alive, forward it.</summary>
        /// <param name="extraBytes">bytes follow the head in the same read</param>
        private bool StartResponse(bool extraBytes)
        {
            var response = _responseParser.TakeResponse();
            var request = _request!;
            if (response.StatusCode is >= 100 and < 200 and not 101)
            {
                // Interim response (100 Continue): pass it on and wait for the final one.
                Send(ByteString.FromBytes(response.ToArray()));
                response.Dispose();
                return true;
            }
            _response = response;
            _exResponse = System.Diagnostics.Stopwatch.GetTimestamp();
            _server!.Server.CountStatus(response.StatusCode);
            _fe.CountStatus(response.StatusCode);
            _responseFraming = BodyFraming.ForResponse(response, request.Method); // before set-status can change the status
            if (!ApplyResponseRules(response)) return false;
            if (_log != null) LogResponseHead(response);
            RespondCookie(response);
            if (_log != null) LogResponseCookie(response);
            // The request's Connection header may have been rewritten for the server side: the
            // client's own wish was taken in StartExchange; here only the framing can veto it.
            _clientKeepAlive &= _responseFraming.Kind is not (BodyKind.UntilClose or BodyKind.Tunnel);
            _serverKeepAlive = !_serverClose && !_httpClose && ConnectionSemantics.ServerKeepAlive(request, response, _responseFraming);
            NoteConnectionAuthentication(response);
            var connection = ConnectionSemantics.ResponseConnectionHeader(request, _clientKeepAlive);
            response.Remove("connection");
            if (_responseFraming.Kind == BodyKind.Tunnel) response.Set("connection", "upgrade");
            else if (connection == ConnectionHeader.Close) response.Set("connection", "close");
            else if (connection == ConnectionHeader.KeepAlive) response.Set("connection", "keep-alive");
            _responseStarted = true;
            response.LowerCaseNames();
            Send(ByteString.FromBytes(response.ToArray()));
            _responseBody.Start(_responseFraming);
            if (_responseFraming.Kind == BodyKind.Tunnel)
            {
                _res = ResponsePhase.Tunnel;
                _req = RequestPhase.Tunnel;
                _requestBody.Start(new BodyFraming(BodyKind.Tunnel));
                ArmTunnelTimer();
                ForwardRequestBody();
                return true;
            }
            _res = _responseBody.IsComplete ? ResponsePhase.Done : ResponsePhase.Body;
            if (_res == ResponsePhase.Done)
            {
                if (extraBytes) _serverKeepAlive = false; // a bodiless response followed by bytes
                MaybeFinishExchange();
                return false;
            }
            return true;
        }

        private void OnServerClosed()
        {
            if (_res == ResponsePhase.Head && !_responseStarted)
            {
                // A reused connection closed under us: open a new one and send again.
                if (RetryOnNewConnection()) return;
                if (_exchanges > 1)
                {
                    // Not the client's first request: close silently so that the client retries.
                    _log?.Terminate('S', 'H');
                    CloseServer();
                    CompleteStage();
                    return;
                }
                // Closed before any response: 502, as HAProxy answers.
                _server?.Server.ResponseFailed();
                Reply(502);
                return;
            }
            // End of an until-close body, of a tunnel, or a truncated body: the client side closes too.
            if (_log != null) LogServerClosed();
            CloseServer();
            _closing = true;
            FlushToClient();
        }

        private void AbortExchange()
        {
            CloseServer();
            CompleteStage();
        }

        /// <summary>Both the request and its response are complete: keep-alive or close.</summary>
        private void MaybeFinishExchange()
        {
            if (_req != RequestPhase.Done || _res != ResponsePhase.Done) return;
            EndExchangeStats();
            if (_log != null) LogEnd();
            // The request is over: its slot goes to the next waiting request (the kept-alive
            // connection does not hold one).
            ReleaseSlot();
            if (!_serverKeepAlive) CloseServer();
            else ReleaseServer();
            _request?.Dispose();
            _request = null;
            _response?.Dispose();
            _response = null;
            _res = ResponsePhase.Idle;
            _req = RequestPhase.Head;
            if (!_clientKeepAlive)
            {
                _closing = true;
                FlushToClient();
                return;
            }
            _keepAliveIdle = true;
            _log?.NextStream();
            var t = _fe.Config.Timeouts;
            ArmClientTimer(t.HttpKeepAlive ?? t.HttpRequest ?? t.Client);
            // A pipelined request waits until the connection just released is back in its pool,
            // so that it may take it (as in haproxy, where the next stream starts after the detach).
            if (_parking != null) _nextAfterPark = true;
            else ProcessRequestHead();
        }

        private void CloseServer()
        {
            if (_server is null) return;
            _server.Dispose();
            _server = null;
            _responseParser.Reset();
        }

        private void ArmServerTimer()
        {
            var t = _backend?.Snapshot.Config.Timeouts.Server;
            SetIdleDeadline(t);
        }

        private void ArmTunnelTimer()
        {
            var t = _backend?.Snapshot.Config.Timeouts;
            var v = t?.Tunnel ?? t?.Server ?? _fe.Config.Timeouts.Client;
            ArmClientTimer(v);
        }

        /// <summary>One copy of server bytes out of the channel's reusable receive buffer.</summary>
        private static ByteString CopyOut(ReadOnlyMemory<byte> bytes) =>
            System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out var seg)
                ? ByteString.CopyFrom(seg.Array!, seg.Offset, seg.Count)
                : ByteString.CopyFrom(bytes.ToArray());

        /// <summary>The pending bytes as one block (a copy only when they span several reads).</summary>
        private static ReadOnlyMemory<byte> Contiguous(ByteString bytes) =>
            Streams.ByteStringSegments.TryGetSegments(bytes, out var segments) && segments.Count == 1
                ? segments[0].AsMemory()
                : bytes.ToArray();
    }
}

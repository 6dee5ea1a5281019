using Akka.IO;
using Lb.Actors.Backends;
using Lb.Actors.Http;

namespace Lb.Actors.Sessions;

internal sealed partial class HttpSessionStage
{
    private sealed partial class Logic
    {
        // ---- response ----------------------------------------------------------------------

        // Reads and writes that complete at once are handled right here, unless that would nest
        // too deep (a fast server and a fast client could otherwise recurse through a whole
        // body): then the result takes the asynchronous way, through the stage's callback.
        private const int MaxInlineDepth = 8;
        private int _inlineDepth;

        private void WriteServer(ReadOnlyMemory<byte> bytes)
        {
            var channel = _server!;
            if (!channel.Write(bytes, _onServerWritten, out var error)) return;
            if (_inlineDepth >= MaxInlineDepth) { _onServerWritten(new ChannelWrite(channel, error)); return; }
            _inlineDepth++;
            try { OnServerWritten(new ChannelWrite(channel, error)); }
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

        private void OnServerRead(ChannelRead read)
        {
            var channel = _server;
            if (!ReferenceEquals(read.Channel, channel))
            {
                // A read of a connection this session has let go of (closed after a 504, for
                // instance) that finished late: it says nothing about the current one.
                read.Channel.ReadConsumed();
                ParkIfReleased(read.Channel);
                return;
            }
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
            // Cut by an admin ('shutdown sessions server'): haproxy logs "KH" with its 502, "KD" once the response flowed.
            if (_server?.CutBy is 'K') _log?.Terminate('K', _responseStarted ? 'D' : 'H');
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

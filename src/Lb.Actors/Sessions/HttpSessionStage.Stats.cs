using System.Diagnostics;
using Akka.IO;
using Lb.Actors.Backends;
using Lb.Actors.Stats;

namespace Lb.Actors.Sessions;

internal sealed partial class HttpSessionStage
{
    // Statistics of the current exchange: the client-side bytes haproxy counts per stream for
    // the backend and server, the timestamps of its steps (Stopwatch ticks; the log takes the same
    // ones), and the stats page.
    private sealed partial class Logic
    {
        private long _exIn, _exOut;
        private long _exStart, _exConnectStart, _exConnected, _exSent, _exResponse;
        private bool _exOpen;
        private ServerRuntime? _exServer;
        private BackendHandle? _exBackend;
        private StatsPage? _statsPage;
        private long _statsBody;

        /// <summary>A request head was read: req_tot and the exchange's first bytes.</summary>
        private void BeginExchangeStats(int headBytes)
        {
            EndExchangeStats();
            _exOpen = true;
            _exIn = headBytes;
            _exOut = 0;
            _exStart = Stopwatch.GetTimestamp();
            _exConnectStart = _exConnected = _exSent = _exResponse = 0;
            _exServer = null;
            _exBackend = null;
            _fe.RequestReceived();
        }

        /// <summary>The request went to a backend and server (stot, lbtot, req_tot; reuse of a kept connection).</summary>
        private void CountAssigned(bool reused)
        {
            var server = _picked!;
            _exServer = server;
            bool balanced = !_direct;
            server.Stats.Assigned(balanced, countSession: false);
            if (reused) server.ConnectionReused();
            // A redispatched request selects a server again but is one request of its backend.
            if (_exBackend != null) return;
            _exBackend = _backend;
            _backend!.Counters.Assigned(balanced);
            _backend.Counters.Increment(Counter.Requests);
            _backend.Counters.Increment(Counter.H1Streams);
        }

        /// <summary>The request head goes to the server now (the server's req_tot).</summary>
        private void CountSent()
        {
            _exSent = Stopwatch.GetTimestamp();
            _exServer?.Stats.Increment(Counter.Requests);
        }

        /// <summary>A request that fails before reaching a server still counts on its backend.</summary>
        private void CountBackendOnly()
        {
            if (_backend is null || _exBackend != null) return;
            _exBackend = _backend;
            _backend.Counters.Assigned(balanced: false);
            _backend.Counters.Increment(Counter.Requests);
        }

        /// <summary>An answer Lb wrote itself (error page): the frontend's and backend's hrsp_*.</summary>
        private void CountGenerated(int status)
        {
            // A 503 before any server (none usable, queue full or timed out) still counts on the backend.
            if (status == 503 && _exBackend is null && _exOpen) CountBackendOnly();
            _fe.CountStatus(status);
            _exBackend?.Counters.Status(status);
        }

        /// <summary>Flushes the exchange's bytes and times into the server and backend counters, once.</summary>
        private void EndExchangeStats()
        {
            if (!_exOpen) return;
            _exOpen = false;
            if (_exServer is { } s)
            {
                s.AddBytesIn(_exIn);
                s.AddBytesOut(_exOut);
                if (_exResponse != 0)
                {
                    long now = Stopwatch.GetTimestamp();
                    long connect = _exConnected != 0 && _exConnectStart != 0 ? Ms(_exConnected - _exConnectStart) : 0;
                    long response = _exSent != 0 ? Ms(_exResponse - _exSent) : 0;
                    long total = Ms(now - _exStart);
                    s.Stats.Times(0, connect, response, total);
                    s.BackendStats?.Times(0, connect, response, total);
                }
            }
            else if (_exBackend is { } b)
            {
                b.Counters.Add(Counter.BytesIn, _exIn);
                b.Counters.Add(Counter.BytesOut, _exOut);
            }
        }

        private static long Ms(long ticks) => ticks * 1000 / Stopwatch.Frequency;

        // ---- stats page ---------------------------------------------------------------------

        /// <summary>A request for 'stats uri': read its form body if it is a POST, then answer.</summary>
        private void ServeStats(StatsPage page)
        {
            _statsPage = page;
            _statsBody = StatsPage.BodyWanted(_request!);
            _req = RequestPhase.StatsBody;
            _fe.Counters.Increment(Counter.Intercepted);
            ContinueStats();
        }

        private void ContinueStats()
        {
            if (_pending.Count < _statsBody)
            {
                if (_clientFinished) { Reply(400); return; }
                ArmClientTimer(_fe.Config.Timeouts.HttpRequest ?? _fe.Config.Timeouts.Client);
                PullClient();
                return;
            }
            ClearIdleDeadline();
            var request = _request!;
            var body = _statsBody > 0 ? _pending.Slice(0, (int)_statsBody).ToArray() : [];
            _pending = _pending.Slice((int)_statsBody);
            _exIn += body.Length;
            // A body larger than what the page reads cannot be skipped reliably: close after the answer.
            bool whole = (request.ContentLength ?? 0) <= _statsBody && !request.IsChunked;
            bool keep = _clientKeepAlive && whole && request.IsHttp11;
            var reply = _statsPage!.Respond(request, body, _stage._client.Address, close: !keep);
            _fe.CountStatus(reply.Status);
            _responseStarted = true;
            if (_log != null) LogStats(reply.Bytes.Length);
            Send(ByteString.FromBytes(reply.Bytes));
            if (!keep)
            {
                _closing = true;
                FlushToClient();
                return;
            }
            _serverKeepAlive = false;
            _req = RequestPhase.Done;
            _res = ResponsePhase.Done;
            MaybeFinishExchange();
        }
    }
}

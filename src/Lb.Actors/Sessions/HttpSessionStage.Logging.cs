using System.Net;
using Lb.Actors.Http;
using Lb.Actors.Logging;
using Lb.Config.Model;

namespace Lb.Actors.Sessions;

/// <summary>
/// The stage's side of the traffic log: the hooks the state machine calls (each a no-op test
/// of <c>_log</c> when the frontend logs nowhere) and the termination state each way of ending
/// a request gets (haproxy's "8.5 Session state at disconnection").
/// </summary>
internal sealed partial class HttpSessionStage
{
    private sealed partial class Logic
    {
        private LogRecord? _log;

        private void LogOpen() => _log = _fe.Log?.Open(_stage._client, _stage._local);

        private void LogRequestHead()
        {
            _log!.Log.Request(_log, _request!, _exStart);
            _log.Backend = _fe.DefaultBackend;
        }

        /// <summary>The stats page answered the request (haproxy: "LR", server &lt;STATS&gt;, all timers 0).</summary>
        /// <param name="reply">a service's response, whose status is logged (else 200)</param>
        private void LogStats(int bytes, string server = "<STATS>", byte[]? reply = null)
        {
            var r = _log!;
            r.ServerLabel = server;
            r.Backend = null;
            r.MarkConnect();
            r.MarkData();
            // The stats page's lines keep 200 (haproxy logs its own oddities there, e.g. 400 for the 401 challenge).
            r.Status = reply is { Length: >= 12 } && server != "<STATS>" ? (reply[9] - '0') * 100 + (reply[10] - '0') * 10 + (reply[11] - '0') : 200;
            r.BytesOut = bytes;
            r.Terminate('L', 'R');
            r.Log.Emit(r);
        }

        private void LogConnected(ConnectResult c, long connectedTicks)
        {
            var r = _log!;
            if (c.Server != null) r.Server = c.Server;
            r.Retries = c.Retries;
            r.Redispatched = c.Redispatched;
            if (c.SlotTicks != 0) r.MarkQueue(c.SlotTicks);
            if (c.Ok)
            {
                r.MarkConnect(connectedTicks);
                r.ServerLocal = c.Socket!.LocalEndPoint;
            }
            else if (c.Error == ConnectError.QueueTimeout) r.Terminate('s', 'Q');
            else if (c.TimedOut) r.Terminate('s', 'C');
        }

        /// <summary>Lb answers <paramref name="status"/> itself: haproxy's state for each cause, the page's size.</summary>
        private void LogReply(int status)
        {
            var r = _log!;
            if (_responseStarted)
            {
                // Too late for an error page: the response is cut.
                r.Terminate(status is 408 ? 'c' : status is 504 ? 's' : 'S', 'D');
                LogEnd();
                return;
            }
            switch (status)
            {
                case 408: r.Terminate('c', 'R'); break;
                case 503: r.Terminate('S', 'C'); break;
                case 504: r.Terminate('s', 'H'); break;
                case 502: r.Terminate('S', 'H'); break;
                default: r.Terminate('P', 'R'); break; // 400 and other rejected requests
            }
            FrontendLog.Generated(r, status, _errors.Get(status));
            r.Log.Emit(r, _server != null);
        }

        /// <summary>The server closed while its response body was flowing.</summary>
        private void LogServerClosed()
        {
            if (_res == ResponsePhase.Body && _responseFraming.Kind is BodyKind.ContentLength or BodyKind.Chunked)
                _log!.Terminate('S', 'D'); // truncated: logged when the stage ends
            else
                LogEnd();                  // an until-close body or a tunnel ends normally
        }

        /// <summary>Ends the current request's line (normal end, or whatever was recorded).</summary>
        private void LogEnd()
        {
            var r = _log!;
            if (r.Logged) return;
            CountBodies(r);
            r.Log.Emit(r, _server != null);
        }

        /// <summary>The connection is over: a request still open gets its line, with haproxy's
        /// state for what was going on (a client that left is 'C', unless a cause was noted).</summary>
        private void LogStageStopped()
        {
            var r = _log!;
            if (r.Logged) return;
            if (!r.RequestReceived)
            {
                // An idle keep-alive connection closing is not logged; an empty or partial first request is ("CR", 400).
                if (r.Streams > 0 && !r.HasRequestBytes) return;
                r.Terminate('C', 'R');
                if (r.Status < 0) r.Status = 400;
                r.Log.Emit(r);
                return;
            }
            char phase = _req == RequestPhase.Connecting ? (r.Server != null && !r.Connected && r.TQueue < 0 ? 'Q' : 'C')
                : _res is ResponsePhase.Head or ResponsePhase.Idle ? 'H' : 'D';
            r.Terminate('C', phase);
            CountBodies(r);
            r.Log.Emit(r);
        }

        // %B / %U as haproxy counts them: head sizes plus body payload (see HtxSize).
        private void CountBodies(LogRecord r)
        {
            if (r.RequestHeadSize > 0)
                r.BytesIn = r.RequestHeadSize + _requestBody.Payload + (_requestBody.IsChunked && _requestBody.IsComplete ? HtxSize.ChunkedEnd : 0);
            if (r.ResponseHeadSize > 0)
                r.BytesOut = r.ResponseHeadSize + _responseBody.Payload + (_responseBody.IsChunked && _responseBody.IsComplete ? HtxSize.ChunkedEnd : 0);
        }

        /// <summary>The final response head arrived: Tr, status, captures, and the persistence cookie's flags.</summary>
        private void LogResponseHead(ResponseHead response)
        {
            var r = _log!;
            r.Log.Response(r, response, _exResponse);
            if (_cookie is null) return;
            r.CookieIn = _cookieVerdict switch
            {
                Persistence.CookieVerdict.Valid => 'V',
                Persistence.CookieVerdict.Invalid => 'I',
                Persistence.CookieVerdict.Down => 'D',
                _ => 'N',
            };
        }

        /// <summary>After the persistence cookie was applied to the response: what it did ('I'nserted, 'R'ewritten, 'P'assive, 'N'one).</summary>
        private void LogResponseCookie(ResponseHead response)
        {
            if (_cookie is null || _cookieFor?.Cookie is not { } settings) return;
            bool found = false;
            for (int i = response.IndexOf("set-cookie"); i >= 0 && !found; i = response.IndexOf("set-cookie", i + 1))
            {
                var v = response.ValueAt(i);
                found = v.Length > settings.Name.Length && v[settings.Name.Length] == (byte)'='
                    && System.Text.Ascii.Equals(v[..settings.Name.Length], settings.Name);
            }
            _log!.CookieOut = !found ? 'N' : settings.Mode switch
            {
                CookieMode.Insert => 'I',
                CookieMode.Rewrite or CookieMode.Prefix => 'R',
                _ => 'P',
            };
        }
    }
}

using System.Text;
using Lb.Actors.Backends;
using Lb.Actors.Http;

namespace Lb.Actors.Sessions;

internal sealed partial class HttpSessionStage
{
    private sealed partial class Logic
    {
        private const int MaxHeldConnections = 10; // haproxy's max-session-srv-conns default

        private ServerChannel? _parking;    // released connection whose last read is still being consumed
        private ServerChannel?[]? _held;    // this session's private idle connections, oldest first
        private int _heldCount;
        private bool _preferLast;           // haproxy's SESS_FL_PREFER_LAST (NTLM / Negotiate authentication)
        private bool _nextAfterPark;        // the next request's processing waits for _parking

        /// <summary>
        /// The request holds a slot on _picked: its connection is one the session keeps privately
        /// for that server ('http-reuse never', NTLM), else an idle one from the server's pool when
        /// 'http-reuse' allows it for this request (safe: not a session's first request), else a
        /// new one.
        /// </summary>
        private void UseServer()
        {
            var server = _picked!;
            CountAssigned(reused: false);
            if (_server != null) CloseServer(); // not expected between requests; never reused blindly
            var own = TakeHeld(server);
            var pooled = own ?? _backend!.Reuse switch
            {
                HttpReuse.Never => null,
                HttpReuse.Safe => _exchanges == 1 ? null : server.Pool.TryTake(),
                HttpReuse.Aggressive => server.Pool.TryTake(safeOnly: _exchanges == 1),
                _ => server.Pool.TryTake(),
            };
            if (pooled != null)
            {
                _server = pooled;
                _reusedServer = true;
                server.ConnectionReused();
                SendRequestHead();
                return;
            }
            _reusedServer = false;
            _req = RequestPhase.Connecting;
            Connect();
        }

        /// <summary>
        /// The exchange is over and the server keeps the connection alive: back to the server's
        /// pool for any session's next request, or kept by this session when it is private.
        /// </summary>
        private void ReleaseServer()
        {
            var channel = _server;
            if (channel is null) return;
            _server = null;
            _responseParser.Reset();
            if (channel.Private || _backend!.Reuse == HttpReuse.Never) { Hold(channel); return; }
            // Nobody else may read it before the bytes of the current read are copied out.
            if (channel.ReadInFlight) _parking = channel;
            else Park(channel);
        }

        private void Hold(ServerChannel channel)
        {
            if (_heldCount == MaxHeldConnections) { channel.Dispose(); return; }
            _held ??= new ServerChannel?[MaxHeldConnections];
            _held[_heldCount++] = channel;
        }

        /// <summary>The session's private connection to <paramref name="server"/>, if it has a live one.</summary>
        private ServerChannel? TakeHeld(ServerRuntime server)
        {
            for (int i = 0; i < _heldCount; i++)
            {
                var c = _held![i]!;
                if (c.Server != server) continue;
                Array.Copy(_held, i + 1, _held, i, _heldCount - i - 1);
                _held[--_heldCount] = null;
                if (c.IsReusable()) return c;
                c.Dispose();
                return null;
            }
            return null;
        }

        /// <summary>'option prefer-last-server' (or NTLM): the first server this session keeps a
        /// private connection to that can take traffic.</summary>
        private ServerRuntime? HeldServer(BackendSnapshot snap)
        {
            for (int i = 0; i < _heldCount; i++)
            {
                var s = _held![i]!.Server;
                if (s.Weight > 0 && snap.Serving.Contains(s)) return s;
            }
            return null;
        }

        private void CloseHeld()
        {
            for (int i = 0; i < _heldCount; i++)
            {
                _held![i]!.Dispose();
                _held[i] = null;
            }
            _heldCount = 0;
            if (_parking is { } parked) { _parking = null; parked.Dispose(); }
        }

        private static void Park(ServerChannel channel)
        {
            channel.ReleaseBuffer();
            if (!channel.Server.Pool.TryPark(channel)) channel.Dispose();
        }

        /// <summary>Called once a read's bytes have been consumed: a connection released meanwhile goes to its pool now.</summary>
        private void ParkIfReleased(ServerChannel channel)
        {
            if (!ReferenceEquals(channel, _parking)) return;
            _parking = null;
            Park(channel);
            if (!_nextAfterPark) return;
            _nextAfterPark = false;
            if (!_closing) ProcessRequestHead();
        }

        /// <summary>
        /// A reused connection failed before any response (the server closed it while it was idle):
        /// the request, if it has no body, goes again on a new connection.
        /// </summary>
        private bool RetryOnNewConnection()
        {
            if (!_reusedServer || _responseStarted || !_requestBody.IsEmptyBody) return false;
            CloseServer();
            _reusedServer = false;
            _req = RequestPhase.Connecting;
            _res = ResponsePhase.Idle;
            Connect();
            return true;
        }

        private static readonly byte[] Ntlm = "NTLM"u8.ToArray(), Nego = "Nego"u8.ToArray();

        /// <summary>
        /// A 401 / 407 asking for NTLM or Negotiate authenticates the connection, not the request:
        /// as haproxy does, the connection becomes private to the session and its next requests
        /// prefer that server.
        /// </summary>
        private void NoteConnectionAuthentication(ResponseHead response)
        {
            if (response.StatusCode is not (401 or 407)) return;
            var name = response.StatusCode == 401 ? "www-authenticate" : "proxy-authenticate";
            for (int i = response.IndexOf(name); i >= 0; i = response.IndexOf(name, i + 1))
            {
                var v = response.ValueAt(i).TrimStart((byte)' ');
                if (v.Length >= 4 && (Ascii.EqualsIgnoreCase(v[..4], Ntlm) || Ascii.EqualsIgnoreCase(v[..4], Nego)))
                {
                    if (_server != null) _server.Private = true;
                    _preferLast = true;
                    return;
                }
            }
        }
    }
}

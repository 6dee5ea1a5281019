using Lb.Actors.Backends;
using Lb.Actors.Balancing;
using Lb.Actors.Http;
using Lb.Actors.Persistence;
using Lb.Config.Model;

namespace Lb.Actors.Sessions;

internal sealed partial class HttpSessionStage
{
    private sealed partial class Logic
    {
        private ServerRuntime? _picked;
        private Proxy? _cookieFor;
        private CookiePersistence? _cookie;
        private CookieVerdict _cookieVerdict;
        private StickSession? _stick;

        /// <summary>
        /// The server for this request: the persistence cookie's, else the backend's balancer over
        /// the request (and the body bytes already received, for url_param on POST). Every request
        /// is balanced, as in haproxy: idle server connections are shared through the servers'
        /// pools, so moving to another server costs no new connection. Only a session that holds a
        /// private connection ('http-reuse never', NTLM) stays on that server, with 'option
        /// prefer-last-server' (or after NTLM) and a non-hash algorithm.
        /// </summary>
        /// <param name="persistence">false: the request is redispatched, persistence does not apply</param>
        private ServerRuntime? PickServer(RequestHead request, bool persistence = true)
        {
            var snap = _backend!.Snapshot;
            if (!ReferenceEquals(_cookieFor, snap.Config))
            {
                _cookieFor = snap.Config;
                _cookie = CookiePersistence.For(snap.Config);
            }
            _cookieVerdict = CookieVerdict.None;
            _direct = false;
            if (persistence)
            {
                var direct = _cookie?.Direct(request, snap, out _cookieVerdict);
                // Stick rules run after the cookie (which wins), before balancing.
                _stick = _backend.Stick is not { } rules ? null : _stick?.Rules == rules ? _stick : new StickSession(rules);
                direct = _stick?.OnRequest(new StickContext { Source = _stage._client.Address, Client = _stage._client, Destination = _stage._local, Request = request }, snap, direct) ?? direct;
                if (direct != null)
                {
                    _direct = true;
                    return direct;
                }
            }
            if (persistence && _heldCount > 0 && !snap.Config.Balance.IsHashBased
                && (_preferLast || snap.Config.HasOption("prefer-last-server"))
                && HeldServer(snap) is { } last)
                return last;
            var body = ReadOnlySpan<byte>.Empty;
            byte[]? copy = null;
            if (snap.Config.Balance.Algorithm == BalanceAlgorithm.UrlParam && request.Method == RequestMethod.Post && !request.IsChunked && !_pending.IsEmpty)
            {
                copy = _pending.ToArray();
                body = copy;
            }
            return snap.Balancer.Pick(new BalanceContext { Source = _stage._client.Address, Request = request, Body = body });
        }

        /// <summary>Persistence on the response: the cookie ('cookie ... insert|rewrite|prefix') and the stick-table stores.</summary>
        private void RespondCookie(ResponseHead response)
        {
            if (_cookie != null && _server != null) _cookie.Respond(_request!, response, _server.Server, _cookieVerdict);
            _stick?.OnResponse(new StickContext { Source = _stage._client.Address, Client = _stage._client, Destination = _stage._local, Request = _request, Response = response }, _server?.Server);
        }
    }
}

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
        /// The server for this request: the backend's balancer over the request (and the body bytes
        /// already received, for url_param on POST). A kept-alive server connection that is still
        /// usable is kept for the algorithms that do not look at the request (roundrobin,
        /// leastconn, ...), as with 'option prefer-last-server': HAProxy balances those per request
        /// too but keeps its idle connection to every server of the session, which Lb does not
        /// have yet, so switching would mean reconnecting on every request.
        /// </summary>
        private ServerRuntime? PickServer(RequestHead request)
        {
            var snap = _backend!.Snapshot;
            if (!ReferenceEquals(_cookieFor, snap.Config))
            {
                _cookieFor = snap.Config;
                _cookie = CookiePersistence.For(snap.Config);
            }
            _cookieVerdict = CookieVerdict.None;
            var direct = _cookie?.Direct(request, snap, out _cookieVerdict);
            // Stick rules run after the cookie (which wins), before balancing.
            _stick = _backend.Stick is not { } rules ? null : _stick?.Rules == rules ? _stick : new StickSession(rules);
            direct = _stick?.OnRequest(new StickContext { Source = _stage._client.Address, Destination = _stage._local, Request = request }, snap, direct) ?? direct;
            if (direct != null) return direct;
            if (_server != null && (!snap.Config.Balance.IsHashBased || snap.Config.HasOption("prefer-last-server"))
                && _server.Server.Weight > 0 && snap.Serving.Contains(_server.Server))
                return _server.Server;
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
            _stick?.OnResponse(new StickContext { Source = _stage._client.Address, Destination = _stage._local, Request = _request, Response = response }, _server?.Server);
        }
    }
}

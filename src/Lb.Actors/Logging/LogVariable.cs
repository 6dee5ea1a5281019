namespace Lb.Actors.Logging;

/// <summary>The '%' variables of haproxy's log-format (section 8.2.4 of its manual).</summary>
internal enum LogVariable
{
    GlobalOptions,      // o: sets the flags of the variables that follow
    BytesDown,          // B: bytes from the server to the client
    CookieClient,       // CC: captured request cookie
    CookieServer,       // CS: captured response cookie
    Hostname,           // H
    UniqueId,           // ID
    Status,             // ST
    DateGmt,            // T: accept date, GMT
    Ta, Tc, Th, Ti, Tq, Tr, TR, Td, Tt, Tu, Tw,
    DateLocal,          // Tl
    Timestamp,          // Ts: accept date, Unix seconds
    BytesUp,            // U: bytes from the client to the server
    ActiveConns,        // ac
    Backend,            // b
    BackendConns,       // bc
    BackendSourceIp,    // bi
    BackendSourcePort,  // bp
    BackendQueue,       // bq
    ClientIp,           // ci
    ClientPort,         // cp
    Frontend,           // f
    FrontendConns,      // fc
    FrontendIp,         // fi
    FrontendPort,       // fp
    FrontendTransport,  // ft
    RequestHeaders,     // hr
    RequestHeaderList,  // hrl
    ResponseHeaders,    // hs
    ResponseHeaderList, // hsl
    Method,             // HM
    Path,               // HP
    PathOnly,           // HPO
    Query,              // HQ
    Uri,                // HU
    Version,            // HV
    LogCount,           // lc
    AcceptMs,           // ms
    Pid,                // pid
    RequestLine,        // r
    Retries,            // rc
    RequestCounter,     // rt
    Server,             // s
    ServerConns,        // sc
    ServerIp,           // si
    ServerPort,         // sp
    ServerQueue,        // sq
    SslCipher,          // sslc
    SslVersion,         // sslv
    AcceptDate,         // t
    RequestDate,        // tr
    RequestDateGmt,     // trg
    RequestDateLocal,   // trl
    TermState,          // ts
    TermStateCookies,   // tsc
}

internal static class LogVariables
{
    public static readonly IReadOnlyDictionary<string, LogVariable> ByName = new Dictionary<string, LogVariable>(StringComparer.Ordinal)
    {
        ["o"] = LogVariable.GlobalOptions, ["B"] = LogVariable.BytesDown, ["CC"] = LogVariable.CookieClient,
        ["CS"] = LogVariable.CookieServer, ["H"] = LogVariable.Hostname, ["ID"] = LogVariable.UniqueId,
        ["ST"] = LogVariable.Status, ["T"] = LogVariable.DateGmt, ["Ta"] = LogVariable.Ta, ["Tc"] = LogVariable.Tc,
        ["Th"] = LogVariable.Th, ["Ti"] = LogVariable.Ti, ["Tl"] = LogVariable.DateLocal, ["Tq"] = LogVariable.Tq,
        ["Tr"] = LogVariable.Tr, ["TR"] = LogVariable.TR, ["Td"] = LogVariable.Td, ["Ts"] = LogVariable.Timestamp,
        ["Tt"] = LogVariable.Tt, ["Tu"] = LogVariable.Tu, ["Tw"] = LogVariable.Tw, ["U"] = LogVariable.BytesUp,
        ["ac"] = LogVariable.ActiveConns, ["b"] = LogVariable.Backend, ["bc"] = LogVariable.BackendConns,
        ["bi"] = LogVariable.BackendSourceIp, ["bp"] = LogVariable.BackendSourcePort, ["bq"] = LogVariable.BackendQueue,
        ["ci"] = LogVariable.ClientIp, ["cp"] = LogVariable.ClientPort, ["f"] = LogVariable.Frontend,
        ["fc"] = LogVariable.FrontendConns, ["fi"] = LogVariable.FrontendIp, ["fp"] = LogVariable.FrontendPort,
        ["ft"] = LogVariable.FrontendTransport, ["hr"] = LogVariable.RequestHeaders, ["hrl"] = LogVariable.RequestHeaderList,
        ["hs"] = LogVariable.ResponseHeaders, ["hsl"] = LogVariable.ResponseHeaderList, ["HM"] = LogVariable.Method,
        ["HP"] = LogVariable.Path, ["HPO"] = LogVariable.PathOnly, ["HQ"] = LogVariable.Query, ["HU"] = LogVariable.Uri,
        ["HV"] = LogVariable.Version, ["lc"] = LogVariable.LogCount, ["ms"] = LogVariable.AcceptMs, ["pid"] = LogVariable.Pid,
        ["r"] = LogVariable.RequestLine, ["rc"] = LogVariable.Retries, ["rt"] = LogVariable.RequestCounter,
        ["s"] = LogVariable.Server, ["sc"] = LogVariable.ServerConns, ["si"] = LogVariable.ServerIp,
        ["sp"] = LogVariable.ServerPort, ["sq"] = LogVariable.ServerQueue, ["sslc"] = LogVariable.SslCipher,
        ["sslv"] = LogVariable.SslVersion, ["t"] = LogVariable.AcceptDate, ["tr"] = LogVariable.RequestDate,
        ["trg"] = LogVariable.RequestDateGmt, ["trl"] = LogVariable.RequestDateLocal, ["ts"] = LogVariable.TermState,
        ["tsc"] = LogVariable.TermStateCookies,
    };

    /// <summary>Variables that only mean something in HTTP mode (haproxy warns and ignores them in a TCP proxy).</summary>
    public static bool HttpOnly(LogVariable v) => v is LogVariable.CookieClient or LogVariable.CookieServer
        or LogVariable.Ta or LogVariable.Ti or LogVariable.Tq or LogVariable.Tr or LogVariable.TR
        or LogVariable.Method or LogVariable.Path or LogVariable.PathOnly or LogVariable.Query or LogVariable.Uri
        or LogVariable.Version or LogVariable.RequestLine or LogVariable.RequestDate or LogVariable.RequestDateGmt
        or LogVariable.RequestDateLocal;
}

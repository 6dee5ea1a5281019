namespace Lb.Tests.DataPlane;

/// <summary>
/// Skip reasons of the data-plane tests that Lb fails today: each test is written the way Lb
/// SHOULD behave (haproxy 2.6 passes it: run the folder with LB_DATAPLANE_PROXY=haproxy) and is
/// skipped until the bug is fixed. To run the skipped tests against Lb (e.g. to check a fix):
/// <c>dotnet test tests/Lb.Tests -p:DefineConstants=DATAPLANE_RUN_SKIPPED --filter "FullyQualifiedName~Lb.Tests.DataPlane"</c>.
/// Fixed a bug? Delete its constant and the Skip that uses it.
/// </summary>
internal static class LbBugs
{
#if DATAPLANE_RUN_SKIPPED
    public const string? ErrorPageRawForm = null;
    public const string? GatewayErrorCloses = null;
    public const string? TcpConnectFailRst = null;
    public const string? StaleServerConnection = null;
    public const string? NotFirstRequest502 = null;
    public const string? ServerReadBufferReused = null;
    public const string? InterimThenFinalDropped = null;
#else
    public const string ErrorPageRawForm =
        "Lb bug: 400/408 go out in the stream form (lower-cased headers, 'connection: close' last) instead of haproxy's raw form (ErrorPages.Raw)";
    public const string GatewayErrorCloses =
        "Lb bug: 502/503/504 add 'connection: close' and close the client connection; haproxy keeps an HTTP/1.1 client alive";
    public const string TcpConnectFailRst =
        "Lb bug: mode tcp, server connect fails: the client connection is reset (RST) where haproxy closes it with FIN";
    public const string StaleServerConnection =
        "Lb bug: when the server closes an idle kept-alive connection, Lb closes the client connection too (FIN, no response to the next request); haproxy serves the next request on a new server connection";
    public const string NotFirstRequest502 =
        "Lb bug: a server closing without answering a later (not first) request of a keep-alive connection gets 502; haproxy closes the client silently so it can retry";
    public const string ServerReadBufferReused =
        "Lb bug: response body corrupted when the head and body arrive in one read: Send(head) starts the next server read into the same ServerChannel buffer before the body bytes are copied";
    public const string InterimThenFinalDropped =
        "Lb bug: a 100 Continue and the final response in one server read: the final response is dropped and the client hangs";
#endif
}

using System.Net;
using Lb.Actors.Backends;
using Lb.Actors.Frontends;
using Lb.Actors.Http;

namespace Lb.Actors.Rules;

/// <summary>
/// What a condition or an action may look at: the connection's addresses, the request head
/// (null in tcp mode), the response head (null on the request side), the frontend, and the
/// backend chosen so far (the frontend's own backend before the switching rules ran). A plain
/// struct of references, built per evaluation on the stack.
/// </summary>
public readonly struct RuleContext
{
    public RuleContext(IPEndPoint? client, IPEndPoint? local, RequestHead? request = null, ResponseHead? response = null,
        FrontendRuntime? frontend = null, BackendHandle? backend = null)
    {
        Client = client;
        Local = local;
        Request = request;
        Response = response;
        Frontend = frontend;
        Backend = backend;
    }

    public IPEndPoint? Client { get; }
    public IPEndPoint? Local { get; }
    public RequestHead? Request { get; }
    public ResponseHead? Response { get; }
    public FrontendRuntime? Frontend { get; }
    public BackendHandle? Backend { get; }

    public RuleContext WithBackend(BackendHandle? backend) => new(Client, Local, Request, Response, Frontend, backend);

    public RuleContext WithResponse(ResponseHead? response) => new(Client, Local, Request, response, Frontend, Backend);
}

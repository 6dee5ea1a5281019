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
        FrontendRuntime? frontend = null, BackendHandle? backend = null, Conditions.AclMemo? memo = null)
    {
        Client = client;
        Local = local;
        Request = request;
        Response = response;
        Frontend = frontend;
        Backend = backend;
        Memo = memo;
    }

    public IPEndPoint? Client { get; }
    public IPEndPoint? Local { get; }
    public RequestHead? Request { get; }
    public ResponseHead? Response { get; }
    public FrontendRuntime? Frontend { get; }
    public BackendHandle? Backend { get; }

    /// <summary>Results of the named ACLs already evaluated on a head that cannot change meanwhile
    /// (the use_backend rules), or null: every test evaluates.</summary>
    public Conditions.AclMemo? Memo { get; }

    public RuleContext WithBackend(BackendHandle? backend) => new(Client, Local, Request, Response, Frontend, backend);

    public RuleContext WithMemo(Conditions.AclMemo? memo) => new(Client, Local, Request, Response, Frontend, Backend, memo);
}

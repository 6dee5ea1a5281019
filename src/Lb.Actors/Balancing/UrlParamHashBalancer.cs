using Lb.Actors.Http;
using Lb.Config.Model;

namespace Lb.Actors.Balancing;

/// <summary>
/// 'balance url_param NAME [check_post]': the parameter's value from the query string, else (POST)
/// from the body bytes already received. HAProxy 2.6 searches a POST body whether or not
/// check_post is given.
/// </summary>
public sealed class UrlParamHashBalancer : HashBalancer
{
    public const string Name = "url_param";

    private readonly byte[] _name;

    public UrlParamHashBalancer(ServerGroups groups, Balance balance, HashType hashType, HashBalancer? previous = null) : base(groups, hashType, previous) =>
        _name = HashKeys.Bytes(balance.ParamName);

    protected override bool SkipsKeyWithOneServer => false;

    protected override bool TryGetHash(in BalanceContext context, out uint hash)
    {
        hash = 0;
        if (context.Request is not { } request) return false;
        if (HashKeys.TryUrlParam(request.Target, _name, out var value)
            || (request.Method == RequestMethod.Post && HashKeys.TryBodyParam(context.Body, _name, out value)))
        {
            hash = Hash(value);
            return true;
        }
        return false;
    }
}

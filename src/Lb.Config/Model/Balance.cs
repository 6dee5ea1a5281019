namespace Lb.Config.Model;

public enum BalanceAlgorithm { RoundRobin, StaticRr, LeastConn, First, Source, Uri, UrlParam, Header, RdpCookie, Random, Hash }
public enum HashMethod { MapBased, Consistent }
public enum HashFunction { Sdbm, Djb2, Wt6, Crc32, None }

/// <summary>'balance ALGO [ARGS]' with every argument HAProxy 2.6 accepts.</summary>
public sealed record Balance
{
    public BalanceAlgorithm Algorithm { get; init; } = BalanceAlgorithm.RoundRobin;

    // uri
    public bool UriWhole { get; init; }
    public bool UriPathOnly { get; init; }
    public int UriLen { get; init; }
    public int UriDepth { get; init; }

    // url_param
    public string? ParamName { get; init; }
    public bool CheckPost { get; init; }
    public int CheckPostMaxWait { get; init; }

    // hdr(name)
    public string? HeaderName { get; init; }
    public bool UseDomainOnly { get; init; }

    // rdp-cookie(name)
    public string? CookieName { get; init; }

    // random(N)
    public int RandomDraws { get; init; } = 2;

    // hash <expr>
    public string? HashExpression { get; init; }

    public bool IsHashBased => Algorithm is BalanceAlgorithm.Source or BalanceAlgorithm.Uri or BalanceAlgorithm.UrlParam
        or BalanceAlgorithm.Header or BalanceAlgorithm.RdpCookie or BalanceAlgorithm.Hash;

    public static readonly Balance Default = new();
}

/// <summary>'hash-type METHOD [FUNCTION] [MODIFIER]'.</summary>
public sealed record HashType(HashMethod Method = HashMethod.MapBased, HashFunction Function = HashFunction.Sdbm, bool Avalanche = false)
{
    public static readonly HashType Default = new();
}

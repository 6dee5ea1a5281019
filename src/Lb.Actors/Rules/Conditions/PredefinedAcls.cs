namespace Lb.Actors.Rules.Conditions;

/// <summary>The ACLs every proxy has (HAProxy's default_acl_list), as criterion and patterns.</summary>
internal static class PredefinedAcls
{
    public static readonly IReadOnlyDictionary<string, (string Criterion, string[] Patterns)> All =
        new Dictionary<string, (string, string[])>(StringComparer.Ordinal)
        {
            ["TRUE"] = ("always_true", []),
            ["FALSE"] = ("always_false", []),
            ["LOCALHOST"] = ("src", ["127.0.0.1/8", "::1"]),
            ["HTTP"] = ("req.proto_http", []),
            ["HTTP_1.0"] = ("req.ver", ["1.0"]),
            ["HTTP_1.1"] = ("req.ver", ["1.1"]),
            ["HTTP_2.0"] = ("req.ver", ["2.0"]),
            ["HTTP_3.0"] = ("req.ver", ["3.0"]),
            ["METH_CONNECT"] = ("method", ["CONNECT"]),
            ["METH_DELETE"] = ("method", ["DELETE"]),
            ["METH_GET"] = ("method", ["GET", "HEAD"]),
            ["METH_HEAD"] = ("method", ["HEAD"]),
            ["METH_OPTIONS"] = ("method", ["OPTIONS"]),
            ["METH_POST"] = ("method", ["POST"]),
            ["METH_PUT"] = ("method", ["PUT"]),
            ["METH_TRACE"] = ("method", ["TRACE"]),
            ["HTTP_URL_ABS"] = ("url_reg", ["^[^/:]*://"]),
            ["HTTP_URL_SLASH"] = ("url_beg", ["/"]),
            ["HTTP_URL_STAR"] = ("url", ["*"]),
            ["HTTP_CONTENT"] = ("req.hdr_val(content-length)", ["gt", "0"]),
        };
}

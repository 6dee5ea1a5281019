using Lb.Config.Model;

namespace Lb.Actors.Logging;

/// <summary>
/// A frontend's 'capture request header NAME len N', 'capture response header NAME len N' and
/// 'capture cookie NAME len N', in declaration order (the order of %hr / %hs).
/// </summary>
internal sealed class CaptureSpec
{
    public static readonly CaptureSpec None = new(Array.Empty<(string, int)>(), Array.Empty<(string, int)>(), null, 0);

    private CaptureSpec((string Name, int Length)[] request, (string Name, int Length)[] response, string? cookie, int cookieLength)
    {
        Request = request;
        Response = response;
        Cookie = cookie;
        CookieBytes = System.Text.Encoding.Latin1.GetBytes(cookie ?? "");
        CookieLength = cookieLength;
    }

    public (string Name, int Length)[] Request { get; }
    public (string Name, int Length)[] Response { get; }

    /// <summary>'capture cookie': the first cookie whose name starts with this is logged as %CC / %CS.</summary>
    public string? Cookie { get; }
    public byte[] CookieBytes { get; }
    public int CookieLength { get; }

    public static CaptureSpec For(Proxy frontend, List<string>? problems = null)
    {
        var request = new List<(string, int)>();
        var response = new List<(string, int)>();
        string? cookie = null;
        int cookieLength = 0;
        foreach (var d in frontend.OtherDirectives.Where(d => d.Keyword == "capture"))
        {
            var w = d.Words;
            bool header = w.Length == 6 && w[2] == "header" && w[1] is "request" or "response";
            bool isCookie = w.Length == 5 && w[1] == "cookie";
            int lenAt = header ? 4 : 3;
            if (!(header || isCookie) || w[lenAt] != "len" || !int.TryParse(w[lenAt + 1], out int len) || len <= 0 || len > 65535)
            {
                problems?.Add($"{d.Location}: '{d}' is not understood (expected 'capture request|response header NAME len N' or 'capture cookie NAME len N'); ignored");
                continue;
            }
            if (isCookie) { cookie = w[2]; cookieLength = len; }
            else (w[1] == "request" ? request : response).Add((w[3], len));
        }
        if (request.Count == 0 && response.Count == 0 && cookie is null) return None;
        return new CaptureSpec(request.ToArray(), response.ToArray(), cookie, cookieLength);
    }
}

using System.Globalization;
using Lb.Actors.Http;
using Lb.Actors.Rules.Format;
using Lb.Config.Model;

namespace Lb.Actors.Rules.Actions;

/// <summary>
/// The reply arguments shared by deny, tarpit and return (HAProxy 2.6): [deny_status N | status N]
/// [content-type T] [default-errorfiles | errorfile F | errorfiles NAME | file F | lf-file F |
/// string S | lf-string FMT] [hdr NAME FMT]*.
/// </summary>
internal sealed class ReplySpec
{
    private enum BodyKind { None, DefaultErrorFiles, ErrorFile, ErrorFiles, File, LfFile, String, LfString }

    private int? _status;
    private string? _contentType;
    private BodyKind _body;
    private string? _bodyArg;
    private readonly List<(string Name, string Format)> _headers = new();

    public static ReplySpec Parse(ActionRule rule, RuleCompilation c)
    {
        var spec = new ReplySpec();
        var a = rule.Args;
        for (int i = 0; i < a.Length; i++)
        {
            string Next() => i + 1 < a.Length ? a[++i] : "";
            switch (a[i])
            {
                case "deny_status" or "status":
                    if (int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s is >= 200 and <= 599) spec._status = s;
                    else c.Warn(rule.Location, $"'{rule.Keyword} {rule.Action}': invalid status code '{a[i]}' (expects 200..599): ignored.");
                    break;
                case "content-type": spec._contentType = Next(); break;
                case "default-errorfiles": spec._body = BodyKind.DefaultErrorFiles; break;
                case "errorfile": spec._body = BodyKind.ErrorFile; spec._bodyArg = Next(); break;
                case "errorfiles": spec._body = BodyKind.ErrorFiles; spec._bodyArg = Next(); break;
                case "file": spec._body = BodyKind.File; spec._bodyArg = Next(); break;
                case "lf-file": spec._body = BodyKind.LfFile; spec._bodyArg = Next(); break;
                case "string": spec._body = BodyKind.String; spec._bodyArg = Next(); break;
                case "lf-string": spec._body = BodyKind.LfString; spec._bodyArg = Next(); break;
                case "hdr":
                    var name = Next();
                    spec._headers.Add((name, Next()));
                    break;
                default:
                    c.Warn(rule.Location, $"'{rule.Keyword} {rule.Action}': unexpected argument '{a[i]}': ignored.");
                    break;
            }
        }
        return spec;
    }

    /// <summary>The reply; an error page of <paramref name="defaultStatus"/> when no body is given
    /// and <paramref name="errorPageByDefault"/> (deny, tarpit).</summary>
    public HttpReply Build(ActionRule rule, RuleCompilation c, ErrorPageSet pages, int defaultStatus, bool errorPageByDefault)
    {
        int status = _status ?? defaultStatus;
        try
        {
            switch (_body)
            {
                case BodyKind.DefaultErrorFiles:
                    return new ErrorPageReply(status, pages);
                case BodyKind.ErrorFiles:
                    c.Warn(rule.Location, $"'{rule.Keyword} {rule.Action}': 'errorfiles {_bodyArg}' (http-errors sections) is not supported by Lb yet: the default error page is used.");
                    return new ErrorPageReply(status, pages);
                case BodyKind.ErrorFile:
                    var variants = ErrorPageSet.FromBytes(File.ReadAllBytes(_bodyArg!));
                    if (variants is null)
                    {
                        c.Warn(rule.Location, $"'{rule.Keyword} {rule.Action}': '{_bodyArg}' is not a valid HTTP response: the default error page is used.");
                        return new ErrorPageReply(status, pages);
                    }
                    return new FileReply(variants);
                case BodyKind.None when errorPageByDefault && _contentType is null && _headers.Count == 0:
                    return new ErrorPageReply(status, pages);
            }
            byte[]? body = _body switch
            {
                BodyKind.File => File.ReadAllBytes(_bodyArg!),
                BodyKind.String => System.Text.Encoding.Latin1.GetBytes(_bodyArg!),
                _ => null,
            };
            LogFormat? bodyFormat = _body switch
            {
                BodyKind.LfFile => c.Format(File.ReadAllText(_bodyArg!, System.Text.Encoding.Latin1), rule.Location),
                BodyKind.LfString => c.Format(_bodyArg!, rule.Location),
                _ => null,
            };
            var headers = _headers.Select(h => (h.Name, c.Format(h.Format, rule.Location))).ToList();
            return new ComposedReply(status, _contentType, body, bodyFormat, headers);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            c.Warn(rule.Location, $"'{rule.Keyword} {rule.Action}': cannot read '{_bodyArg}': {e.Message}; the default error page is used.");
            return new ErrorPageReply(status, pages);
        }
    }
}

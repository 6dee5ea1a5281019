using System.Text;
using Lb.Actors.Http;
using Xunit;

namespace Lb.Tests.Http;

public class LowerCaseNamesTests
{
    [Fact]
    public void LowerCaseNames_MixedCaseHeaders_ForwardedInLowerCaseWithValuesUntouched()
    {
        var parser = HttpHeadParser.ForResponses();
        var raw = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Server: S1\r\nSet-Cookie: ID=AbC\r\n\r\n"u8.ToArray();
        Assert.Equal(HeadParseStatus.Complete, parser.Feed(raw).Status);
        var head = parser.TakeResponse();
        head.LowerCaseNames();
        head.Add("X-Added", "V");
        var text = Encoding.ASCII.GetString(head.ToArray());
        Assert.Contains("content-length: 2\r\n", text);
        Assert.Contains("x-server: S1\r\n", text);
        Assert.Contains("set-cookie: ID=AbC\r\n", text);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", text);
        Assert.Equal(2, head.ContentLength);
    }
}

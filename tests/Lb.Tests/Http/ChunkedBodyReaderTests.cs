using Lb.Actors.Http;
using Xunit;
using static Lb.Tests.Http.HttpTestData;

namespace Lb.Tests.Http;

public class ChunkedBodyReaderTests
{
    public static readonly TheoryData<string, long> Bodies = new()
    {
        { "0\r\n\r\n", 0 },
        { "5\r\nhello\r\n0\r\n\r\n", 5 },
        { "5;ext=1;name=\"q\"\r\nhello\r\n6 ; x\r\n world\r\n0\r\n\r\n", 11 },
        { "A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\nX-Other: two\r\n\r\n", 10 },
        { "a\nabcdefghij\n0\n\n", 10 },
        { "1f\r\n" + new string('z', 31) + "\r\n0;last\r\nT: v\r\n\r\n", 31 },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Advance_SplitAtEveryByte_EndsExactlyAtBodyEnd(string body, long dataBytes)
    {
        var data = B(body + "NEXT");
        for (int cut = 0; cut <= data.Length; cut++)
        {
            var r = new ChunkedBodyReader();
            int n = r.Advance(data.AsSpan(0, cut));
            if (!r.IsComplete) n += r.Advance(data.AsSpan(cut));
            Assert.True(r.IsComplete, $"cut {cut}");
            Assert.False(r.IsError);
            Assert.Equal(body.Length, n);
            Assert.Equal(dataBytes, r.DataBytes);
        }
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Advance_OneByteAtATime_Completes(string body, long dataBytes)
    {
        var data = B(body);
        var r = new ChunkedBodyReader();
        for (int i = 0; i < data.Length; i++)
        {
            Assert.False(r.IsComplete);
            Assert.Equal(1, r.Advance(data.AsSpan(i, 1)));
        }
        Assert.True(r.IsComplete);
        Assert.Equal(dataBytes, r.DataBytes);
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("\r\n")]
    [InlineData("5\r\nhelloX\r\n")]
    [InlineData("5\rX")]
    [InlineData("5 5\r\n")]
    [InlineData("ffffffffffffffff\r\n")]
    [InlineData("0\r\n(bad trailer)\r\n\r\n")]
    public void Advance_Malformed_Error(string body)
    {
        var r = new ChunkedBodyReader();
        int n = r.Advance(B(body));
        Assert.True(r.IsError);
        Assert.NotNull(r.ErrorReason);
        Assert.True(n < body.Length);
    }

    [Fact]
    public void Advance_HugeTrailers_Error()
    {
        var r = new ChunkedBodyReader(maxTrailerBytes: 100);
        r.Advance(B("0\r\nX-T: " + new string('t', 200) + "\r\n\r\n"));
        Assert.True(r.IsError);
    }

    [Fact]
    public void Advance_LargeChunk_NotBuffered()
    {
        var r = new ChunkedBodyReader();
        Assert.Equal(9, r.Advance(B("100000\r\n")[..8].Concat(new byte[1]).ToArray()));
        var block = new byte[65536];
        long total = 1;
        while (total < 0x100000) total += r.Advance(block.AsSpan(0, (int)Math.Min(block.Length, 0x100000 - total)));
        Assert.Equal(0x100000, r.DataBytes);
        Assert.Equal(7, r.Advance(B("\r\n0\r\n\r\n")));
        Assert.True(r.IsComplete);
    }

    [Fact]
    public void Reset_AfterComplete_ReadsNextBody()
    {
        var r = new ChunkedBodyReader();
        r.Advance(B("0\r\n\r\n"));
        Assert.True(r.IsComplete);
        r.Reset();
        Assert.Equal(11, r.Advance(B("1\r\na\r\n0\r\n\r\n")));
        Assert.True(r.IsComplete);
        Assert.Equal(2, r.Chunks);
    }
}

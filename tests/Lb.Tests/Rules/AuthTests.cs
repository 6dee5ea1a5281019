using System.Text;
using Lb.Actors.Rules.Auth;
using Xunit;
using static Lb.Tests.Rules.RulesRig;

namespace Lb.Tests.Rules;

public class AuthTests
{
    // Vectors made with "openssl passwd -5|-6 -salt ..." (the glibc algorithm haproxy's crypt() uses).
    [Theory]
    [InlineData("Hello world!", "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1")]
    [InlineData("Hello world!", "$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5")]
    [InlineData("Hello world!", "$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA")]
    [InlineData("s3cret", "$6$abcdefgh$Z7KfoKnKTSZrzo5VZ0YubGLQOj9ov6sHo9TmE3zIU/LHKhpE30zCnZ0mcIXYf9r9rQ4DYaXoxAFSPFlcWdxjB.")]
    [InlineData("s3cret", "$5$rounds=2000$xyz$/pWV/T54lhIZrsIg2BwCuuNNIXRtbNcSLcnH5BZKInA")]
    public void ShaCrypt_KnownVectors(string password, string hash)
    {
        Assert.Equal(hash, ShaCrypt.Compute(Encoding.ASCII.GetBytes(password), hash));
        Assert.True(ShaCrypt.Verify(Encoding.ASCII.GetBytes(password), hash));
        Assert.False(ShaCrypt.Verify(Encoding.ASCII.GetBytes(password + "x"), hash));
    }

    private const string Users = """
        userlist members
            group admins users alice
            user alice password $6$abcdefgh$Z7KfoKnKTSZrzo5VZ0YubGLQOj9ov6sHo9TmE3zIU/LHKhpE30zCnZ0mcIXYf9r9rQ4DYaXoxAFSPFlcWdxjB.
            user bob insecure-password plain groups staff
            user carol password $1$abc$notsupported
        """;

    [Fact]
    public void HttpAuth_BasicCredentials_CheckedAgainstTheUserlist()
    {
        var rig = ForFrontend("""
            http-request auth realm Members unless { http_auth(members) }
            http-request set-header X-Admin %[http_auth_group(members)] if { http_auth_group(members) admins }
            default_backend b1
            """, Users);
        Assert.Contains(rig.Warnings, w => w.Contains("carol") && w.Contains("$5$ and $6$"));
        Assert.StartsWith("HTTP/1.1 401", rig.Run(Get("/")).Reply);
        Assert.StartsWith("HTTP/1.1 401", rig.Run(Get("/", "Authorization: Basic Ym9iOndyb25n\r\n")).Reply);  // bob:wrong
        Assert.StartsWith("HTTP/1.1 401", rig.Run(Get("/", "Authorization: Bearer Ym9iOnBsYWlu\r\n")).Reply);
        var bob = rig.Run(Get("/", "Authorization: Basic Ym9iOnBsYWlu\r\n"));                                // bob:plain
        Assert.Equal("b1", bob.Backend);
        Assert.Null(bob.Request.GetValue("x-admin"));
        var alice = rig.Run(Get("/", "Authorization: basic YWxpY2U6czNjcmV0\r\n"));                          // alice:s3cret
        Assert.Equal("b1", alice.Backend);
        Assert.Equal("alice", alice.Request.GetValue("x-admin"));
    }

    [Fact]
    public void HttpAuth_UnknownUserlist_WarnsAndNeverMatches()
    {
        var rig = ForFrontend("http-request deny unless { http_auth(nobody) }\ndefault_backend b1");
        Assert.Contains(rig.Warnings, w => w.Contains("no such userlist 'nobody'"));
        Assert.StartsWith("HTTP/1.1 403", rig.Run(Get("/", "Authorization: Basic Ym9iOnBsYWlu\r\n")).Reply);
    }
}

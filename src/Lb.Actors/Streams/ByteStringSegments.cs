using System.Runtime.CompilerServices;
using Akka.IO;

namespace Lb.Actors.Streams;

/// <summary>
/// Zero-copy access to the arrays behind a <see cref="ByteString"/>.
/// Akka 1.5.73 keeps them in an internal <c>Buffers</c> property (<c>IList&lt;ArraySegment&lt;byte&gt;&gt;</c>,
/// one segment per part of a concatenated/sliced ByteString, already trimmed to the visible range);
/// its public API only offers copying (<c>ToArray</c>, <c>CopyTo</c>, and <c>ToReadOnlySpan</c>, which is
/// a span and so useless for an async send). We read it through <see cref="UnsafeAccessorAttribute"/>;
/// if a future Akka renames it, <see cref="TryGetSegments"/> returns false and callers copy instead.
/// The returned list is Akka's own array: never modify it.
/// </summary>
internal static class ByteStringSegments
{
    private static volatile bool _unavailable;

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Buffers")]
    private static extern IList<ArraySegment<byte>> GetBuffers(ByteString bytes);

    public static bool TryGetSegments(ByteString bytes, out IList<ArraySegment<byte>> segments)
    {
        if (!_unavailable)
        {
            try
            {
                segments = GetBuffers(bytes);
                return true;
            }
            catch (MissingMemberException)
            {
                _unavailable = true;
            }
        }
        segments = Array.Empty<ArraySegment<byte>>();
        return false;
    }
}

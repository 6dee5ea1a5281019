namespace Lb.Actors.Http;

/// <summary>HAProxy's known methods (find_http_meth); anything else is Other.</summary>
public enum HttpMethod { Other, Options, Get, Head, Post, Put, Delete, Trace, Connect }

internal static class HttpMethods
{
    /// <summary>Case-sensitive, as in HAProxy ("get" is Other).</summary>
    public static HttpMethod Classify(ReadOnlySpan<byte> m) => m.Length switch
    {
        3 when m.SequenceEqual("GET"u8) => HttpMethod.Get,
        3 when m.SequenceEqual("PUT"u8) => HttpMethod.Put,
        4 when m.SequenceEqual("HEAD"u8) => HttpMethod.Head,
        4 when m.SequenceEqual("POST"u8) => HttpMethod.Post,
        5 when m.SequenceEqual("TRACE"u8) => HttpMethod.Trace,
        6 when m.SequenceEqual("DELETE"u8) => HttpMethod.Delete,
        7 when m.SequenceEqual("CONNECT"u8) => HttpMethod.Connect,
        7 when m.SequenceEqual("OPTIONS"u8) => HttpMethod.Options,
        _ => HttpMethod.Other,
    };
}

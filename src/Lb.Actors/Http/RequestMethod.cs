namespace Lb.Actors.Http;

/// <summary>HAProxy's known methods (find_http_meth); anything else is Other.</summary>
public enum RequestMethod { Other, Options, Get, Head, Post, Put, Delete, Trace, Connect }

internal static class RequestMethods
{
    /// <summary>Case-sensitive, as in HAProxy ("get" is Other).</summary>
    public static RequestMethod Classify(ReadOnlySpan<byte> m) => m.Length switch
    {
        3 when m.SequenceEqual("GET"u8) => RequestMethod.Get,
        3 when m.SequenceEqual("PUT"u8) => RequestMethod.Put,
        4 when m.SequenceEqual("HEAD"u8) => RequestMethod.Head,
        4 when m.SequenceEqual("POST"u8) => RequestMethod.Post,
        5 when m.SequenceEqual("TRACE"u8) => RequestMethod.Trace,
        6 when m.SequenceEqual("DELETE"u8) => RequestMethod.Delete,
        7 when m.SequenceEqual("CONNECT"u8) => RequestMethod.Connect,
        7 when m.SequenceEqual("OPTIONS"u8) => RequestMethod.Options,
        _ => RequestMethod.Other,
    };
}

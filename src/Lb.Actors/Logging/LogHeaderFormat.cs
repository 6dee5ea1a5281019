namespace Lb.Actors.Logging;

/// <summary>
/// What precedes the message in each line sent to a target ('log ... format F'). With pri =
/// facility*8+level: rfc3164 "&lt;pri&gt;Mmm dd hh:mm:ss [host ]tag[pid]: ", local the same without
/// the host, rfc5424 "&lt;pri&gt;1 ISO-TIME host|- tag pid - - ", priority "&lt;pri&gt;", short
/// "&lt;level&gt;", timed "&lt;level&gt;ISO-TIME ", iso "ISO-TIME ", raw nothing.
/// </summary>
public enum LogHeaderFormat { Rfc3164, Local, Rfc5424, Priority, Short, Timed, Iso, Raw }

namespace Lb.Actors.Persistence;

/// <summary>
/// What an entry of a stick table may store besides its key ('stick-table ... store T,...').
/// The counters (_cnt, _cur, gpc, gpt) are plain numbers; the rates count events over a sliding
/// period given in the store declaration, e.g. 'conn_rate(10s)'.
/// </summary>
public enum StickDataType
{
    ServerId,
    Gpt0,
    Gpc0,
    Gpc0Rate,
    Gpc1,
    Gpc1Rate,
    ConnCnt,
    ConnCur,
    ConnRate,
    SessCnt,
    SessRate,
    HttpReqCnt,
    HttpReqRate,
    HttpErrCnt,
    HttpErrRate,
    HttpFailCnt,
    HttpFailRate,
    BytesInCnt,
    BytesInRate,
    BytesOutCnt,
    BytesOutRate,
}

/// <summary>HAProxy's names for <see cref="StickDataType"/> and whether each is a rate.</summary>
public static class StickDataTypes
{
    private static readonly Dictionary<string, StickDataType> ByName = new(StringComparer.Ordinal)
    {
        ["server_id"] = StickDataType.ServerId,
        ["gpt0"] = StickDataType.Gpt0,
        ["gpc0"] = StickDataType.Gpc0,
        ["gpc0_rate"] = StickDataType.Gpc0Rate,
        ["gpc1"] = StickDataType.Gpc1,
        ["gpc1_rate"] = StickDataType.Gpc1Rate,
        ["conn_cnt"] = StickDataType.ConnCnt,
        ["conn_cur"] = StickDataType.ConnCur,
        ["conn_rate"] = StickDataType.ConnRate,
        ["sess_cnt"] = StickDataType.SessCnt,
        ["sess_rate"] = StickDataType.SessRate,
        ["http_req_cnt"] = StickDataType.HttpReqCnt,
        ["http_req_rate"] = StickDataType.HttpReqRate,
        ["http_err_cnt"] = StickDataType.HttpErrCnt,
        ["http_err_rate"] = StickDataType.HttpErrRate,
        ["http_fail_cnt"] = StickDataType.HttpFailCnt,
        ["http_fail_rate"] = StickDataType.HttpFailRate,
        ["bytes_in_cnt"] = StickDataType.BytesInCnt,
        ["bytes_in_rate"] = StickDataType.BytesInRate,
        ["bytes_out_cnt"] = StickDataType.BytesOutCnt,
        ["bytes_out_rate"] = StickDataType.BytesOutRate,
    };

    public static bool TryParse(string name, out StickDataType type) => ByName.TryGetValue(name, out type);

    public static string Name(StickDataType type)
    {
        foreach (var (name, t) in ByName) if (t == type) return name;
        return type.ToString();
    }

    public static bool IsRate(StickDataType type) => type is StickDataType.Gpc0Rate or StickDataType.Gpc1Rate
        or StickDataType.ConnRate or StickDataType.SessRate or StickDataType.HttpReqRate or StickDataType.HttpErrRate
        or StickDataType.HttpFailRate or StickDataType.BytesInRate or StickDataType.BytesOutRate;

    /// <summary>haproxy keeps these as unsigned 32-bit numbers (a negative 'set table' value wraps); byte counters and server_id are not.</summary>
    public static bool IsStoredAs32Bits(StickDataType type) =>
        type is not (StickDataType.ServerId or StickDataType.BytesInCnt or StickDataType.BytesOutCnt);

    // haproxy's data type numbers (stktable_data_types), the order 'show table' prints them in.
    private static readonly StickDataType[] HaproxyOrder =
    [
        StickDataType.ServerId, StickDataType.Gpt0, StickDataType.Gpc0, StickDataType.Gpc0Rate,
        StickDataType.ConnCnt, StickDataType.ConnRate, StickDataType.ConnCur, StickDataType.SessCnt,
        StickDataType.SessRate, StickDataType.HttpReqCnt, StickDataType.HttpReqRate, StickDataType.HttpErrCnt,
        StickDataType.HttpErrRate, StickDataType.BytesInCnt, StickDataType.BytesInRate, StickDataType.BytesOutCnt,
        StickDataType.BytesOutRate, StickDataType.Gpc1, StickDataType.Gpc1Rate, StickDataType.HttpFailCnt,
        StickDataType.HttpFailRate,
    ];

    /// <summary>The position of <paramref name="type"/> in haproxy's numbering of data types.</summary>
    public static int HaproxyRank(StickDataType type) => Array.IndexOf(HaproxyOrder, type);
}

namespace Lb.Actors.Rules.Matching;

/// <summary>HAProxy's pattern matching methods ('-m NAME'), plus the method matcher of 'method'.</summary>
public enum MatchMethod { Found, Bool, Int, Ip, Bin, Len, Str, Sub, Reg, Beg, End, Dir, Dom, Meth }

public static class MatchMethods
{
    public static bool TryParse(string name, out MatchMethod method)
    {
        method = name switch
        {
            "found" => MatchMethod.Found,
            "bool" => MatchMethod.Bool,
            "int" => MatchMethod.Int,
            "ip" => MatchMethod.Ip,
            "bin" => MatchMethod.Bin,
            "len" => MatchMethod.Len,
            "str" => MatchMethod.Str,
            "sub" => MatchMethod.Sub,
            "reg" => MatchMethod.Reg,
            "beg" => MatchMethod.Beg,
            "end" => MatchMethod.End,
            "dir" => MatchMethod.Dir,
            "dom" => MatchMethod.Dom,
            _ => (MatchMethod)(-1),
        };
        return (int)method >= 0;
    }
}

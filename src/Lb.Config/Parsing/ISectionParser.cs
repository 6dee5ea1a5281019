namespace Lb.Config.Parsing;

internal interface ISectionParser
{
    void Parse(ConfigLine line);
}

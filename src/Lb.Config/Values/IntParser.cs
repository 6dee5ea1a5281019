using System.Globalization;

namespace Lb.Config.Values;

public static class IntParser
{
    public static bool TryParse(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    public static bool TryParseInRange(string text, int min, int max, out int value) =>
        TryParse(text, out value) && value >= min && value <= max;
}

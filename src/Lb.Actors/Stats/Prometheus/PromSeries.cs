using System.Text;

namespace Lb.Actors.Stats.Prometheus;

/// <summary>
/// One metric's fixed bytes, encoded once and shared by every scrape: its '# HELP' and '# TYPE'
/// lines and the start of its samples ("name{" or "name ").
/// </summary>
internal sealed class PromSeries(string name, PromType type, string help)
{
    public string Name { get; } = name;
    public byte[] Header { get; } = Encoding.UTF8.GetBytes($"# HELP {name} {help}\n# TYPE {name} {(type == PromType.Counter ? "counter" : "gauge")}\n");
    public byte[] Name8 { get; } = Encoding.ASCII.GetBytes(name);
    public byte[] Bare { get; } = Encoding.ASCII.GetBytes(name + " ");
}

/// <summary>
/// The text of one scrape and where it stands: a metric's header goes out before its first
/// sample only (samples of a metric are written together), so a metric without samples prints
/// nothing, as in haproxy.
/// </summary>
internal sealed class PromWriter(PromText text)
{
    private PromSeries? _headed;

    public PromText Text { get; } = text;

    private void Header(PromSeries s)
    {
        if (ReferenceEquals(_headed, s)) return;
        Text.Append(s.Header);
        _headed = s;
    }

    /// <summary>A sample without labels; the caller writes the value, then <see cref="End"/>.</summary>
    public void StartBare(PromSeries s)
    {
        Header(s);
        Text.Append(s.Bare);
    }

    /// <summary>"name{labels": <paramref name="labels"/> is an object's label set from <see cref="Labels"/>; more
    /// may follow with <see cref="Append"/>, then <see cref="Value"/>.</summary>
    public void Start(PromSeries s, byte[] labels)
    {
        Header(s);
        Text.Append(s.Name8);
        Text.Append(labels);
    }

    /// <summary>A pre-encoded label fragment (",state=\"UP\"").</summary>
    public void Append(byte[] fragment) => Text.Append(fragment);

    /// <summary>Encodes "{name=\"value\",name2=\"value2\"" once, for every sample of one object.</summary>
    public static byte[] Labels(params (string Name, string Value)[] labels)
    {
        using var t = new PromText(256);
        for (int i = 0; i < labels.Length; i++)
        {
            t.Append(i == 0 ? (byte)'{' : (byte)',');
            t.Ascii(labels[i].Name);
            t.Append("=\""u8);
            t.LabelValue(labels[i].Value);
            t.Append((byte)'"');
        }
        return t.Written.ToArray();
    }

    /// <summary>",name=\"value\"" for each value, encoded once.</summary>
    public static byte[][] Fragments(string name, string[] values) =>
        values.Select(v => Encoding.UTF8.GetBytes($",{name}=\"{v}\"")).ToArray();

    /// <summary>Closes the labels; the value follows.</summary>
    public void Value() => Text.Append("} "u8);

    public void End() => Text.Append((byte)'\n');

    /// <summary>A 'show stat' cell as a value: empty cells (and text) are NaN, as haproxy prints them.</summary>
    public void Cell(string? cell, bool inSeconds = false)
    {
        if (string.IsNullOrEmpty(cell) || !long.TryParse(cell, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long v))
            Text.Append("NaN"u8);
        else if (inSeconds) Text.Seconds(v);
        else Text.Ascii(cell);
        End();
    }

    public void Number(long v)
    {
        Text.Number(v);
        End();
    }
}

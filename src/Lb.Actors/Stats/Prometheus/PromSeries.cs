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
    public byte[] Open { get; } = Encoding.ASCII.GetBytes(name + "{");
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

    /// <summary>"name{first=\"value\"": the caller adds labels with <see cref="Label"/>, then <see cref="Value"/>.</summary>
    public void Start(PromSeries s, ReadOnlySpan<byte> firstLabel, string value)
    {
        Header(s);
        Text.Append(s.Open);
        Text.Append(firstLabel);
        Text.Append("=\""u8);
        Text.LabelValue(value);
        Text.Append((byte)'"');
    }

    public void Label(ReadOnlySpan<byte> name, string value)
    {
        Text.Append((byte)',');
        Text.Append(name);
        Text.Append("=\""u8);
        Text.LabelValue(value);
        Text.Append((byte)'"');
    }

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

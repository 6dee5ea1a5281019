using System.Net.Sockets;
using System.Text;

namespace Lb.Actors.Admin;

/// <summary>
/// One runtime-API connection, haproxy's way: without 'prompt' it reads one line, answers every
/// ';'-separated command in it (each answer ends with an empty line) and closes; with 'prompt'
/// it keeps going, printing "> " after each answer, until 'quit', end of input or the idle
/// timeout ('stats timeout', 'set timeout cli').
/// </summary>
public sealed class CliConnection
{
    private const int MaxLine = 64 * 1024;
    private readonly Socket _socket;
    private readonly CliContext _ctx;
    private readonly byte[] _buffer = new byte[4096];
    private readonly StringBuilder _line = new();
    private int _start, _end;

    public CliConnection(Socket socket, CliContext ctx)
    {
        _socket = socket;
        _ctx = ctx;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var line = await ReadLineAsync(stop).ConfigureAwait(false);
                if (line is null) return;
                _ctx.Payload = null;
                if (line.TrimEnd().EndsWith("<<", StringComparison.Ordinal))
                {
                    // haproxy's payload: the lines after it, up to an empty line or the end of input.
                    line = line.TrimEnd()[..^2];
                    var payload = new List<string>();
                    int size = 0;
                    while (size <= MaxLine * 64 && await ReadLineAsync(stop).ConfigureAwait(false) is { Length: > 0 } more)
                    {
                        payload.Add(more);
                        size += more.Length;
                    }
                    _ctx.Payload = string.Join('\n', payload);
                }
                var output = new StringBuilder();
                foreach (var words in CliParser.Split(line))
                {
                    var answer = await CliCommands.RunAsync(_ctx, words).ConfigureAwait(false);
                    if (_ctx.Quit) break;
                    output.Append(answer).Append('\n');
                    if (_ctx.Prompt) output.Append("> ");
                }
                if (output.Length > 0) await WriteAsync(output.ToString(), stop).ConfigureAwait(false);
                if (_ctx.Quit || !_ctx.Prompt) return;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client went away or timed out: nothing to answer.
        }
        finally
        {
            try { _socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            _socket.Dispose();
        }
    }

    /// <summary>The next line without its newline; null at end of input, on timeout or on an over-long line.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken stop)
    {
        _line.Clear();
        while (true)
        {
            for (int i = _start; i < _end; i++)
            {
                if (_buffer[i] != (byte)'\n') continue;
                _line.Append(Encoding.UTF8.GetString(_buffer, _start, i - _start));
                _start = i + 1;
                return _line.ToString().TrimEnd('\r');
            }
            _line.Append(Encoding.UTF8.GetString(_buffer, _start, _end - _start));
            _start = _end = 0;
            if (_line.Length > MaxLine) return null;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(_ctx.Timeout);
            int n;
            try
            {
                n = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            if (n == 0) return _line.Length > 0 ? _line.ToString().TrimEnd('\r') : null;
            _end = n;
        }
    }

    private async Task WriteAsync(string text, CancellationToken stop)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        int sent = 0;
        while (sent < bytes.Length)
            sent += await _socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, stop).ConfigureAwait(false);
    }
}

using System.Buffers;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace Lb.Actors.Streams;

/// <summary>
/// A <see cref="Flow{TIn,TOut,TMat}"/>-shaped stage over one connected TCP <see cref="Socket"/>:
/// bytes read from the socket are emitted downstream, elements from upstream are written to it.
/// <para>
/// Backpressure: one read in flight at most, issued only when downstream has pulled; one write in
/// flight plus at most one upstream element held while it runs (upstream is pulled as soon as a
/// write starts, so the next element is ready when the write completes).
/// </para>
/// <para>
/// Half-close: upstream completion → pending writes are flushed, then <c>Shutdown(Send)</c> (FIN);
/// reading continues. A 0-byte read (peer FIN) → downstream completes; writing continues.
/// Both directions done → the socket is closed and the materialized task completes.
/// </para>
/// <para>
/// Abort: upstream failure, a socket error, a failing downstream cancel, or a cancel with
/// <see cref="SocketSettings.CancelMeansAbort"/> → close with linger 0 (RST). Errors fail downstream
/// and fault the materialized task.
/// </para>
/// <para>
/// Downstream cancel (normal, default settings): reading stops (<c>Shutdown(Receive)</c>), writing
/// continues until upstream completes.
/// </para>
/// The stage owns the socket (it disposes it) and may be materialized once.
/// </summary>
public sealed class SocketStage : GraphStageWithMaterializedValue<FlowShape<ByteString, ByteString>, Task>
{
    private readonly Socket _socket;
    private readonly SocketSettings _settings;
    private readonly SocketActivity? _activity;
    private int _materialized;

    public SocketStage(Socket socket, SocketSettings settings, SocketActivity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _socket = socket;
        _settings = settings;
        _activity = activity;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    public Inlet<ByteString> In { get; } = new("SocketStage.in");
    public Outlet<ByteString> Out { get; } = new("SocketStage.out");
    public override FlowShape<ByteString, ByteString> Shape { get; }
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("socket");

    public override ILogicAndMaterializedValue<Task> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        if (Interlocked.Exchange(ref _materialized, 1) != 0)
            throw new InvalidOperationException("A SocketStage owns its socket and can be materialized only once.");
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task>(new Logic(this, closed), closed.Task);
    }

    public override string ToString() => "SocketStage";

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly SocketStage _stage;
        private readonly Socket _socket;
        private readonly SocketActivity? _activity;
        private readonly TaskCompletionSource _closedPromise;
        private readonly int _receiveSize;

        private SocketAsyncEventArgs? _readArgs;
        private SocketAsyncEventArgs? _writeArgs;
        private Action<SocketAsyncEventArgs>? _onReadDone;
        private Action<SocketAsyncEventArgs>? _onWriteDone;
        private byte[]? _readBuffer;
        private byte[]? _copyBuffer; // only if ByteString segments are not reachable (see ByteStringSegments)

        private bool _readInFlight;
        private bool _readClosed;       // no more reads: peer FIN, downstream cancel
        private bool _writeInFlight;
        private bool _upstreamFinished;
        private bool _writeClosed;      // Shutdown(Send) done
        private bool _closed;           // socket disposed (closed or aborted)
        private volatile bool _stopped; // PostStop ran: I/O completions are dropped
        private ByteString? _writing;   // element being written (remaining part)
        private ByteString? _pending;   // next element, waiting for the write in flight

        public Logic(SocketStage stage, TaskCompletionSource closedPromise) : base(stage.Shape)
        {
            _stage = stage;
            _socket = stage._socket;
            _activity = stage._activity;
            _closedPromise = closedPromise;
            _receiveSize = stage._settings.ReceiveBufferSize;
            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            // Both ports may close before the socket is done (e.g. downstream cancelled, upstream
            // completed, last write still in flight): the stage decides when it stops.
            SetKeepGoing(true);

            _onReadDone = GetAsyncCallback<SocketAsyncEventArgs>(ReadCompleted);
            _onWriteDone = GetAsyncCallback<SocketAsyncEventArgs>(WriteCompleted);

            _readBuffer = ArrayPool<byte>.Shared.Rent(_receiveSize);
            _readArgs = new SocketAsyncEventArgs();
            _readArgs.SetBuffer(_readBuffer, 0, _receiveSize);
            _readArgs.Completed += OnIoCompleted;
            _readArgs.UserToken = _onReadDone;

            _writeArgs = new SocketAsyncEventArgs();
            _writeArgs.Completed += OnIoCompleted;
            _writeArgs.UserToken = _onWriteDone;

            Pull(_stage.In);
        }

        // Runs on an I/O thread: hand the result back to the stage's interpreter.
        private void OnIoCompleted(object? sender, SocketAsyncEventArgs e)
        {
            if (!_stopped) ((Action<SocketAsyncEventArgs>)e.UserToken!)(e);
        }

        // ---- reading ----

        public override void OnPull() => StartRead();

        private void StartRead()
        {
            if (_readInFlight || _readClosed || _closed) return;
            _readInFlight = true;
            bool pending;
            try
            {
                pending = _socket.ReceiveAsync(_readArgs!);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                _readInFlight = false;
                Abort(ex);
                return;
            }
            if (!pending) ReadCompleted(_readArgs!);
        }

        private void ReadCompleted(SocketAsyncEventArgs e)
        {
            _readInFlight = false;
            if (_closed) return;
            if (_readClosed)
            {
                // downstream cancelled while this read was in flight: drop whatever came
                MaybeClose();
                return;
            }
            if (e.SocketError != SocketError.Success)
            {
                Abort(new SocketException((int)e.SocketError));
                return;
            }
            var n = e.BytesTransferred;
            if (n == 0)
            {
                _readClosed = true; // peer FIN
                Complete(_stage.Out);
                MaybeClose();
                return;
            }
            _activity?.OnRead(n, Environment.TickCount64);
            // The one allocation per read: exactly n bytes, so the receive buffer can be reused.
            Push(_stage.Out, ByteString.CopyFrom(_readBuffer!, 0, n));
        }

        public override void OnDownstreamFinish(Exception cause)
        {
            if (_stage._settings.CancelMeansAbort || cause is not SubscriptionWithCancelException.NonFailureCancellation)
            {
                Abort(cause is SubscriptionWithCancelException.NonFailureCancellation ? null : cause);
                return;
            }
            _readClosed = true;
            try
            {
                // wakes up a read in flight with 0 bytes; ReadCompleted then calls MaybeClose
                _socket.Shutdown(SocketShutdown.Receive);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Abort(ex);
                return;
            }
            MaybeClose();
        }

        // ---- writing ----

        public override void OnPush()
        {
            var bytes = Grab(_stage.In);
            if (bytes.IsEmpty)
            {
                Pull(_stage.In);
                return;
            }
            if (_writeInFlight)
            {
                _pending = bytes; // upstream stays unpulled until this one is started
                return;
            }
            StartWrite(bytes);
            PullIfReady();
        }

        private void PullIfReady()
        {
            if (!_closed && _pending is null && !IsClosed(_stage.In) && !HasBeenPulled(_stage.In))
                Pull(_stage.In);
        }

        private void StartWrite(ByteString bytes)
        {
            _writing = bytes;
            _writeInFlight = true;
            var args = _writeArgs!;
            if (ByteStringSegments.TryGetSegments(bytes, out var segments))
            {
                if (segments.Count == 1)
                {
                    if (args.BufferList is not null) args.BufferList = null;
                    var s = segments[0];
                    args.SetBuffer(s.Array, s.Offset, s.Count);
                }
                else
                {
                    if (args.Buffer is not null || args.Count != 0) args.SetBuffer(null, 0, 0);
                    args.BufferList = segments; // copied into the args' own list; no byte copy
                }
            }
            else
            {
                if (_copyBuffer is null || _copyBuffer.Length < bytes.Count)
                {
                    if (_copyBuffer is not null) ArrayPool<byte>.Shared.Return(_copyBuffer);
                    _copyBuffer = ArrayPool<byte>.Shared.Rent(bytes.Count);
                }
                bytes.CopyTo(_copyBuffer, 0, bytes.Count);
                if (args.BufferList is not null) args.BufferList = null;
                args.SetBuffer(_copyBuffer, 0, bytes.Count);
            }

            bool pending;
            try
            {
                pending = _socket.SendAsync(args);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                _writeInFlight = false;
                Abort(ex);
                return;
            }
            if (!pending) WriteCompleted(args);
        }

        private void WriteCompleted(SocketAsyncEventArgs e)
        {
            _writeInFlight = false;
            if (_closed) return;
            if (e.SocketError != SocketError.Success)
            {
                Abort(new SocketException((int)e.SocketError));
                return;
            }
            var n = e.BytesTransferred;
            _activity?.OnWrite(n, Environment.TickCount64);
            var writing = _writing!;
            if (n < writing.Count)
            {
                // Partial send (the runtime normally loops until all is sent): send the rest.
                StartWrite(writing.Slice(n));
                return;
            }
            _writing = null;
            if (_pending is { } next)
            {
                _pending = null;
                StartWrite(next);
                PullIfReady();
                return;
            }
            if (_upstreamFinished) FinishWriting();
        }

        public override void OnUpstreamFinish()
        {
            _upstreamFinished = true;
            if (!_writeInFlight && _pending is null) FinishWriting();
        }

        public override void OnUpstreamFailure(Exception e) => Abort(e);

        private void FinishWriting()
        {
            if (_writeClosed || _closed) return;
            _writeClosed = true;
            try
            {
                _socket.Shutdown(SocketShutdown.Send); // FIN
                _activity?.OnWriteShutdown(Environment.TickCount64);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Abort(ex);
                return;
            }
            MaybeClose();
        }

        // ---- closing ----

        private void MaybeClose()
        {
            if (_closed || !_readClosed || !_writeClosed || _readInFlight || _writeInFlight) return;
            _closed = true;
            try { _socket.Dispose(); } catch (Exception) { /* closing anyway */ }
            _closedPromise.TrySetResult();
            CompleteStage();
        }

        /// <summary>Close with RST. <paramref name="error"/> null = deliberate abort (not a failure).</summary>
        private void Abort(Exception? error)
        {
            if (_closed) return;
            _closed = true;
            AbortSocket(_socket);
            if (error is null)
            {
                _closedPromise.TrySetResult();
                CompleteStage();
            }
            else
            {
                _closedPromise.TrySetException(error);
                FailStage(error);
            }
        }

        private static void AbortSocket(Socket socket)
        {
            try { socket.LingerState = new LingerOption(true, 0); } catch (Exception) { /* already closed */ }
            try { socket.Dispose(); } catch (Exception) { /* closing anyway */ }
        }

        public override void PostStop()
        {
            _stopped = true;
            if (!_closed)
            {
                // stopped from outside (materializer shutdown, interpreter failure)
                _closed = true;
                AbortSocket(_socket);
                _closedPromise.TrySetException(new AbruptStageTerminationException(this));
            }
            // A buffer the kernel may still write into goes to the GC, not back to the pool.
            if (_readBuffer is not null && !_readInFlight) ArrayPool<byte>.Shared.Return(_readBuffer);
            if (_copyBuffer is not null && !_writeInFlight) ArrayPool<byte>.Shared.Return(_copyBuffer);
            _readBuffer = null;
            _copyBuffer = null;
            _readArgs?.Dispose();
            _writeArgs?.Dispose();
        }
    }
}

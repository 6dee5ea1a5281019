namespace Lb.Actors.Sessions;

/// <summary>
/// 'shutdown session ID' on an HTTP session: like haproxy, a request waiting for its response
/// gets a 502 and the log's termination state 'K' with the phase it was in (KQ, KC, KH; KD once
/// the response flowed, which is then cut); the connection closes either way.
/// </summary>
internal sealed partial class HttpSessionStage
{
    /// <summary>Set once the stage runs; callable from any thread.</summary>
    internal Action? Kill { get; private set; }

    private sealed partial class Logic
    {
        private void RegisterKill() => _stage.Kill = GetAsyncCallback(OnKilled);

        private void OnKilled()
        {
            if (_closing) return;
            char phase = _req switch
            {
                RequestPhase.Head or RequestPhase.StatsBody => '\0',
                RequestPhase.Queued => 'Q',
                RequestPhase.Connecting => 'C',
                _ => _res is ResponsePhase.Body or ResponsePhase.Tunnel || _responseStarted ? 'D' : 'H',
            };
            if (phase == '\0')
            {
                // Between requests (or before the first): nothing to answer, the connection just ends.
                CompleteStage();
                return;
            }
            _log?.Terminate('K', phase);
            _clientKeepAlive = false;
            Reply(502);
        }
    }
}

namespace Lb.Actors.Backends;

public sealed partial class BackendActor
{
    private void ReceiveAgent()
    {
    }

    private void RetargetAgent(ServerRuntime server)
    {
    }
}

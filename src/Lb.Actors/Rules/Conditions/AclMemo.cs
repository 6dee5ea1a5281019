namespace Lb.Actors.Rules.Conditions;

/// <summary>
/// The named ACLs' results during one pass over rules that do not modify the message (the
/// use_backend rules): an ACL used by several rules ("host_a img || host_a css") is evaluated
/// once. Reset before each pass; one per session.
/// </summary>
public sealed class AclMemo(int slots)
{
    private readonly byte[] _state = new byte[slots]; // 0 unknown, 1 false, 2 true

    public void Reset() => Array.Clear(_state);

    internal bool TryGet(int slot, out bool value)
    {
        byte s = (uint)slot < (uint)_state.Length ? _state[slot] : (byte)0;
        value = s == 2;
        return s != 0;
    }

    internal bool Set(int slot, bool value)
    {
        if ((uint)slot < (uint)_state.Length) _state[slot] = value ? (byte)2 : (byte)1;
        return value;
    }
}

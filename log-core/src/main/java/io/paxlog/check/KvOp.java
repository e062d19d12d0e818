package io.paxlog.check;

/**
 * One client operation of a recorded history.
 *
 * @param client     the process that issued it (at most one operation outstanding per client)
 * @param kind       the operation
 * @param key        the key it touches; histories are partitioned by key
 * @param arg1       WRITE: the value; CAS: the expected value; ADD: the delta; READ: unused
 * @param arg2       CAS: the new value; otherwise unused
 * @param invokeNs   when the client invoked it (true time)
 * @param completeNs when the response arrived; ignored if {@code returned} is false
 * @param returned   false if it never returned (gave up, crashed): it may have taken effect at any time after
 *                   {@code invokeNs} or not at all, and its output is unconstrained
 * @param result     READ: the value read; CAS: 1 if it succeeded, 0 if not; ADD: the value after adding
 */
public record KvOp(int client, KvKind kind, long key, long arg1, long arg2,
    long invokeNs, long completeNs, boolean returned, long result)
{
    @Override
    public String toString()
    {
        final String args = switch (kind)
        {
            case READ -> "";
            case WRITE, ADD -> Long.toString(arg1);
            case CAS -> arg1 + "->" + arg2;
        };
        return "c" + client + " " + kind + "(k=" + key + (args.isEmpty() ? "" : ", " + args) + ")" +
            (returned ? " = " + result + " [" + invokeNs + ", " + completeNs + "]" : " = ? [" + invokeNs + ", never]");
    }
}

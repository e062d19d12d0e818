package io.paxlog.check;

/**
 * One client operation of a recorded history on a keyed register/counter store. Every key's initial value is 0.
 *
 * @param client     the process that issued it (each client has at most one operation outstanding at a time)
 * @param kind       the operation
 * @param key        the key it touches; histories are partitioned by key
 * @param arg1       WRITE: the value; CAS: the expected value; ADD: the delta; READ: ignored
 * @param arg2       CAS: the new value; otherwise ignored
 * @param invokeNs   when the client invoked it, in true (global) time
 * @param completeNs when the response arrived; ignored if {@code returned} is false
 * @param returned   false if it never returned (the client crashed or gave up): it may then have taken effect at any
 *                   time after {@code invokeNs}, or not at all, and its output is unconstrained
 * @param result     READ: the value read; WRITE: ignored; CAS: 1 if it succeeded, 0 if not; ADD: the value after adding
 */
public record KvOp(int client, KvKind kind, long key, long arg1, long arg2,
    long invokeNs, long completeNs, boolean returned, long result)
{
    /** A compact description such as {@code client 3 CAS(key 7, 1 -> 2) = succeeded [invoked 100, completed 250]}. */
    @Override
    public String toString()
    {
        final String call = switch (kind)
        {
            case READ -> "READ(key " + key + ")";
            case WRITE -> "WRITE(key " + key + ", " + arg1 + ")";
            case CAS -> "CAS(key " + key + ", " + arg1 + " -> " + arg2 + ")";
            case ADD -> "ADD(key " + key + ", " + arg1 + ")";
        };
        if (!returned)
        {
            return "client " + client + " " + call + " = no response [invoked " + invokeNs + ", never returned]";
        }
        final String output = switch (kind)
        {
            case READ, ADD -> Long.toString(result);
            case WRITE -> "ok";
            case CAS -> result == 1 ? "succeeded" : result == 0 ? "failed" : "invalid(" + result + ")";
        };
        return "client " + client + " " + call + " = " + output + " [invoked " + invokeNs + ", completed " +
            completeNs + "]";
    }
}

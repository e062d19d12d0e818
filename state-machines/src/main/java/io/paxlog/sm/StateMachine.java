package io.paxlog.sm;

/**
 * A deterministic state machine replicated by the log.
 *
 * <p><b>Determinism.</b> {@link #apply} must depend only on the machine's state, the command bytes, the slot and
 * the leader timestamp carried by the entry: no local clock, no unseeded randomness, no iteration over hash
 * order, no I/O. Every replica applies the same commands in the same order and must reach the same state.
 *
 * <p><b>Threading.</b> Called from one thread only (the node's duty cycle); implementations need no locking.
 *
 * <p><b>Buffers.</b> Arrays passed in belong to the caller for the duration of the call only; do not keep them.
 *
 * <p><b>Durability.</b> The log is the source of truth: after a restart the node re-applies committed entries
 * from its journal (and, later, from a snapshot), so a state machine keeps nothing on disk itself.
 */
public interface StateMachine
{
    /** Applies a committed command and returns its result (never null; empty for none). */
    byte[] apply(long slot, long leaderTimestampNs, byte[] command);

    /** Answers a read-only query from the current state without changing it. */
    byte[] query(byte[] query);
}

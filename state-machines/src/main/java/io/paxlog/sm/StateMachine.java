package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A deterministic state machine replicated by the log.
 *
 * <p><b>Determinism.</b> {@link #apply} must depend only on the machine's state, the command bytes, the slot and
 * the leader timestamp carried by the entry: no local clock, no unseeded randomness, no iteration over hash
 * order, no I/O. Every replica applies the same commands in the same order and must reach the same state.
 *
 * <p><b>Threading.</b> Called from one thread only (the node's duty cycle); implementations need no locking.
 *
 * <p><b>Buffers.</b> {@code command} and {@code result} belong to the caller and are valid only during the call:
 * do not keep them. Write the result from offset 0 of {@code result} (it grows as needed) and return its length.
 * On the steady-state path an implementation should not allocate (the node's duty cycle is allocation-free).
 *
 * <p><b>Durability.</b> The log is the source of truth: after a restart the node re-applies committed entries
 * from its journal (and, later, from a snapshot), so a state machine keeps nothing on disk itself.
 */
public interface StateMachine
{
    /** Applies a committed command; returns the length of the result written into {@code result}. */
    int apply(long slot, long leaderTimestampNs, DirectBuffer command, int offset, int length,
        MutableDirectBuffer result);

    /** Answers a read-only query from the current state without changing it; returns the result length. */
    int query(DirectBuffer query, int offset, int length, MutableDirectBuffer result);
}

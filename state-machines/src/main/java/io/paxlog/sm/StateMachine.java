package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A deterministic state machine replicated by the log, hosted by a {@link StateMachineHost} beside others (each
 * addressed by its id, the first byte of every command and query).
 *
 * <p><b>Determinism.</b> Every method that changes state must depend only on the machine's state, the bytes
 * given and the {@link ApplyContext} (slot, leader timestamp, session): no local clock, no unseeded randomness,
 * no iteration over hash order that leaks into results or state, no I/O. Time comes from
 * {@link ApplyContext#timestampNs()}, the leader's clock stamped into the log; timers are scheduled through the
 * context and fire at the same point of the log on every replica. Every replica applies the same calls in the
 * same order and must reach the same state (and the same {@link #snapshot}).
 *
 * <p><b>Threading.</b> Called from one thread only (the node's duty cycle, or the simulator); no locking needed.
 *
 * <p><b>Buffers.</b> Commands, queries, results and snapshot streams belong to the caller and are valid only
 * during the call: never keep them. Write a result from offset 0 of {@code result} (it grows as needed) and
 * return its length. On the steady-state path an implementation should not allocate.
 *
 * <p><b>Durability.</b> The log and the snapshots are the source of truth: after a restart the host restores the
 * latest snapshot ({@link #restore}) and re-applies the committed entries after it. A state machine keeps nothing
 * on disk itself.
 */
public interface StateMachine
{
    /** {@link #apply} result: no answer yet; the machine answers later with {@link ApplyContext#respond}. */
    int PENDING = -1;

    /**
     * Applies a committed command of session {@link ApplyContext#sessionId()}; returns the length of the result
     * written into {@code result}, or {@link #PENDING} to answer later (for example a lock granted on release).
     */
    int apply(ApplyContext ctx, DirectBuffer command, int offset, int length, MutableDirectBuffer result);

    /** Answers a read-only query from the current state without changing it; returns the result length. */
    int query(DirectBuffer query, int offset, int length, MutableDirectBuffer result);

    /** A client session was opened (through the log). */
    default void onSessionOpened(final ApplyContext ctx, final long sessionId)
    {
    }

    /** A session was closed or expired (through the log): release what it held. */
    default void onSessionClosed(final ApplyContext ctx, final long sessionId)
    {
    }

    /** A timer this machine scheduled with {@link ApplyContext#scheduleTimer} is due. */
    default void onTimer(final ApplyContext ctx, final long timerId)
    {
    }

    /** Writes the whole state; {@link #restore} of the output must rebuild an equal machine. */
    void snapshot(SnapshotWriter writer);

    /** Replaces the state with the one {@link #snapshot} wrote. Called before any other call, or not at all. */
    void restore(SnapshotReader reader);
}

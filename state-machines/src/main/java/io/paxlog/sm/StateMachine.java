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
 * <p><b>Durability and replay.</b> The log and the snapshots are the source of truth: after a restart the host
 * restores the latest snapshot ({@link #restore}) and re-applies the committed entries after it, through the same
 * calls in the same order with the same contexts (slot, log time, session, sequence) as the first time, timers and
 * session events included. A machine cannot tell a replay from a first apply, and must not need to. Results and
 * {@link ApplyContext#respond deferred answers} produced during a replay reach no client (none waits on the
 * restarted replica); the session's exactly-once window records them, so a client that retries gets the recorded
 * result. A state machine keeps nothing on disk itself.
 *
 * <p><b>Queries at a lagging replica.</b> {@link #query} runs on the replica that serves the read, against what that
 * replica has applied. A linearizable read runs on the leader; at the sequential and eventual levels a follower
 * answers from its own applied state, which may lag the leader's (sequential waits until the follower has applied
 * the slot the client last saw; eventual does not wait). A query must not assume its state is the latest.
 *
 * <p><b>Snapshots.</b> {@link #snapshot} must write the same bytes on every replica at the same slot (the same state
 * in the same order: no hash-order iteration, no timestamps of its own), so that a snapshot from any member restores
 * any other. Version the format: write a version first, and have {@link #restore} throw on a version it does not
 * know rather than misread it (a node refuses such a snapshot from a peer, or stops at start naming the machine).
 *
 * <p><b>Exceptions: fail-stop.</b> A machine must not throw. A command it cannot apply (malformed, refused) gets an
 * answer, a result the client understands (for example a status byte), never an exception: every replica applies
 * the same command. An exception (or an {@link Error}) escaping {@link #apply}, {@link #onSessionOpened},
 * {@link #onSessionClosed}, {@link #onTimer}, {@link #snapshot} or {@link #restore} leaves the machine half changed
 * while the log counts the entry as applied, so a real node stops at once (fail-stop: it answers, sends and journals
 * nothing more and exits with code 4, naming the machine, the call and the slot) rather than serve a state it cannot
 * vouch for; the other members serve on only if the exception was particular to that member. A deterministic bug
 * throws on every replica that applies the entry, and again on each after a restart, until the machine is fixed.
 * An exception from {@link #query} stops nothing (a query changes no state; the host answers it REJECTED and
 * counts it), nor does a
 * {@link #restore} of a snapshot sent by a peer that fails (the node refuses that snapshot and restores the
 * machines' previous state). The simulator reports any exception as a violation.
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

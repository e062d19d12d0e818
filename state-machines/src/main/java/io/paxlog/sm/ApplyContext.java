package io.paxlog.sm;

import org.agrona.DirectBuffer;

/**
 * What a {@link StateMachine} may know and do while applying: the slot and leader timestamp of the entry being
 * applied, the session and sequence it came from (0 for host events such as timers), deterministic timers, and
 * deferred answers. Valid only during the call it is passed to.
 */
public interface ApplyContext
{
    /** The log slot being applied. */
    long slot();

    /** Log time: the leader's clock stamped into the log (epoch nanoseconds), never decreasing. */
    long timestampNs();

    /** The session whose command is applied, or 0 for timers and host events. */
    long sessionId();

    /** The command's sequence within its session, or 0. */
    long sequence();

    /**
     * Schedules (or moves) this machine's timer {@code timerId} to fire at log time {@code deadlineNs}: it fires
     * just before the first entry whose timestamp reaches the deadline (the leader writes a tick entry when none
     * comes), at the same point of the log on every replica. Timer ids are per machine, in
     * 0..{@link StateMachineHost#TIMER_ID_MAX}; another id throws {@link IllegalArgumentException} (from
     * {@code apply}, a fail-stop). Scheduling an id already scheduled moves it.
     */
    void scheduleTimer(long timerId, long deadlineNs);

    /** Cancels a timer; no effect if it is not scheduled. */
    void cancelTimer(long timerId);

    /**
     * Answers an earlier command of this machine that returned {@link StateMachine#PENDING}. The answer is recorded in
     * the session's exactly-once window (a retry of that command gets it) and reaches the client after the answer of
     * the command being applied. Ignored, silently, when the session is not open (closed, expired or unknown), when
     * {@code sequence} is below 1 or no longer in the session's window of its
     * {@link StateMachineHost#SESSION_WINDOW} most recent sequences, or when that command is not waiting for an
     * answer (answered already, or never applied).
     */
    void respond(long sessionId, long sequence, DirectBuffer result, int offset, int length);
}

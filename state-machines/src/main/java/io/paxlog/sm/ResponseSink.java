package io.paxlog.sm;

import org.agrona.DirectBuffer;

/**
 * Where a {@link StateMachineHost} reports every answer: the answer of each command it applies ({@link #onAnswer})
 * and answers that come later ({@link #onDeferredResponse}: a command that returned {@link StateMachine#PENDING},
 * answered through {@link ApplyContext#respond} while another entry or a timer is applied). Called on every replica
 * at the same point of the log; the leader sends the answers to the clients, followers only observe them. The
 * deferred answers an apply produces are reported before that apply's own answer; a runtime that must send the
 * causing command's answer first (Paxlog's replica does) holds them until {@code apply} returns.
 * Threading: the host's thread, from inside an apply. Buffers are valid only during the call.
 */
@FunctionalInterface
public interface ResponseSink
{
    void onDeferredResponse(long sessionId, long sequence, long slot, DirectBuffer result, int offset, int length);

    /**
     * The answer of the command ({@code sessionId}, {@code sequence}) applied at {@code slot}: {@code outcome} is
     * {@link StateMachineHost#APPLIED} (the machine's result), {@link StateMachineHost#DUPLICATE} (the recorded result
     * of an earlier apply), {@link StateMachineHost#PENDING} or {@link StateMachineHost#WAITING} (no answer yet: it
     * comes through {@link #onDeferredResponse}), or {@link StateMachineHost#TOO_OLD},
     * {@link StateMachineHost#NO_SESSION}, {@link StateMachineHost#INVALID} (not applied); {@code length} is 0 but for
     * APPLIED and DUPLICATE. The default ignores it (a sink that wants only the deferred answers).
     */
    default void onAnswer(long sessionId, long sequence, long slot, int outcome, DirectBuffer result, int offset,
        int length)
    {
    }

    /** A sink that drops everything (replicas that never answer clients, tests). */
    ResponseSink NONE = (sessionId, sequence, slot, result, offset, length) -> { };
}

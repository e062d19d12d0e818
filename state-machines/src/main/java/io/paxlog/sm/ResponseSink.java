package io.paxlog.sm;

import org.agrona.DirectBuffer;

/**
 * Where a {@link StateMachineHost} reports answers that come after the command was applied (a command that
 * returned {@link StateMachine#PENDING}, answered later through {@link ApplyContext#respond}). Called on every
 * replica at the same point of the log; the leader sends the answer to the client, followers ignore it.
 * Threading: the host's thread, from inside an apply. Buffers are valid only during the call.
 */
@FunctionalInterface
public interface ResponseSink
{
    void onDeferredResponse(long sessionId, long sequence, long slot, DirectBuffer result, int offset, int length);

    /** A sink that drops everything (replicas that never answer clients, tests). */
    ResponseSink NONE = (sessionId, sequence, slot, result, offset, length) -> { };
}

package io.paxlog.replica;

import io.paxlog.codecs.CommandStatus;
import io.paxlog.codecs.SessionEventCode;
import io.paxlog.core.Entry;
import io.paxlog.core.Role;
import org.agrona.DirectBuffer;

/**
 * Where a {@link Replica} sends what it decides: one method per kind of answer, in the style of the core's
 * {@link io.paxlog.core.Outbox}. The runtime routes each to the client endpoint the session last spoke from (a real
 * node through its response publications, the simulator through its network); a session it cannot route to is
 * dropped there. The observation callbacks tell the runtime what it keeps beside the replica (its configuration for
 * snapshots, its log, the simulator's checks); they default to nothing.
 *
 * <p>Threading: the runtime's one thread (the duty cycle, the simulation loop), from inside a Replica call.
 * Buffers are valid only during the call. Determinism: called in the same order for the same inputs.
 */
public interface ReplicaOutput
{
    /**
     * The answer to a command ({@code requestId} is its sequence) or a query (its correlation id). {@code slot}:
     * where the command was applied, or the applied slot a read reflects; {@code leaderId}: the member answering, or
     * the leader it redirects to (-1: none known).
     */
    void answer(long sessionId, long requestId, CommandStatus status, int leaderId, long slot, DirectBuffer result,
        int offset, int length);

    /** What became of a session: OPEN (its open applied), REDIRECT, REJECTED (with a reason) or CLOSED. */
    void sessionEvent(long sessionId, SessionEventCode code, int leaderId, String detail);

    /** A configuration entry was applied at {@code slot} (the state machines saw a no-op there). */
    default void configurationApplied(final long slot, final Entry entry)
    {
    }

    /**
     * Every applied entry with the host's outcome and, for a command, the answer the host reported (empty for other
     * entries and for commands without an immediate result): observation, the simulator's checks.
     */
    default void applied(final long slot, final Entry entry, final int outcome, final DirectBuffer answer,
        final int offset, final int length)
    {
    }

    /** A session's close was applied (observation). */
    default void sessionClosed(final long sessionId)
    {
    }

    /** A deferred answer was produced by a state machine, on every replica, leader or not (observation). */
    default void deferredAnswer(final long sessionId, final long sequence, final long slot, final DirectBuffer result,
        final int offset, final int length)
    {
    }

    /** A linearizable read was served, by the lease or after a ReadIndex round (observation). */
    default void linearizableRead(final boolean byLease)
    {
    }

    /** The core changed role (the runtime logs it). */
    default void roleChanged(final Role newRole, final long ballot, final long nowNs, final String reason)
    {
    }

    /** A membership change this node led ended (the runtime answers the operator). */
    default void membershipChangeEnded(final long requestId, final boolean done, final String detail)
    {
    }
}

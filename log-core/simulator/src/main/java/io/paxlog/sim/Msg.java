package io.paxlog.sim;

import io.paxlog.core.Entry;
import io.paxlog.core.Membership;
import io.paxlog.core.NackReason;

/** Simulated network messages: one record per protocol message kind, plus the client protocol. */
interface Msg
{
    record Prepare(long ballot, long fromSlot, long sendTimeNs) implements Msg { }

    record Promise(long ballot, long echoSendTimeNs, long commitSlot, long coverFromSlot, long coverToSlot,
        long[] slots, long[] ballots, Entry[] entries) implements Msg { }

    record Nack(long rejectedBallot, long promisedBallot, long remainingNs, long commitSlot, NackReason reason)
        implements Msg { }

    record Accept(long ballot, long sendTimeNs, long commitSlot, long firstSlot, Entry[] entries) implements Msg { }

    record Accepted(long ballot, long echoSendTimeNs, long ackSlot) implements Msg { }

    record CatchupRequest(long fromSlot) implements Msg { }

    record CatchupResponse(long firstSlot, long[] ballots, Entry[] entries) implements Msg { }

    /**
     * A snapshot of the sender's state machines covering every slot up to {@code slot}, with the configuration
     * committed at that slot (the receiver's core needs it: the snapshot replaces the configuration entries it
     * covers).
     */
    record InstallSnapshot(long ballot, long slot, byte[] snapshot, Membership membership) implements Msg { }

    /** A client command: a state-machine command (a {@link KvCommand} or a lock-table command). */
    record ClientRequest(long sessionId, long sequence, byte[] command) implements Msg { }

    /** Status of a client response. */
    enum Status { OK, REDIRECT, BUSY, REJECTED, SESSION_CLOSED }

    /** A client asks the leader to open its session (proposed through the log). */
    record SessionOpen(long sessionId, long ttlMs, int window) implements Msg { }

    /** Keeps a session alive (the leader closes sessions it has not heard from for their TTL). */
    record KeepAlive(long sessionId) implements Msg { }

    /** What became of a session: opened, redirected to the leader, or closed. */
    enum SessionCode { OPEN, REDIRECT, REJECTED, CLOSED }

    record SessionEvent(long sessionId, SessionCode code, int leaderHint) implements Msg { }

    /**
     * {@code result}: the state machine's answer bytes (the client reads them for its command); {@code slot}: where
     * the command was applied, or the applied slot a read reflects; {@code leaderHint} for redirects.
     */
    record ClientResponse(long sessionId, long sequence, Status status, byte[] result, long slot, int leaderHint)
        implements Msg { }
}

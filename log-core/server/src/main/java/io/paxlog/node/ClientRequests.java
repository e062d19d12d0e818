package io.paxlog.node;

import org.agrona.DirectBuffer;

/**
 * What the node does with each kind of request arriving on its client endpoint: the calls {@link ClientAdapter}
 * makes once a frame has been checked and decoded. {@link NodeAgent} is the node's implementation; the client
 * endpoint's fuzz target records the calls instead, so the adapter can be fuzzed without Aeron.
 *
 * <p>An abstract class rather than an interface so that its methods, and NodeAgent's implementations of them, stay
 * package-private (an interface's methods are public).
 *
 * <p>Threading: every method is called on the node's duty-cycle thread (the thread polling the client
 * subscription), one call per accepted frame, never concurrently. The buffers passed ({@code credentials},
 * {@code payload}) are views of the received frame, valid only during the call: copy what is kept. What
 * the adapter guarantees of the arguments: every response channel starts with {@code "aeron:"} and, like
 * {@code addMember}, came from at most {@link ClientAdapter#CHANNEL_MAX} bytes; credentials are at most
 * {@link io.paxlog.auth.ClientCredentials#LENGTH_MAX} bytes (empty for frames of schema version 2 or older), a
 * command's payload at most {@link ClientAdapter#PAYLOAD_MAX}; each buffer's {@code offset, length} is the whole
 * field, inside the buffer; a query's consistency is 0, 1 or 2 ({@code ReadConsistency}).
 */
abstract class ClientRequests
{
    /**
     * A SessionConnect: a client opens a session with an exactly-once {@code window} (0: not stated, a version-6
     * client); the answer goes to {@code channel}, {@code streamId}.
     */
    abstract void onSessionConnect(long correlationId, String channel, int streamId, long ttlMs, int window,
        DirectBuffer credentials, int credentialsOffset, int credentialsLength);

    /** A CommandRequest: command {@code sequence} of session {@code sessionId}, for the log. */
    abstract void onCommand(long sessionId, long sequence, DirectBuffer payload, int offset, int length);

    /** A QueryRequest: a read of {@code consistency} (a ReadConsistency value) at or after {@code minSlot}. */
    abstract void onQuery(long sessionId, long correlationId, short consistency, long minSlot, DirectBuffer payload,
        int offset, int length);

    /** A SessionKeepAlive. */
    abstract void onKeepAlive(long sessionId);

    /** A SessionClose. */
    abstract void onSessionClose(long sessionId);

    /** A SnapshotRequest (admin): snapshot now, answer with a StatusResponse. */
    abstract void onSnapshotRequest(long correlationId, String channel, int streamId, DirectBuffer credentials,
        int credentialsOffset, int credentialsLength);

    /** A StatusRequest (admin): answer with a StatusResponse. */
    abstract void onStatusRequest(long correlationId, String channel, int streamId, DirectBuffer credentials,
        int credentialsOffset, int credentialsLength);

    /** A FaultRequest (admin): set the inbound consensus delay, answer with a StatusResponse. */
    abstract void onFaultRequest(long correlationId, String channel, int streamId, long delayNs, long jitterNs,
        long durationNs, DirectBuffer credentials, int credentialsOffset, int credentialsLength);

    /**
     * A MembershipRequest (admin, schema version 5): add {@code addMember} (empty: none) and/or remove
     * {@code removeId} (-1: none), answered with a MembershipResponse when the change ends or is refused.
     */
    abstract void onMembershipRequest(long correlationId, String channel, int streamId, int removeId,
        int acceptQuorum, int electionQuorum, String addMember, DirectBuffer credentials, int credentialsOffset,
        int credentialsLength);
}

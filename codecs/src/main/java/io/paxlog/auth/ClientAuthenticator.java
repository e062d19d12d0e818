package io.paxlog.auth;

import org.agrona.DirectBuffer;

/**
 * SPI: decides whether a client may open a session on this node, and whether an operator's admin request (status,
 * snapshot, fault) is served. It sees the credentials bytes the request carries ({@code SessionConnect.credentials},
 * {@code StatusRequest.credentials}, ...) and the fields they should be bound to, and answers through the
 * {@link AuthVerdict}: accept, reject with a reason (the client fails with
 * {@code PaxlogException.Rejected("... authentication failed: REASON")}), or challenge: the node answers the connect
 * with a {@code SessionEvent} of code {@code CHALLENGE} carrying the challenge bytes, and the client's
 * {@code ClientCredentials.onChallenge} answer comes back as the credentials of its next SessionConnect, which is
 * passed here again. Admin requests cannot be challenged (a challenge verdict refuses them). The default is
 * {@link SharedSecretClientAuthenticator}; plug another with {@code paxlog.client.authenticator=CLASS} (a public
 * constructor taking the node's {@link java.util.Properties}) or {@code NodeConfig.clientAuthenticator(factory)}.
 *
 * <p><b>Threading.</b> Each node creates its own instance; it is called on the node's duty-cycle thread only, once
 * per SessionConnect and admin request received, and must not block (no I/O, no locks): the duty cycle carries the
 * consensus protocol, and a stall there costs the lease.
 *
 * <p><b>Idempotency.</b> Clients resend a connect until a session event answers it, and reconnect to members that
 * may have forgotten them, so the same credentials arrive several times: a connect accepted once must be accepted
 * again (or refused for a reason that holds for all of them).
 *
 * <p><b>Determinism and durability.</b> The verdict is this node's alone and never replicated: it only gates whether
 * the node registers the session's response channel and proposes its open (or serves the admin request). Nothing an
 * authenticator decides may reach a state machine. It keeps no state that must survive a restart; state for
 * outstanding challenges must be bounded (a fixed table, oldest evicted).
 *
 * <p><b>Allocation.</b> Connects and admin requests are not on the per-command path; allocating is allowed here.
 */
public interface ClientAuthenticator
{
    /** {@code kind}: a SessionConnect; {@code id} is the session id. */
    int SESSION = 1;
    /** {@code kind}: an admin request; {@code id} is its correlation id. */
    int ADMIN = 2;

    /**
     * Decides about one request.
     *
     * @param kind             {@link #SESSION} or {@link #ADMIN}.
     * @param id               the session id, or the admin request's correlation id.
     * @param responseChannel  where the node would answer.
     * @param responseStreamId the stream it would answer on.
     * @param credentials      the request's credentials bytes ({@code length} at {@code offset}; 0 when it has none,
     *                         as every request of schema version 2 or older), valid during the call only.
     * @param nowNs            the node's clock (epoch-aligned nanoseconds, monotonic).
     * @param verdict          reset by the node; set exactly one outcome (none set is a refusal).
     */
    void authenticate(int kind, long id, String responseChannel, int responseStreamId, DirectBuffer credentials,
        int offset, int length, long nowNs, AuthVerdict verdict);
}

package io.paxlog.node;

import io.paxlog.auth.AuthVerdict;
import io.paxlog.auth.ClientAuthenticator;
import org.agrona.DirectBuffer;

/**
 * Where a node's {@link ClientAuthenticator} sits: every SessionConnect and admin request passes here before the
 * node acts on it. A refusal is counted and answered on the request's channel with a REJECTED session event whose
 * detail is {@code "authentication failed: REASON"}; a challenge to a connect is answered with a CHALLENGE event
 * naming this member and carrying the challenge (admin requests cannot be challenged: refused). Without an
 * authenticator everything passes.
 *
 * <p>Threading: the node's duty cycle only.
 */
final class ClientGate
{
    private final ClientAuthenticator authenticator;
    private final ClientSessions sessions;
    private final int nodeId;
    private final AuthVerdict verdict = new AuthVerdict();
    private long refused;

    ClientGate(final ClientAuthenticator authenticator, final ClientSessions sessions, final int nodeId)
    {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.nodeId = nodeId;
    }

    /** Whether the request may proceed; if not, it was answered (refused or challenged) already. */
    boolean admit(final long nowNs, final int kind, final long id, final String channel, final int streamId,
        final DirectBuffer credentials, final int offset, final int length)
    {
        if (authenticator == null)
        {
            return true;
        }
        verdict.reset();
        try
        {
            authenticator.authenticate(kind, id, channel, streamId, credentials, offset, length, nowNs, verdict);
        }
        catch (final RuntimeException ex)
        {
            verdict.reject("authenticator error: " + ex.getClass().getSimpleName());
        }
        if (verdict.outcome() == AuthVerdict.ACCEPT)
        {
            return true;
        }
        if (verdict.outcome() == AuthVerdict.CHALLENGE && kind == ClientAuthenticator.SESSION)
        {
            sessions.challenge(channel, streamId, id, nodeId, verdict.challengeBytes());
            return false;
        }
        refused++;
        final String reason = verdict.outcome() == AuthVerdict.REJECT ? verdict.reason() :
            verdict.outcome() == AuthVerdict.CHALLENGE ? "admin requests cannot be challenged" : "no verdict";
        sessions.rejectConnect(channel, streamId, id, "authentication failed: " + reason);
        return false;
    }

    /** Connects and admin requests refused so far. */
    long refused()
    {
        return refused;
    }
}

package io.paxlog.auth;

import org.agrona.DirectBuffer;

/**
 * The default {@link ClientAuthenticator}: the client proves it knows the client secret
 * ({@code paxlog.client.secret.file}) with a {@link ClientProof}: an HMAC over the session id (or admin correlation
 * id), the response channel and stream, and its wall-clock time, which must be within {@code windowMs} of this
 * node's clock (0: not checked). No challenge round trip: a connect is answered at once, and a member that forgot
 * a session takes the client's next connect as it is. The secret itself never crosses the wire.
 *
 * <p>Replay: within the window a captured proof can be sent again, which re-registers the same session with the
 * same response channel (or asks the same admin question, answered to the same place): nothing an eavesdropper
 * gains. Accepts proofs made with any of its keys (secret rotation).
 *
 * <p>Threading as the SPI says: one node's duty cycle. Allocates a little per request (connects are not hot).
 */
public final class SharedSecretClientAuthenticator implements ClientAuthenticator
{
    private final HmacSha256[] keys;
    private final long windowMs;

    /**
     * @param windowMs     the largest difference accepted between the client's clock and this node's; 0 = any.
     * @param secret       the client secret.
     * @param alsoAccepted further secrets accepted (a rotation in progress).
     */
    public SharedSecretClientAuthenticator(final long windowMs, final byte[] secret, final byte[]... alsoAccepted)
    {
        if (windowMs < 0)
        {
            throw new IllegalArgumentException("windowMs must be >= 0: " + windowMs);
        }
        this.windowMs = windowMs;
        keys = new HmacSha256[1 + alsoAccepted.length];
        keys[0] = new HmacSha256(secret);
        for (int i = 0; i < alsoAccepted.length; i++)
        {
            keys[1 + i] = new HmacSha256(alsoAccepted[i]);
        }
    }

    public void authenticate(final int kind, final long id, final String responseChannel, final int responseStreamId,
        final DirectBuffer credentials, final int offset, final int length, final long nowNs, final AuthVerdict verdict)
    {
        if (length == 0)
        {
            verdict.reject("no credentials (this cluster requires a client secret)");
            return;
        }
        if (length != ClientProof.LENGTH || credentials.getByte(offset) != ClientProof.FORMAT)
        {
            verdict.reject("bad credentials (not a shared-secret proof)");
            return;
        }
        final long timeMs = ClientProof.timeMs(credentials, offset);
        boolean ok = false;
        for (final HmacSha256 key : keys)
        {
            ok |= ClientProof.tagMatches(key, kind, id, timeMs, responseStreamId, responseChannel, credentials, offset);
        }
        if (!ok)
        {
            verdict.reject("bad credentials");
            return;
        }
        final long skewMs = Math.abs(nowNs / 1_000_000L - timeMs);
        if (windowMs > 0 && skewMs > windowMs)
        {
            verdict.reject("credentials too old or clock skew " + skewMs + " ms beyond the window of " + windowMs +
                " ms (paxlog.client.auth.window.ms)");
            return;
        }
        verdict.accept();
    }
}

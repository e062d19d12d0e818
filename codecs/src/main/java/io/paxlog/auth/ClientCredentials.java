package io.paxlog.auth;

/**
 * SPI, the client's side of {@link ClientAuthenticator}: the credentials bytes a client puts in each SessionConnect
 * and admin request, and its answer to a node's challenge. The default is {@link SharedSecretCredentials}; set one
 * with {@code PaxlogClientContext.credentials} (or {@code clientSecret}) and the {@code AdminClient} constructor.
 *
 * <p><b>Threading.</b> Called on the client's own thread (the one that polls it), once per connect or admin request
 * sent (connects are resent until answered). One instance may be given to several clients running on different
 * threads, so implementations must be thread-safe ({@link SharedSecretCredentials} is: it synchronizes; a campaign
 * sharing one unsynchronized instance between its clients corrupted the MAC state). Not on the per-command path:
 * it may allocate.
 *
 * <p><b>Determinism and durability.</b> None required: the bytes only reach the node's authenticator; they are never
 * replicated or stored.
 */
public interface ClientCredentials
{
    /** The longest credentials a client may send. */
    int LENGTH_MAX = 1024;

    /**
     * Credentials for one request ({@link ClientAuthenticator#SESSION} connect or {@link ClientAuthenticator#ADMIN}
     * request), bound to the fields the node will see: at most {@link #LENGTH_MAX} bytes.
     */
    byte[] credentials(int kind, long id, String responseChannel, int responseStreamId, long nowMs);

    /**
     * The answer to member {@code memberId}'s challenge for session {@code id}: the credentials of the next
     * SessionConnect to that member. Null if these credentials cannot answer challenges (the session then fails
     * with {@code PaxlogException.Rejected}).
     */
    default byte[] onChallenge(final int memberId, final long id, final byte[] challenge)
    {
        return null;
    }
}

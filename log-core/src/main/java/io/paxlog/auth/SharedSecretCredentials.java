package io.paxlog.auth;

/**
 * The default {@link ClientCredentials}: a {@link ClientProof} made with the client secret for each request. Answers
 * no challenges (the default node authenticator sends none).
 *
 * <p>Threading: the client's thread only (not thread-safe).
 */
public final class SharedSecretCredentials implements ClientCredentials
{
    private final HmacSha256 mac;

    /** @param secret the cluster's client secret ({@code paxlog.client.secret.file}), at least 16 bytes. */
    public SharedSecretCredentials(final byte[] secret)
    {
        if (secret == null || secret.length < SecretFile.BYTES_MIN)
        {
            throw new IllegalArgumentException("a client secret must be at least " + SecretFile.BYTES_MIN + " bytes");
        }
        this.mac = new HmacSha256(secret);
    }

    public byte[] credentials(final int kind, final long id, final String responseChannel, final int responseStreamId,
        final long nowMs)
    {
        return ClientProof.encode(mac, kind, id, nowMs, responseStreamId, responseChannel);
    }
}

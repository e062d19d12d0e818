package io.paxlog.auth;

/**
 * The default {@link ClientCredentials}: a {@link ClientProof} made with the client secret for each request. Answers
 * no challenges (the default node authenticator sends none).
 *
 * <p>Threading: the client's thread only (not thread-safe).
 */
public final class SharedSecretCredentials implements ClientCredentials
{
    /** The key naming the client secret file, in a node's settings and in a cluster file alike. */
    public static final String SECRET_FILE_PROP = "paxlog.client.secret.file";

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

    /**
     * The credentials a cluster file or {@code cluster.properties} asks for: a {@link SharedSecretCredentials} with
     * the secret in the file named by {@code paxlog.client.secret.file}, or null when the key is absent (the cluster
     * does not authenticate clients).
     *
     * @throws io.paxlog.protocol.ConfigException naming the key when the file is unreadable or short.
     */
    public static SharedSecretCredentials fromClusterProperties(final java.util.Properties properties)
    {
        final String file = properties.getProperty(SECRET_FILE_PROP);
        return file == null || file.isBlank() ? null :
            new SharedSecretCredentials(SecretFile.read(SECRET_FILE_PROP, file.trim()));
    }

    /** Synchronized: one instance may serve many clients, each calling from its own thread. */
    public synchronized byte[] credentials(final int kind, final long id, final String responseChannel,
        final int responseStreamId, final long nowMs)
    {
        return ClientProof.encode(mac, kind, id, nowMs, responseStreamId, responseChannel);
    }
}

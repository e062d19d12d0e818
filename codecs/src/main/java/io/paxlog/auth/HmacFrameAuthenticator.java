package io.paxlog.auth;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The default {@link FrameAuthenticator}: HMAC-SHA256 with the cluster secret, truncated to 128 bits
 * ({@link #TAG_LENGTH}; truncation to at least half the hash length is what RFC 2104 sec. 5 allows). Signs with
 * the first key; accepts a tag made with any of its keys, so a secret can be rotated with a rolling restart
 * ({@code paxlog.cluster.secret.accept.file}, docs/operations.md "Authentication").
 *
 * <p>Threading and allocation as the SPI says: one node's duty cycle; nothing allocated per frame.
 */
public final class HmacFrameAuthenticator implements FrameAuthenticator
{
    /** Tag length: HMAC-SHA256 truncated to 128 bits. */
    public static final int TAG_LENGTH = 16;

    private final HmacSha256[] keys;
    private final byte[] expected = new byte[TAG_LENGTH];
    private final byte[] received = new byte[TAG_LENGTH];

    /**
     * @param signingKey the key this node signs with (and accepts).
     * @param alsoAccepted further keys whose tags are accepted (a rotation in progress); none usually.
     */
    public HmacFrameAuthenticator(final byte[] signingKey, final byte[]... alsoAccepted)
    {
        keys = new HmacSha256[1 + alsoAccepted.length];
        keys[0] = new HmacSha256(signingKey);
        for (int i = 0; i < alsoAccepted.length; i++)
        {
            keys[1 + i] = new HmacSha256(alsoAccepted[i]);
        }
    }

    public int tagLength()
    {
        return TAG_LENGTH;
    }

    public void sign(final MutableDirectBuffer buffer, final int offset, final int length, final int tagOffset)
    {
        keys[0].update(buffer, offset, length).finish(expected, 0, TAG_LENGTH);
        buffer.putBytes(tagOffset, expected, 0, TAG_LENGTH);
    }

    public boolean verify(final DirectBuffer buffer, final int offset, final int length, final int tagOffset)
    {
        buffer.getBytes(tagOffset, received, 0, TAG_LENGTH);
        boolean ok = false;
        for (final HmacSha256 key : keys)
        {
            key.update(buffer, offset, length).finish(expected, 0, TAG_LENGTH);
            ok |= HmacSha256.equal(expected, 0, received, 0, TAG_LENGTH);
        }
        return ok;
    }
}

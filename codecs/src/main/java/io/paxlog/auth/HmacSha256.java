package io.paxlog.auth;

import org.agrona.DirectBuffer;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) computed over two reused {@link MessageDigest}s, with no allocation per message.
 *
 * <p>Why not {@code javax.crypto.Mac}: on JDK 17 {@code Mac.doFinal(byte[], int)} allocates its 32-byte result on
 * every call (48 bytes measured per MAC), and {@code Mac.update(ByteBuffer)} on a direct buffer allocates a
 * temporary array; a node MACs every consensus frame, and its duty cycle must allocate nothing in steady state.
 * {@code MessageDigest.update(byte[], ...)} and {@code digest(byte[], int, int)} allocate nothing. The result is
 * the standard HMAC-SHA256; {@code HmacSha256Test} checks it against {@code javax.crypto.Mac} and RFC 4231.
 *
 * <p>Bytes in an off-heap {@link DirectBuffer} are copied in chunks into a reused heap scratch array first.
 *
 * <p>Threading: not thread-safe; one instance per thread.
 */
public final class HmacSha256
{
    /** Length of a full HMAC-SHA256 tag. */
    public static final int LENGTH = 32;
    private static final int BLOCK = 64;
    private static final int SCRATCH = 4096;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] digest = new byte[LENGTH];
    private final byte[] scratch = new byte[SCRATCH];
    private boolean started;

    /** @param key the secret; any length (keys longer than a block are hashed first, as RFC 2104 says). */
    public HmacSha256(final byte[] key)
    {
        try
        {
            inner = MessageDigest.getInstance("SHA-256");
            outer = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every JDK", ex);
        }
        final byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++)
        {
            final byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte)(b ^ 0x36);
            outerPad[i] = (byte)(b ^ 0x5c);
        }
        if (k != key)
        {
            Arrays.fill(k, (byte)0);
        }
    }

    /** Adds {@code length} bytes at {@code offset} of {@code bytes} to the message. */
    public HmacSha256 update(final byte[] bytes, final int offset, final int length)
    {
        start();
        inner.update(bytes, offset, length);
        return this;
    }

    /** Adds {@code length} bytes at {@code offset} of {@code buffer} (heap or off-heap) to the message. */
    public HmacSha256 update(final DirectBuffer buffer, final int offset, final int length)
    {
        start();
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            inner.update(array, buffer.wrapAdjustment() + offset, length);
            return this;
        }
        int done = 0;
        while (done < length)
        {
            final int n = Math.min(SCRATCH, length - done);
            buffer.getBytes(offset + done, scratch, 0, n);
            inner.update(scratch, 0, n);
            done += n;
        }
        return this;
    }

    /** Adds a long, little-endian, to the message. */
    public HmacSha256 updateLong(final long value)
    {
        start();
        for (int i = 0; i < 8; i++)
        {
            scratch[i] = (byte)(value >>> (8 * i));
        }
        inner.update(scratch, 0, 8);
        return this;
    }

    /**
     * Finishes the message: writes the first {@code length} (1..32) bytes of its tag to {@code out} at
     * {@code outOffset} and resets for the next message.
     */
    public void finish(final byte[] out, final int outOffset, final int length)
    {
        if (length < 1 || length > LENGTH)
        {
            throw new IllegalArgumentException("tag length must be 1.." + LENGTH + ": " + length);
        }
        start();
        try
        {
            inner.digest(digest, 0, LENGTH);
            outer.update(outerPad, 0, BLOCK);
            outer.update(digest, 0, LENGTH);
            outer.digest(digest, 0, LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
        started = false;
        System.arraycopy(digest, 0, out, outOffset, length);
    }

    private void start()
    {
        if (!started)
        {
            inner.update(innerPad, 0, BLOCK);
            started = true;
        }
    }

    /** Compares {@code length} bytes in constant time (no early exit on the first difference). */
    public static boolean equal(final byte[] a, final int aOffset, final byte[] b, final int bOffset, final int length)
    {
        int diff = 0;
        for (int i = 0; i < length; i++)
        {
            diff |= a[aOffset + i] ^ b[bOffset + i];
        }
        return diff == 0;
    }
}

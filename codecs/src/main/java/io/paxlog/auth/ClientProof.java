package io.paxlog.auth;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The credentials of the default shared-secret scheme, {@value #LENGTH} bytes: a format byte (1), the client's
 * wall-clock time in ms (int64, little-endian), and a 16-byte tag = HMAC-SHA256(client secret, domain constant,
 * kind, id, time, response stream id, response channel) truncated to 128 bits. The tag binds the proof to the
 * session (or admin correlation id) and to where answers go, so a captured proof cannot open a session for anyone
 * else or redirect answers; the time bounds how long it can be replayed at all.
 */
final class ClientProof
{
    static final int LENGTH = 1 + 8 + 16;
    static final byte FORMAT = 1;
    private static final int TAG_LENGTH = 16;
    private static final long DOMAIN = 0x31504358_4c4f4750L; // "PGOLXCP1": this scheme, version 1

    private ClientProof()
    {
    }

    /** The proof's tag into {@code out} at {@code outOffset}. */
    static void tag(final HmacSha256 mac, final int kind, final long id, final long timeMs, final int streamId,
        final String channel, final byte[] out, final int outOffset)
    {
        final byte[] channelBytes = channel.getBytes(StandardCharsets.UTF_8);
        mac.updateLong(DOMAIN).updateLong(kind).updateLong(id).updateLong(timeMs).updateLong(streamId)
            .update(channelBytes, 0, channelBytes.length).finish(out, outOffset, TAG_LENGTH);
    }

    static byte[] encode(final HmacSha256 mac, final int kind, final long id, final long timeMs, final int streamId,
        final String channel)
    {
        final byte[] proof = new byte[LENGTH];
        proof[0] = FORMAT;
        for (int i = 0; i < 8; i++)
        {
            proof[1 + i] = (byte)(timeMs >>> (8 * i));
        }
        tag(mac, kind, id, timeMs, streamId, channel, proof, 9);
        return proof;
    }

    /** The time in a proof of the right length and format (the caller checked both). */
    static long timeMs(final DirectBuffer credentials, final int offset)
    {
        return credentials.getLong(offset + 1, ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether the tag in the proof matches {@code mac}'s tag of these fields. */
    static boolean tagMatches(final HmacSha256 mac, final int kind, final long id, final long timeMs,
        final int streamId, final String channel, final DirectBuffer credentials, final int offset)
    {
        final byte[] expected = new byte[TAG_LENGTH];
        final byte[] received = new byte[TAG_LENGTH];
        tag(mac, kind, id, timeMs, streamId, channel, expected, 0);
        credentials.getBytes(offset + 9, received, 0, TAG_LENGTH);
        return HmacSha256.equal(expected, 0, received, 0, TAG_LENGTH);
    }
}

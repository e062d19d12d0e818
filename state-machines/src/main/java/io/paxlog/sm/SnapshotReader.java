package io.paxlog.sm;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Reads what a {@link SnapshotWriter} wrote, in the same order. A read past the end or a bad length throws
 * {@link IllegalStateException} naming the position: a snapshot that does not parse is corrupt.
 */
public final class SnapshotReader
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private final DirectBuffer buffer;
    private final int limit;
    private int position;

    public SnapshotReader(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
    }

    private void need(final int bytes)
    {
        if (bytes < 0 || bytes > limit - position) // not position + bytes: a length near 2^31 would wrap
        {
            throw new IllegalStateException("snapshot truncated or corrupt at byte " + position);
        }
    }

    public long readLong()
    {
        need(8);
        final long v = buffer.getLong(position, ORDER);
        position += 8;
        return v;
    }

    public int readInt()
    {
        need(4);
        final int v = buffer.getInt(position, ORDER);
        position += 4;
        return v;
    }

    public byte readByte()
    {
        need(1);
        return buffer.getByte(position++);
    }

    /** Reads a length-prefixed byte string. */
    public byte[] readBytes()
    {
        final int length = readInt();
        need(length);
        final byte[] b = new byte[length];
        buffer.getBytes(position, b);
        position += length;
        return b;
    }

    public boolean hasRemaining()
    {
        return position < limit;
    }
}

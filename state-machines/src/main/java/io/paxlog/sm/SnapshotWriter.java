package io.paxlog.sm;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.nio.ByteOrder;

/** An append-only stream of primitives for {@link StateMachine#snapshot}, in an expandable buffer it owns. */
public final class SnapshotWriter
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private final ExpandableArrayBuffer buffer;
    private int position;

    public SnapshotWriter()
    {
        this(new ExpandableArrayBuffer(4096));
    }

    public SnapshotWriter(final ExpandableArrayBuffer buffer)
    {
        this.buffer = buffer;
    }

    public SnapshotWriter reset()
    {
        position = 0;
        return this;
    }

    public SnapshotWriter writeLong(final long value)
    {
        buffer.putLong(position, value, ORDER);
        position += 8;
        return this;
    }

    public SnapshotWriter writeInt(final int value)
    {
        buffer.putInt(position, value, ORDER);
        position += 4;
        return this;
    }

    public SnapshotWriter writeByte(final byte value)
    {
        buffer.putByte(position, value);
        position += 1;
        return this;
    }

    /** Writes a length-prefixed byte string. */
    public SnapshotWriter writeBytes(final DirectBuffer src, final int offset, final int length)
    {
        writeInt(length);
        buffer.putBytes(position, src, offset, length);
        position += length;
        return this;
    }

    /** Writes a length-prefixed byte string. */
    public SnapshotWriter writeBytes(final byte[] src)
    {
        writeInt(src.length);
        buffer.putBytes(position, src);
        position += src.length;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Bytes written so far, from offset 0 of {@link #buffer()}. */
    public int length()
    {
        return position;
    }
}

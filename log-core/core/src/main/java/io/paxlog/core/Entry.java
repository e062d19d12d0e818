package io.paxlog.core;

import org.agrona.DirectBuffer;

import java.util.Arrays;

/**
 * The value of one log slot: a client command (session, sequence, payload), a no-op, or a configuration change
 * ({@link Membership}). The leader stamps
 * {@code timestampNs} from its own clock when it proposes; state machines take time only from here. The slot
 * and the ballot a copy was accepted in are kept beside the entry, not inside it.
 *
 * <p><b>Reuse.</b> An entry is a reusable holder: the core keeps one per cell of its log ring and overwrites it
 * in place ({@link #copyFrom}, {@link #setCommand}), and adapters decode incoming frames into scratch entries.
 * Its payload array only grows, so once warmed up nothing is allocated. The log's own entries are read-only
 * views of its payload ring (an {@link EntryLog} stores payloads in one array sized in bytes, not per entry). An
 * entry handed to an SPI ({@link Journal}, {@link Outbox}, {@link CommitListener}) is valid only during that call:
 * keep a {@link #copy()} if you need it later. The payload is the {@link #payloadLength()} bytes of
 * {@link #payloadArray()} from {@link #payloadOffset()}; the array may hold other bytes around them.
 */
public final class Entry
{
    public static final byte TYPE_NOOP = 0;
    public static final byte TYPE_COMMAND = 1;
    /** A configuration change: the payload is a {@link Membership} header and the runtime's member addresses. */
    public static final byte TYPE_CONFIG = 2;

    private static final byte[] EMPTY = new byte[0];
    private static final int PAYLOAD_ALIGNMENT = 32;

    private byte type = TYPE_NOOP;
    private long sessionId;
    private long sequence;
    private long timestampNs;
    private byte[] payload = EMPTY;
    private int payloadOffset;
    private int payloadLength;
    /** A read-only view of bytes this entry does not own (a cell of the log's payload ring). */
    private boolean view;

    /** An empty holder (a no-op at time 0) to be filled in place. */
    public Entry()
    {
    }

    /** An empty holder whose payload array already holds {@code payloadCapacity} bytes (it still grows if needed). */
    public Entry(final int payloadCapacity)
    {
        this.payload = payloadCapacity == 0 ? EMPTY : new byte[payloadCapacity];
    }

    public static Entry noop(final long timestampNs)
    {
        return new Entry().setNoop(timestampNs);
    }

    public static Entry command(final long sessionId, final long sequence, final long timestampNs, final byte[] payload)
    {
        return new Entry().setCommand(sessionId, sequence, timestampNs, payload, 0, payload.length);
    }

    public Entry setNoop(final long timestampNs)
    {
        this.type = TYPE_NOOP;
        this.sessionId = 0;
        this.sequence = 0;
        this.timestampNs = timestampNs;
        this.payloadLength = 0;
        return this;
    }

    public Entry setCommand(final long sessionId, final long sequence, final long timestampNs,
        final DirectBuffer src, final int offset, final int length)
    {
        setHeader(TYPE_COMMAND, sessionId, sequence, timestampNs, length);
        src.getBytes(offset, payload, 0, length);
        return this;
    }

    public Entry setCommand(final long sessionId, final long sequence, final long timestampNs,
        final byte[] src, final int offset, final int length)
    {
        setHeader(TYPE_COMMAND, sessionId, sequence, timestampNs, length);
        System.arraycopy(src, offset, payload, 0, length);
        return this;
    }

    /**
     * Sets every field but the payload bytes and makes room for {@code payloadLength} of them in
     * {@link #payloadArray()}, for a decoder to fill (for example straight from a frame).
     */
    public Entry setHeader(final byte type, final long sessionId, final long sequence, final long timestampNs,
        final int payloadLength)
    {
        Invariants.check(type == TYPE_NOOP || type == TYPE_COMMAND || type == TYPE_CONFIG, "entry type");
        Invariants.check(payloadLength >= 0, "payload length");
        Invariants.check(!view, "the log's entries are read-only views: copy one to change it");
        this.type = type;
        this.sessionId = sessionId;
        this.sequence = sequence;
        this.timestampNs = timestampNs;
        if (payload.length < payloadLength)
        {
            payload = new byte[(payloadLength + PAYLOAD_ALIGNMENT - 1) & -PAYLOAD_ALIGNMENT];
        }
        this.payloadLength = payloadLength;
        return this;
    }

    /** A configuration entry whose payload (a {@link Membership} header and the runtime's tail) is copied in. */
    public Entry setConfig(final long timestampNs, final byte[] src, final int offset, final int length)
    {
        setHeader(TYPE_CONFIG, 0, 0, timestampNs, length);
        System.arraycopy(src, offset, payload, 0, length);
        return this;
    }

    /** Makes this entry equal to {@code other} (no allocation unless the payload outgrows this holder). */
    public Entry copyFrom(final Entry other)
    {
        if (other != this)
        {
            setHeader(other.type, other.sessionId, other.sequence, other.timestampNs, other.payloadLength);
            System.arraycopy(other.payload, other.payloadOffset, payload, 0, other.payloadLength);
        }
        return this;
    }

    /**
     * Makes this entry a read-only view of {@code length} bytes of {@code array} from {@code offset}, valid while
     * those bytes are: how the log lends its cells, and an adapter its decoded frames, without a payload array per
     * entry. A view cannot be changed in place ({@link #setHeader} fails); {@link #copy()} it to keep or change it.
     */
    public Entry wrapView(final byte type, final long sessionId, final long sequence, final long timestampNs,
        final byte[] array, final int offset, final int length)
    {
        this.view = true;
        this.type = type;
        this.sessionId = sessionId;
        this.sequence = sequence;
        this.timestampNs = timestampNs;
        this.payload = array;
        this.payloadOffset = offset;
        this.payloadLength = length;
        return this;
    }

    /** A new, independent entry equal to this one. */
    public Entry copy()
    {
        return new Entry().copyFrom(this);
    }

    public byte type()
    {
        return type;
    }

    public boolean isNoop()
    {
        return type == TYPE_NOOP;
    }

    public boolean isConfig()
    {
        return type == TYPE_CONFIG;
    }

    public long sessionId()
    {
        return sessionId;
    }

    public long sequence()
    {
        return sequence;
    }

    public long timestampNs()
    {
        return timestampNs;
    }

    /**
     * The backing array: the payload is its {@link #payloadLength()} bytes from {@link #payloadOffset()}. Callers
     * must not modify it.
     */
    public byte[] payloadArray()
    {
        return payload;
    }

    /** Where the payload starts in {@link #payloadArray()}: 0 unless this entry is a view of the log's ring. */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    /** A new array holding exactly the payload. */
    public byte[] copyPayload()
    {
        return Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Entry))
        {
            return false;
        }
        final Entry e = (Entry)o;
        return type == e.type && sessionId == e.sessionId && sequence == e.sequence &&
            timestampNs == e.timestampNs && payloadLength == e.payloadLength &&
            Arrays.equals(payload, payloadOffset, payloadOffset + payloadLength, e.payload, e.payloadOffset,
                e.payloadOffset + e.payloadLength);
    }

    @Override
    public int hashCode()
    {
        int h = type;
        h = 31 * h + Long.hashCode(sessionId);
        h = 31 * h + Long.hashCode(sequence);
        h = 31 * h + Long.hashCode(timestampNs);
        for (int i = 0; i < payloadLength; i++)
        {
            h = 31 * h + payload[payloadOffset + i];
        }
        return h;
    }

    @Override
    public String toString()
    {
        if (isConfig())
        {
            final Membership m = Membership.decode(payload, payloadOffset, payloadLength);
            return "config(" + (m == null ? "undecodable" : m.toString()) + ")@" + timestampNs;
        }
        return isNoop() ? "noop@" + timestampNs :
            "cmd(s=" + sessionId + ",q=" + sequence + ",t=" + timestampNs + ",len=" + payloadLength + ")";
    }
}

package io.paxlog.core;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of the log's payloads: one array, allocated once, used as a ring of records in the order they were
 * stored. A record is a header (the slot it holds, its payload length) and the payload, padded to 8 bytes; a record
 * never wraps, so a payload is always one contiguous range of {@link #array()}. Space is reclaimed from the oldest
 * record on, and only as far as the owner allows ({@link Owner#evictable}): a record whose slot is still needed
 * blocks everything stored after it, and a store that would need its space is refused, never made by overwriting.
 * What the ring holds is therefore bounded in bytes, and storing allocates nothing, whatever the payload sizes.
 *
 * <p>Not thread-safe: owned by the {@link EntryLog} of one core, on its thread.
 */
final class PayloadRing
{
    /** Bytes of each record's header: the slot (8) and the payload length (4), padded to the alignment. */
    static final int HEADER_BYTES = 16;
    static final int ALIGNMENT = 8;
    private static final int SLOT_OFFSET = 0;
    private static final int LENGTH_OFFSET = 8;
    /** The slot of a padding record: the rest of the array up to its end is unused. */
    private static final long PADDING = -1;

    /** What the ring asks of its owner when it needs the space of its oldest record. */
    interface Owner
    {
        /** Whether the record of {@code slot} whose payload starts at {@code payloadOffset} may be dropped. */
        boolean evictable(long slot, int payloadOffset);

        /** The record is dropped: its bytes are about to be reused. */
        void evict(long slot, int payloadOffset);
    }

    private final byte[] bytes;
    private final UnsafeBuffer headers;
    private final int capacity;
    private int head;
    private int tail;
    private int usedBytes;

    PayloadRing(final int capacityBytes)
    {
        Invariants.check(capacityBytes >= 4 * HEADER_BYTES && capacityBytes % ALIGNMENT == 0,
            "payload ring capacity must be a multiple of 8 of at least 64 bytes");
        this.capacity = capacityBytes;
        this.bytes = new byte[capacityBytes];
        this.headers = new UnsafeBuffer(bytes);
    }

    /** The array every payload lives in. */
    byte[] array()
    {
        return bytes;
    }

    int capacity()
    {
        return capacity;
    }

    /** Bytes between the oldest record and the next free byte, padding included. */
    int usedBytes()
    {
        return usedBytes;
    }

    /** Bytes a record of {@code payloadLength} takes, header and padding included. */
    static int recordBytes(final int payloadLength)
    {
        return (HEADER_BYTES + payloadLength + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * Whether a payload of {@code payloadLength} bytes can be stored now, dropping only records the owner allows,
     * with the ring then holding at most {@code usedBytesMax} bytes. Changes nothing.
     */
    boolean canStore(final int payloadLength, final int usedBytesMax, final Owner owner)
    {
        return reserve(recordBytes(payloadLength), usedBytesMax, owner, false) >= 0;
    }

    /**
     * Stores the record of {@code slot} with room for {@code payloadLength} payload bytes, dropping the oldest
     * records the owner allows as needed; returns the payload's offset in {@link #array()} for the caller to fill,
     * or -1 (nothing changed) if it does not fit within {@code usedBytesMax} bytes.
     */
    int store(final long slot, final int payloadLength, final int usedBytesMax, final Owner owner)
    {
        final int recordBytes = recordBytes(payloadLength);
        final int at = reserve(recordBytes, usedBytesMax, owner, true);
        if (at < 0)
        {
            return -1;
        }
        headers.putLong(at + SLOT_OFFSET, slot);
        headers.putInt(at + LENGTH_OFFSET, payloadLength);
        return at + HEADER_BYTES;
    }

    /** Drops every record (the owner has forgotten every slot). */
    void clear()
    {
        head = 0;
        tail = 0;
        usedBytes = 0;
    }

    /**
     * Finds room for a record of {@code recordBytes} at the head, reclaiming the oldest records as needed; with
     * {@code apply} false it only answers whether that would work. Returns the record's offset or -1.
     */
    private int reserve(final int recordBytes, final int usedBytesMax, final Owner owner, final boolean apply)
    {
        if (recordBytes > capacity)
        {
            return -1;
        }
        int h = head;
        int t = tail;
        int used = usedBytes;
        while (true)
        {
            if (used == 0)
            {
                h = 0;
                t = 0;
            }
            final boolean wrapped = used > 0 && h <= t;
            int at = -1;
            int padding = 0;
            if (!wrapped && capacity - h >= recordBytes)
            {
                at = h;
            }
            else if (!wrapped && t >= recordBytes)
            {
                at = 0;
                padding = capacity - h; // the end of the array is skipped: a record never wraps
            }
            else if (wrapped && t - h >= recordBytes)
            {
                at = h;
            }
            if (at >= 0 && used + padding + recordBytes <= usedBytesMax)
            {
                if (apply)
                {
                    if (padding >= HEADER_BYTES)
                    {
                        headers.putLong(h + SLOT_OFFSET, PADDING);
                    }
                    head = at + recordBytes;
                    tail = t;
                    usedBytes = used + padding + recordBytes;
                }
                return at;
            }
            if (used == 0)
            {
                return -1; // an empty ring that cannot take it within usedBytesMax
            }
            // reclaim the oldest record, if the owner lets it go
            if (capacity - t < HEADER_BYTES || headers.getLong(t + SLOT_OFFSET) == PADDING)
            {
                used -= capacity - t;
                t = 0;
                continue;
            }
            final long slot = headers.getLong(t + SLOT_OFFSET);
            final int length = headers.getInt(t + LENGTH_OFFSET);
            if (!owner.evictable(slot, t + HEADER_BYTES))
            {
                return -1;
            }
            if (apply)
            {
                owner.evict(slot, t + HEADER_BYTES);
            }
            final int size = recordBytes(length);
            used -= size;
            t += size;
            if (t == capacity)
            {
                t = 0;
            }
        }
    }
}

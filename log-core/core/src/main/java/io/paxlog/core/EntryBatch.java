package io.paxlog.core;

/**
 * Reusable arrays for a batch of log entries sent in one message (a promise's accepted values, a catch-up
 * response): slot, ballot and entry at the same index. The entries are the log's own cells, lent for the
 * duration of one call and cleared after it, so the batch never keeps a cell alive.
 *
 * <p>Not thread-safe: owned by one {@link ConsensusNode}.
 */
final class EntryBatch
{
    final long[] slots;
    final long[] ballots;
    final Entry[] entries;

    EntryBatch(final int capacity)
    {
        slots = new long[capacity];
        ballots = new long[capacity];
        entries = new Entry[capacity];
    }

    /** Every slot the log holds from {@code fromSlot} to its last, up to the capacity; returns the count. */
    int collectHeld(final EntryLog log, final long fromSlot)
    {
        int count = 0;
        for (long slot = fromSlot; slot <= log.lastSlot() && count < slots.length; slot++)
        {
            if (log.has(slot))
            {
                add(count++, log, slot);
            }
        }
        return count;
    }

    /**
     * The unbroken run of held slots from {@code fromSlot} to at most {@code lastSlot}, of at most {@code bytesMax}
     * bytes as {@link FrameBudget#entryBytes} counts them (but at least one slot); returns the count.
     */
    int collectRun(final EntryLog log, final long fromSlot, final long lastSlot, final long bytesMax)
    {
        int count = 0;
        long bytes = 0;
        for (long slot = fromSlot; slot <= lastSlot && count < slots.length && log.has(slot); slot++)
        {
            bytes += FrameBudget.entryBytes(log.entry(slot));
            if (count > 0 && bytes > bytesMax)
            {
                break;
            }
            add(count++, log, slot);
        }
        return count;
    }

    /** Bytes the first {@code count} entries take in frames, as {@link FrameBudget#entryBytes} counts them. */
    long bytes(final int count)
    {
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            bytes += FrameBudget.entryBytes(entries[i]);
        }
        return bytes;
    }

    /**
     * How many entries from index {@code from} (of {@code count}) fit in one frame of {@code bytesMax} bytes of
     * entries: at least one.
     */
    int fitting(final int from, final int count, final long bytesMax)
    {
        long bytes = 0;
        int n = 0;
        while (from + n < count)
        {
            bytes += FrameBudget.entryBytes(entries[from + n]);
            if (n > 0 && bytes > bytesMax)
            {
                break;
            }
            n++;
        }
        return n;
    }

    private void add(final int i, final EntryLog log, final long slot)
    {
        slots[i] = slot;
        ballots[i] = log.ballot(slot);
        entries[i] = log.entry(slot);
    }

    /** Lets go of the first {@code count} lent cells. */
    void clear(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            entries[i] = null;
        }
    }
}

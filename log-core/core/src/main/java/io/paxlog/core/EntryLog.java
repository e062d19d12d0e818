package io.paxlog.core;

/**
 * The in-memory view of a node's log: a ring of {@code capacity} cells, each holding one slot's entry, the ballot
 * it is held in and whether it is committed, plus the commit point. {@code commitSlot} is contiguous: every slot
 * up to it is committed and was held with its chosen value. Slots start at 1; slot {@code s} lives in cell
 * {@code s mod capacity}.
 *
 * <p><b>Bounded in slots and in bytes.</b> Payloads live in one {@link PayloadRing} of {@code capacityBytes},
 * allocated up front: storing allocates nothing whatever the payload size, and the log never holds more than that
 * many payload bytes. A slot leaves the log when its cell is reused one capacity later or when the ring needs its
 * bytes, and either happens only to a slot that is committed and applied ({@link #markApplied}); the log therefore
 * never loses an entry still needed, and refuses a store instead ({@link #canStore}). Older committed slots live
 * only in the journal and the state machine. A store says how much of the ring it may fill ({@link Room}): an
 * accepted value at most half, so that a chosen value learned by catch-up always finds room behind it, and a
 * journal replay all of it, so that whatever the node stored before a restart fits again.
 *
 * <p>{@link #entry} lends the cell's entry, a read-only view of the ring valid until the next store.
 */
final class EntryLog implements PayloadRing.Owner
{
    /** How much of the payload ring a store may fill. */
    enum Room
    {
        /** A value accepted (or proposed) and not yet known to be chosen: half the ring. */
        ACCEPTED,
        /** A value known to be chosen (catch-up) or re-proposed by a new leader: all but the replay slack. */
        CHOSEN,
        /** A journal replay on start: the whole ring. */
        REPLAY
    }

    private final int mask;
    private final Entry[] cells;
    private final long[] cellSlots;
    private final int[] cellOffsets;
    private final long[] ballots;
    private final boolean[] committedFlags;
    private final PayloadRing ring;
    private final int slackBytes;
    private final boolean reuseNeededBytes;
    private long lastSlot;
    private long commitSlot;
    private long appliedSlot;
    /** Every slot up to this one has left the log: slots leave as a prefix, whatever order their bytes go in. */
    private long evictedSlot;

    /**
     * @param capacity      cells: a power of two
     * @param capacityBytes bytes of the payload ring: a multiple of 8
     * @param slackBytes    bytes a store at runtime leaves free beyond its own ({@link Room#CHOSEN}), so that a
     *                      journal replay, whose ring may wrap at another place, fits too: twice the largest record
     */
    EntryLog(final int capacity, final int capacityBytes, final int slackBytes)
    {
        this(capacity, capacityBytes, slackBytes, false);
    }

    /** @param reuseNeededBytes the planted bug {@link PlantedBug#RING_REUSES_NEEDED_BYTES} */
    EntryLog(final int capacity, final int capacityBytes, final int slackBytes, final boolean reuseNeededBytes)
    {
        Invariants.check(capacity >= 2 && Integer.bitCount(capacity) == 1, "log capacity must be a power of two");
        Invariants.check(slackBytes >= 0 && 2L * slackBytes <= capacityBytes, "log slack must be within half the ring");
        this.mask = capacity - 1;
        this.cells = new Entry[capacity];
        this.cellSlots = new long[capacity];
        this.cellOffsets = new int[capacity];
        this.ballots = new long[capacity];
        this.committedFlags = new boolean[capacity];
        this.ring = new PayloadRing(capacityBytes);
        this.slackBytes = slackBytes;
        this.reuseNeededBytes = reuseNeededBytes;
        for (int i = 0; i < capacity; i++)
        {
            cells[i] = new Entry(0); // views of the ring: allocated up front, nothing per store
        }
    }

    int capacity()
    {
        return cells.length;
    }

    long lastSlot()
    {
        return lastSlot;
    }

    long commitSlot()
    {
        return commitSlot;
    }

    boolean has(final long slot)
    {
        return slot > evictedSlot && cellSlots[index(slot)] == slot;
    }

    /** The entry held at {@code slot} (valid until the slot's cell is reused), or null. */
    Entry entry(final long slot)
    {
        return has(slot) ? cells[index(slot)] : null;
    }

    long ballot(final long slot)
    {
        return has(slot) ? ballots[index(slot)] : Ballot.NONE;
    }

    /**
     * True if {@code slot} may be stored with a payload of {@code payloadLength} bytes in {@code room}: its cell is
     * free, holds the slot already, or holds an older slot that is committed and applied; and the payload ring has
     * the bytes, reclaiming only committed and applied slots. False for a slot so far ahead of the commit point that
     * storing it would evict one still needed (an acceptor then simply does not accept it yet), or one older than
     * the ring.
     */
    boolean canStore(final long slot, final int payloadLength, final Room room)
    {
        if (slot < 1)
        {
            return false;
        }
        if (slot <= evictedSlot)
        {
            return false;
        }
        final long held = cellSlots[index(slot)];
        final boolean cellFree = held == slot || (slot > commitSlot && (held == 0 || (held < slot && evictable(held))));
        return cellFree && (payloadLength == 0 || ring.canStore(payloadLength, usedBytesMax(room), this));
    }

    /** Stores a copy of {@code entry} at {@code slot} in {@code ballot}; a committed slot keeps its value. */
    void put(final long slot, final long ballot, final Entry entry, final Room room)
    {
        Invariants.check(slot >= 1, "slot must be >= 1");
        final int i = index(slot);
        final long held = cellSlots[i];
        if (held == slot && slot > evictedSlot)
        {
            if (committedFlags[i] || slot <= commitSlot)
            {
                Invariants.check(entry.equals(cells[i]), "committed slot rewritten with a different value: ", slot);
            }
            if (entry.equals(cells[i]))
            {
                ballots[i] = ballot; // the same value in a newer ballot: nothing to copy
                return;
            }
        }
        else
        {
            Invariants.check(canStore(slot, 0, room), "log ring full (raise paxlog.log.capacity.slots): cannot " +
                "store slot ", slot);
            if (held != 0)
            {
                evict(held, cellOffsets[i]);
            }
        }
        Invariants.check(entry.payloadArray() != ring.array(), "a log entry stored again at another slot: copy it");
        final int length = entry.payloadLength();
        final int offset = length == 0 ? 0 : ring.store(slot, length, usedBytesMax(room), this);
        Invariants.check(offset >= 0, "log full in bytes (raise paxlog.log.capacity.bytes): cannot store slot ", slot);
        System.arraycopy(entry.payloadArray(), entry.payloadOffset(), ring.array(), offset, length);
        cells[i].wrapView(entry.type(), entry.sessionId(), entry.sequence(), entry.timestampNs(), ring.array(),
            offset, length);
        cellSlots[i] = slot;
        cellOffsets[i] = length == 0 ? -1 : offset;
        committedFlags[i] = held == slot && committedFlags[i];
        ballots[i] = ballot;
        if (slot > lastSlot)
        {
            lastSlot = slot;
        }
    }

    /** Every slot up to {@code slot} has been applied: once committed, it may leave the log when space is needed. */
    void markApplied(final long slot)
    {
        appliedSlot = Math.max(appliedSlot, slot);
    }

    /** Bytes of the payload ring in use, padding and records no longer needed (but not yet reclaimed) included. */
    int usedBytes()
    {
        return ring.usedBytes();
    }

    int capacityBytes()
    {
        return ring.capacity();
    }

    @Override
    public boolean evictable(final long slot, final int payloadOffset)
    {
        return reuseNeededBytes || !live(slot, payloadOffset) || evictable(slot);
    }

    @Override
    public void evict(final long slot, final int payloadOffset)
    {
        if (live(slot, payloadOffset))
        {
            Invariants.check(reuseNeededBytes || evictable(slot), "evicting a slot still needed: ", slot);
            final int i = index(slot);
            cellSlots[i] = 0;
            committedFlags[i] = false;
            // every older slot goes with it (all are committed and applied): the log keeps one unbroken run, so a
            // catch-up or a promise that starts at a held slot finds every committed slot after it
            evictedSlot = Math.max(evictedSlot, slot);
        }
    }

    /** Whether the record of {@code slot} at {@code payloadOffset} is the one its cell holds now. */
    private boolean live(final long slot, final int payloadOffset)
    {
        final int i = index(slot);
        return slot > evictedSlot && cellSlots[i] == slot && cellOffsets[i] == payloadOffset;
    }

    private boolean evictable(final long slot)
    {
        return slot <= commitSlot && slot <= appliedSlot;
    }

    private int usedBytesMax(final Room room)
    {
        switch (room)
        {
            case ACCEPTED:
                return ring.capacity() / 2;
            case CHOSEN:
                return ring.capacity() - slackBytes;
            default:
                return ring.capacity();
        }
    }

    /**
     * Forgets every slot and restarts the log after {@code baseSlot}, which a snapshot covers: commit point and
     * last slot become {@code baseSlot}.
     */
    void resetTo(final long baseSlot)
    {
        java.util.Arrays.fill(cellSlots, 0);
        java.util.Arrays.fill(committedFlags, false);
        ring.clear();
        evictedSlot = baseSlot;
        lastSlot = baseSlot;
        commitSlot = baseSlot;
        appliedSlot = baseSlot;
    }

    /**
     * Moves the base of the log up to {@code baseSlot}, which an installed snapshot covers: slots up to it are
     * dropped, later slots are kept (they may hold values accepted in the current ballot), and the commit point
     * becomes at least {@code baseSlot}.
     */
    void installBase(final long baseSlot)
    {
        for (int i = 0; i < cellSlots.length; i++)
        {
            if (cellSlots[i] != 0 && cellSlots[i] <= baseSlot)
            {
                cellSlots[i] = 0;
                committedFlags[i] = false;
            }
        }
        commitSlot = Math.max(commitSlot, baseSlot);
        lastSlot = Math.max(lastSlot, baseSlot);
        appliedSlot = Math.max(appliedSlot, baseSlot);
        evictedSlot = Math.max(evictedSlot, baseSlot);
        advanceCommit();
    }

    /** Marks {@code slot} as committed with the value held; returns true if the commit point advanced. */
    boolean markCommitted(final long slot)
    {
        Invariants.check(has(slot), "cannot commit a slot without its entry: ", slot);
        committedFlags[index(slot)] = true;
        return advanceCommit();
    }

    private boolean advanceCommit()
    {
        final long before = commitSlot;
        while (commitSlot < lastSlot && has(commitSlot + 1) && committedFlags[index(commitSlot + 1)])
        {
            commitSlot++;
        }
        return commitSlot > before;
    }

    /** Restores the commit point from a journal commit mark: every slot up to it is held and committed. */
    void restoreCommit(final long slot)
    {
        for (long s = commitSlot + 1; s <= slot && s <= lastSlot; s++)
        {
            if (has(s))
            {
                committedFlags[index(s)] = true;
            }
        }
        advanceCommit();
    }

    /**
     * The highest slot such that every slot after the commit point up to it is held in {@code ballot}: what an
     * acceptor may acknowledge to the leader of {@code ballot}.
     */
    long contiguousInBallot(final long ballot)
    {
        long s = commitSlot;
        while (s < lastSlot && has(s + 1) && ballots[index(s + 1)] == ballot)
        {
            s++;
        }
        return s;
    }

    private int index(final long slot)
    {
        return (int)(slot & mask);
    }
}

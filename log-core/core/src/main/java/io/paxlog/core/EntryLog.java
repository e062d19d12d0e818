package io.paxlog.core;

/**
 * The in-memory view of a node's log: a ring of {@code capacity} cells, each holding one slot's entry, the ballot
 * it is held in and whether it is committed, plus the commit point. {@code commitSlot} is contiguous: every slot
 * up to it is committed and was held with its chosen value. Slots start at 1; slot {@code s} lives in cell
 * {@code s mod capacity}.
 *
 * <p>Storing a slot evicts the slot one capacity below it, which is allowed only once that slot is committed
 * ({@link #canStore}); the log therefore never loses an uncommitted entry, and it holds at most the latest
 * {@code capacity} slots. Older committed slots live only in the journal and the state machine. Cells and their
 * payload arrays ({@link #CELL_PAYLOAD_BYTES}, growing once for a larger payload) are allocated up front and
 * reused on every lap: no allocation in steady state, nor while the ring first fills.
 */
final class EntryLog
{
    /** Payload bytes each cell holds from the start; larger payloads grow the cell's array once. */
    static final int CELL_PAYLOAD_BYTES = 64;
    private final int mask;
    private final Entry[] cells;
    private final long[] cellSlots;
    private final long[] ballots;
    private final boolean[] committedFlags;
    private long lastSlot;
    private long commitSlot;

    EntryLog(final int capacity)
    {
        Invariants.check(capacity >= 2 && Integer.bitCount(capacity) == 1, "log capacity must be a power of two");
        this.mask = capacity - 1;
        this.cells = new Entry[capacity];
        this.cellSlots = new long[capacity];
        this.ballots = new long[capacity];
        this.committedFlags = new boolean[capacity];
        for (int i = 0; i < capacity; i++)
        {
            cells[i] = new Entry(CELL_PAYLOAD_BYTES); // allocated up front: no allocation (or GC) while the ring fills
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
        return slot >= 1 && cellSlots[index(slot)] == slot;
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
     * True if {@code slot} may be stored: it is already held, its cell is free, or the cell holds an older
     * committed slot. False for a slot so far ahead of the commit point that storing it would evict an
     * uncommitted one (an acceptor then simply does not accept it yet), or one older than the ring.
     */
    boolean canStore(final long slot)
    {
        if (slot < 1)
        {
            return false;
        }
        final long held = cellSlots[index(slot)];
        return held == slot || (slot > commitSlot && (held == 0 || (held < slot && held <= commitSlot)));
    }

    /** Stores a copy of {@code entry} at {@code slot} in {@code ballot}; a committed slot keeps its value. */
    void put(final long slot, final long ballot, final Entry entry)
    {
        Invariants.check(slot >= 1, "slot must be >= 1");
        final int i = index(slot);
        final long held = cellSlots[i];
        if (held == slot)
        {
            if (committedFlags[i] || slot <= commitSlot)
            {
                Invariants.check(entry.equals(cells[i]), "committed slot rewritten with a different value: ", slot);
            }
        }
        else
        {
            Invariants.check(canStore(slot), "log ring full (raise paxlog.log.capacity.slots): cannot store slot ",
                slot);
            cellSlots[i] = slot;
            committedFlags[i] = false;
        }
        cells[i].copyFrom(entry);
        ballots[i] = ballot;
        if (slot > lastSlot)
        {
            lastSlot = slot;
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
        lastSlot = baseSlot;
        commitSlot = baseSlot;
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

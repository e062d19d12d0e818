package io.paxlog.core;

/**
 * Rebuilds a node's log, configurations and promise from its journal on start: accepted entries go back into the
 * log (except those a restored snapshot already covers), the promise is restored to the highest ballot seen, and
 * every commit mark commits the configurations at or below it and delivers the slots it commits (the log ring
 * holds only the latest slots, so they are delivered while the journal replays, not after). A journal compacted
 * past the restored snapshot is refused.
 *
 * <p>Runs once, inside {@link ConsensusNode#start(long, long)}, on its thread.
 */
final class JournalReplay implements Journal.Replay
{
    private final EntryLog log;
    private final Acceptor acceptor;
    private final Configurations configs;
    private final long snapshotSlot;
    private final boolean forgetPromise;
    private final Runnable deliverCommitted;
    private long maxTimestampNs = Long.MIN_VALUE;

    /**
     * @param forgetPromise    the planted bug {@link PlantedBug#FORGET_PROMISE_ON_RESTART}: restore no promise
     * @param deliverCommitted delivers every committed slot not yet delivered
     */
    JournalReplay(final EntryLog log, final Acceptor acceptor, final Configurations configs, final long snapshotSlot,
        final boolean forgetPromise, final Runnable deliverCommitted)
    {
        this.log = log;
        this.acceptor = acceptor;
        this.configs = configs;
        this.snapshotSlot = snapshotSlot;
        this.forgetPromise = forgetPromise;
        this.deliverCommitted = deliverCommitted;
    }

    public void onPromise(final long ballot)
    {
        if (!forgetPromise)
        {
            acceptor.restorePromise(ballot);
        }
    }

    public void onAccepted(final long slot, final long ballot, final Entry entry)
    {
        if (slot <= log.commitSlot() && !log.has(slot))
        {
            return; // covered by the snapshot (or committed and since evicted)
        }
        log.put(slot, ballot, entry, EntryLog.Room.REPLAY);
        if (slot > log.commitSlot())
        {
            configs.onStored(slot, entry);
        }
        maxTimestampNs = Math.max(maxTimestampNs, entry.timestampNs());
        if (!forgetPromise)
        {
            acceptor.restorePromise(ballot);
        }
    }

    public void onCommit(final long commitSlot)
    {
        log.restoreCommit(commitSlot);
        configs.onCommitted(log.commitSlot());
        deliverCommitted.run();
    }

    public void onSegment(final long baseSlot)
    {
        Invariants.check(baseSlot <= snapshotSlot || baseSlot <= log.commitSlot(),
            "journal was compacted up to a snapshot this node does not have; newest restored snapshot: ",
            snapshotSlot);
    }

    /** The latest entry timestamp replayed, {@link Long#MIN_VALUE} if none. */
    long maxTimestampNs()
    {
        return maxTimestampNs;
    }
}
